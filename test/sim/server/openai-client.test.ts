import OpenAI from 'openai';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  // Short natural outputs keep the requests that run to EOS quick.
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, meanOutputTokens: 16});
  client = new OpenAI({baseURL: `${sim.url}/v1`, apiKey: 'not-needed', maxRetries: 0});
});
afterAll(() => sim.close());

describe('the official openai client against sim serve', () => {
  it('streams a chat completion whose usage matches what was asked', async () => {
    const messages = [{role: 'user' as const, content: 'Say something about queues.'}];
    const tokenized = await (await fetch(`${sim.url}/tokenize`, {method: 'POST', body: JSON.stringify({model: MODEL, messages})})).json() as {count: number};
    const stream = await client.chat.completions.create({
      model: MODEL, messages, max_tokens: 20, stream: true, stream_options: {include_usage: true},
      // vLLM extension: without it the simulated model may end early at its natural EOS.
      ...({ignore_eos: true} as object),
    });
    let text = '';
    let contentChunks = 0;
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(contentChunks).toBe(20);
    expect(finishReason).toBe('length');
    expect(usage).toEqual({prompt_tokens: tokenized.count, completion_tokens: 20, total_tokens: tokenized.count + 20});
    expect(text.length).toBeGreaterThan(20);
  });

  it('streams a text completion with the prompt length the tokenizer reports', async () => {
    const prompt = 'The quick brown fox jumps over the lazy dog. '.repeat(10);
    const tokenized = await (await fetch(`${sim.url}/tokenize`, {method: 'POST', body: JSON.stringify({model: MODEL, prompt})})).json() as {count: number};
    const stream = await client.completions.create({model: MODEL, prompt, max_tokens: 7, stream: true, stream_options: {include_usage: true}, ...({ignore_eos: true} as object)});
    const texts: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.text) texts.push(chunk.choices[0].text);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toHaveLength(7);
    expect(usage?.prompt_tokens).toBe(tokenized.count);
    expect(usage?.completion_tokens).toBe(7);
  });

  it('answers non-streaming requests with the full text and usage', async () => {
    const completion = await client.completions.create({model: MODEL, prompt: 'Hello there', max_tokens: 5, ...({ignore_eos: true} as object)});
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(5);
    expect(completion.choices[0]?.text.trim().split(/\s+/)).toHaveLength(5);
  });

  it('honours min_tokens and stops naturally without ignore_eos', async () => {
    const finishes = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const completion = await client.completions.create({model: MODEL, prompt: 'Hi', max_tokens: 400, seed, ...({min_tokens: 3} as object)});
      expect(completion.usage!.completion_tokens).toBeGreaterThanOrEqual(3);
      finishes.add(completion.choices[0]!.finish_reason);
    }
    expect(finishes.has('stop')).toBe(true);
  });

  it('reports a vLLM-style 400 for a prompt longer than max_model_len, and 404 for an unknown model', async () => {
    const models = await client.models.list();
    const maxModelLen = (models.data[0] as unknown as {max_model_len: number}).max_model_len;
    await expect(client.completions.create({model: MODEL, prompt: Array.from({length: maxModelLen + 5}, () => 7), max_tokens: 1}))
      .rejects.toMatchObject({status: 400, message: expect.stringContaining('maximum context length')});
    await expect(client.completions.create({model: 'no-such-model', prompt: 'x', max_tokens: 1}))
      .rejects.toMatchObject({status: 404});
  });
});
