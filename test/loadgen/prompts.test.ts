import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {buildPrompt, PromptBuilder, type TokenCounter} from '../../src/loadgen/prompts.js';
import {readMooncakeTrace} from '../../src/loadgen/traces.js';
import {tokenize} from '../../src/sim/server/tokenizer.js';

const simTokens: TokenCounter = async (text) => tokenize(text, 32_000).length;
// A tokenizer unlike ours: one token per started group of three characters.
const perThreeChars: TokenCounter = async (text) => Math.ceil(text.length / 3);
// Ours, plus a beginning-of-sequence token as vLLM's /tokenize adds by default.
const withBos: TokenCounter = async (text) => 1 + tokenize(text, 32_000).length;

function counting(counter: TokenCounter): {tokenize: TokenCounter; calls: () => number} {
  let calls = 0;
  return {
    tokenize: async (text) => {
      calls++;
      return counter(text);
    },
    calls: () => calls,
  };
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

describe('prompts of exact token lengths', () => {
  it('without a tokenizer: one short word per token, marked estimated, and exact for the simulator', async () => {
    const prompt = await buildPrompt(300, 1);
    expect(prompt.estimated).toBe(true);
    expect(prompt.tokens).toBe(300);
    expect(await simTokens(prompt.text)).toBe(300);
    expect(prompt.text.split(' ').slice(1).every((word) => /^[a-z]{1,4}$/.test(word))).toBe(true);
  });

  it('is reproducible from the seed, and differs between seeds', async () => {
    expect((await buildPrompt(50, 7)).text).toBe((await buildPrompt(50, 7)).text);
    expect((await buildPrompt(50, 7)).text).not.toBe((await buildPrompt(50, 8)).text);
  });

  it('with the simulator tokenizer: exact in one round trip', async () => {
    const counter = counting(simTokens);
    const builder = new PromptBuilder({tokenize: counter.tokenize});
    for (const target of [1, 17, 512, 4000]) {
      const prompt = await builder.build(target, target);
      expect(prompt).toMatchObject({tokens: target, estimated: false});
      expect(await simTokens(prompt.text)).toBe(target);
    }
    expect(counter.calls()).toBe(4);
  });

  it('with a different tokenizer: the adjustment loop reaches the exact count, and learns to need fewer trips', async () => {
    const counter = counting(perThreeChars);
    const builder = new PromptBuilder({tokenize: counter.tokenize});
    const first = await builder.build(1000, 1);
    expect(first.tokens).toBe(1000);
    expect(await perThreeChars(first.text)).toBe(1000);
    const tripsForFirst = counter.calls();
    expect(tripsForFirst).toBeLessThanOrEqual(10);

    const targets = Array.from({length: 50}, (_, i) => 100 + 37 * i);
    for (const [i, target] of targets.entries()) {
      const prompt = await builder.build(target, 100 + i);
      expect(prompt.tokens).toBe(target);
      expect(await perThreeChars(prompt.text)).toBe(target);
    }
    const averageTrips = (counter.calls() - tripsForFirst) / targets.length;
    expect(averageTrips).toBeLessThan(4);
  });

  it('learns a constant offset such as a BOS token from prompts of two lengths', async () => {
    const counter = counting(withBos);
    const builder = new PromptBuilder({tokenize: counter.tokenize});
    expect((await builder.build(64, 1)).tokens).toBe(64);
    expect((await builder.build(500, 3)).tokens).toBe(500);
    const before = counter.calls();
    expect((await builder.build(900, 2)).tokens).toBe(900);
    expect(counter.calls() - before).toBe(1);
  });

  it('returns the closest prompt and its real count when the target cannot be met', async () => {
    // Every text costs at least 10 tokens.
    const prompt = await buildPrompt(3, 1, {tokenize: async (text) => 10 + (await simTokens(text))});
    expect(prompt).toMatchObject({tokens: 11, estimated: false});
    // Only even counts exist: the nearest below the target wins a tie.
    const even = await buildPrompt(51, 1, {tokenize: async (text) => 2 * (await simTokens(text))});
    expect(even.tokens).toBe(50);
  });

  it('caps the round trips', async () => {
    const counter = counting(async (text) => 10 + (await simTokens(text)));
    await buildPrompt(3, 1, {tokenize: counter.tokenize, maxRoundTrips: 3});
    expect(counter.calls()).toBeLessThanOrEqual(3);
  });
});

describe('shared prefixes', () => {
  it('requests with the same prefix id start with the same text, then differ', async () => {
    const builder = new PromptBuilder();
    const a = await builder.build(300, 1, {prefix: {id: 'system', tokens: 200}});
    const b = await builder.build(250, 2, {prefix: {id: 'system', tokens: 200}});
    const c = await builder.build(300, 1, {prefix: {id: 'other', tokens: 200}});
    expect(await simTokens(a.text.slice(0, commonPrefixLength(a.text, b.text)))).toBeGreaterThanOrEqual(200);
    expect(a.text).not.toBe(b.text);
    expect(await simTokens(a.text.slice(0, commonPrefixLength(a.text, c.text)))).toBeLessThan(5);
  });

  it('Mooncake requests sharing leading hash ids share those 512-token blocks', async () => {
    const builder = new PromptBuilder({tokenize: simTokens});
    const a = await builder.build(1200, 1, {hashIds: [7, 8, 9]});
    const b = await builder.build(1100, 2, {hashIds: [7, 8, 10]});
    const c = await builder.build(1100, 3, {hashIds: [7, 11, 12]});
    expect([a.tokens, b.tokens, c.tokens]).toEqual([1200, 1100, 1100]);
    const sharedAB = await simTokens(a.text.slice(0, commonPrefixLength(a.text, b.text)));
    const sharedAC = await simTokens(a.text.slice(0, commonPrefixLength(a.text, c.text)));
    expect(sharedAB).toBeGreaterThanOrEqual(1024);
    expect(sharedAB).toBeLessThan(1030);
    expect(sharedAC).toBeGreaterThanOrEqual(512);
    expect(sharedAC).toBeLessThan(518);
  });

  it('the same hash ids give the same text, even with another tokenizer and another seed', async () => {
    const builder = new PromptBuilder({tokenize: perThreeChars});
    const a = await builder.build(700, 1, {hashIds: [1, 2]});
    const b = await builder.build(700, 2, {hashIds: [1, 2]});
    expect(a.text).toBe(b.text);
  });

  it('builds the prompts of a whole Mooncake trace quickly', async () => {
    const trace = readMooncakeTrace(fileURLToPath(new URL('../../../shared/reference/traces/mooncake_conversation_trace.jsonl', import.meta.url)), {limit: 2000});
    const builder = new PromptBuilder();
    const started = performance.now();
    let words = 0;
    for (const request of trace) words += (await builder.build(request.isl, request.index, {hashIds: request.hashIds})).tokens;
    const elapsedMs = performance.now() - started;
    expect(words).toBe(trace.reduce((sum, request) => sum + request.isl, 0));
    // About 24 million tokens of text; generous bound so a slow machine does not fail it.
    expect(elapsedMs).toBeLessThan(15_000);
  });
});
