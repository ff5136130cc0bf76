import {describe, expect, it} from 'vitest';
import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../../src/engine/types.js';
import {PromptBuilder} from '../../src/loadgen/prompts.js';
import {measureDecodePoint} from '../../src/profiler/decode-point.js';
import {measurePrefillPoint} from '../../src/profiler/prefill-point.js';

/** An engine whose calls numbered in `failing` (1-based, in call order) are refused with HTTP 500. */
function scriptedClient(failing: number[]): EngineClient & {prompts: string[]} {
  const prompts: string[] = [];
  return {
    api: 'completions',
    prompts,
    async generate(input: GenerationInput, onEvent: (event: StreamEvent) => void): Promise<GenerationResult> {
      prompts.push(input.prompt);
      if (failing.includes(prompts.length)) return {error: {kind: 'http_5xx', message: 'HTTP 500', status: 500}};
      for (let i = 0; i < input.maxTokens; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        onEvent({type: 'content', t: process.hrtime.bigint(), text: ' x', tokens: 1, reasoning: false});
      }
      return {usage: {promptTokens: 64, completionTokens: input.maxTokens}, finishReason: 'length'};
    },
    async close() {},
  };
}

describe('failed requests', () => {
  it('retry a prefill sample once, with a prompt of its own', async () => {
    const client = scriptedClient([2]);
    const point = await measurePrefillPoint({client, builder: new PromptBuilder(), isl: 64, seed: 1});
    expect(point.error).toBeNull();
    expect(point.ttftMs).toHaveLength(3);
    expect(client.prompts).toHaveLength(5); // warm-up, failed sample, its retry, two more samples
    expect(new Set(client.prompts).size).toBe(5);
  });

  it('record the error when a prefill sample fails twice, keeping the samples before it', async () => {
    const point = await measurePrefillPoint({client: scriptedClient([3, 4]), builder: new PromptBuilder(), isl: 64, seed: 1});
    expect(point).toMatchObject({ttftMs: [expect.any(Number)], error: {kind: 'http_5xx', message: 'HTTP 500'}});
    expect(point.medianMs).toBe(point.ttftMs[0]);
  });

  it('rerun a decode point once, then record the error without ITL figures', async () => {
    // Calls: warm-up, 2 streams (one fails), then the rerun: warm-up, 2 streams.
    const retried = await measureDecodePoint({client: scriptedClient([2]), builder: new PromptBuilder(), concurrency: 2, context: 64, osl: 8, seed: 1});
    expect(retried).toMatchObject({error: null, gaps: expect.any(Number)});
    const failed = await measureDecodePoint({client: scriptedClient([2, 5]), builder: new PromptBuilder(), concurrency: 2, context: 64, osl: 8, seed: 1});
    expect(failed).toMatchObject({itlMs: null, tokensPerSecond: null, gaps: 0, error: {kind: 'http_5xx'}});
  });
});
