import OpenAI from 'openai';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {LocalConnector} from '../../../src/planner/connectors/local/connector.js';
import {parsePrometheusText} from '../../../src/planner/observe/prometheus-text.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let connector: LocalConnector;

beforeAll(async () => {
  connector = await LocalConnector.start({engine: {model: MODEL, gpu: 'h100_sxm'}});
});
afterAll(() => connector.close(), 30_000);

describe('LocalConnector end to end (built CLI engines behind the router)', () => {
  it('scales 0 -> 2 -> 1, draining a streaming request before stopping its engine, and balances load', async () => {
    expect(await connector.counts()).toEqual({ready: {agg: 0}, expected: {agg: 0}});
    const empty = await fetch(`${connector.url}/v1/models`);
    expect(empty.status).toBe(503);

    await connector.scale({agg: 2});
    expect(await connector.counts()).toEqual({ready: {agg: 0}, expected: {agg: 2}});
    await connector.settled();
    expect(await connector.counts()).toEqual({ready: {agg: 2}, expected: {agg: 2}});
    expect(connector.failures).toEqual([]);

    // Four concurrent streams through the official client: least-loaded routing puts two on each engine.
    const client = new OpenAI({baseURL: `${connector.url}/v1`, apiKey: 'unused'});
    const stream = async (maxTokens: number) => {
      const chunks = await client.completions.create({model: MODEL, prompt: 'Hello there', max_tokens: maxTokens, stream: true, ignore_eos: true} as OpenAI.CompletionCreateParamsStreaming);
      let text = '';
      let finish: string | null = null;
      for await (const chunk of chunks) {
        text += chunk.choices[0]?.text ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return {text, finish};
    };
    const balanced = await Promise.all([stream(16), stream(16), stream(16), stream(16)]);
    expect(balanced.every((result) => result.finish === 'length' && result.text.length > 0)).toBe(true);
    expect(connector.router.list().map((engine) => engine.routed)).toEqual([2, 2]);

    // One long chat stream in flight on each engine, then 2 -> 1: one engine drains, and both streams finish.
    const openStream = async () => {
      const chat = await client.chat.completions.create({model: MODEL, messages: [{role: 'user', content: 'Tell me a long story'}], max_tokens: 300, stream: true,
        ignore_eos: true} as OpenAI.ChatCompletionCreateParamsStreaming);
      const iterator = chat[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      return iterator;
    };
    const streams = await Promise.all([openStream(), openStream()]);
    expect(connector.router.list().map((engine) => engine.inFlight)).toEqual([1, 1]);
    await connector.scale({agg: 1});
    expect(await connector.counts()).toEqual({ready: {agg: 1}, expected: {agg: 1}});
    const draining = connector.router.list().filter((engine) => engine.draining);
    expect(draining).toEqual([expect.objectContaining({inFlight: 1})]);
    const finished = await Promise.all(streams.map(async (iterator) => {
      let content = '';
      let finish: string | null | undefined;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        content += next.value.choices[0]?.delta?.content ?? '';
        finish = next.value.choices[0]?.finish_reason ?? finish;
      }
      return {content, finish};
    }));
    expect(finished.map((result) => result.finish)).toEqual(['length', 'length']);
    expect(finished.every((result) => result.content.length > 0)).toBe(true);
    await connector.settled();
    expect(connector.router.list().map((engine) => engine.id)).not.toContain(draining[0]!.id);
    expect(connector.router.list()).toHaveLength(1);
    // New requests go to the survivor.
    expect((await stream(4)).finish).toBe('length');
  }, 90_000);

  it('serves the engines\' metrics with the engine label naming each engine, and refuses prefill targets', async () => {
    await connector.scale({decode: 1});
    await connector.settled();
    const text = await (await fetch(`${connector.url}/metrics`)).text();
    const parsed = parsePrometheusText(text);
    expect(parsed.malformed).toEqual([]);
    const [id] = connector.router.list().map((engine) => engine.id);
    expect(parsed.samples.find((sample) => sample.name === 'vllm:num_requests_running')?.labels.engine).toBe(id);
    expect(parsed.samples.find((sample) => sample.name === 'dynamo_plan_router_in_flight_requests')).toMatchObject({labels: {engine: id}, value: 0});
    const models = await (await fetch(`${connector.url}/v1/models`)).json() as {data: {id: string}[]};
    expect(models.data[0]!.id).toBe(MODEL);
    await expect(connector.scale({prefill: 1, decode: 1})).rejects.toThrow(/aggregated engines only/);
  }, 60_000);
});
