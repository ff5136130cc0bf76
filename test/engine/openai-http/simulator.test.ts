import {afterEach, describe, expect, it} from 'vitest';
import {OpenAiHttpClient, type OpenAiHttpClientOptions} from '../../../src/engine/openai-http/index.js';
import {type Simulator, type SimulatorOptions, startSimulator} from '../../../src/sim/simulator.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';
import {collect, isMonotonic} from './collect.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator | undefined;
let client: OpenAiHttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  client = undefined;
  sim = undefined;
});

async function start(simOptions: Partial<SimulatorOptions> = {}, clientOptions: Partial<OpenAiHttpClientOptions> = {}): Promise<OpenAiHttpClient> {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, ...simOptions});
  client = new OpenAiHttpClient({baseUrl: sim.url, api: 'completions', model: MODEL, ...clientOptions});
  return client;
}

describe('OpenAiHttpClient against the simulator', () => {
  for (const api of ['completions', 'chat'] as const) {
    it(`streams ${api}: one content event per token, usage, ordered timestamps`, async () => {
      await start({}, {api});
      const {events, contents, result} = await collect(client!, {prompt: 'Tell me a story about a dragon.', maxTokens: 24, ignoreEos: true});
      expect(result.error).toBeUndefined();
      expect(contents).toHaveLength(24);
      expect(contents.every((event) => event.text.length > 0 && event.tokens === 1 && !event.reasoning)).toBe(true);
      expect(result.usage?.completionTokens).toBe(24);
      expect(result.usage?.promptTokens).toBeGreaterThan(0);
      expect(result.finishReason).toBe('length');
      expect(events[0]!.type).toBe('response');
      expect(events[0]!.t).toBeLessThanOrEqual(contents[0]!.t);
      expect(isMonotonic(events)).toBe(true);
      // Chat opens with a role-only delta; both end with the usage chunk.
      expect(events[1]!.type).toBe(api === 'chat' ? 'chunk' : 'content');
      expect(events.at(-1)!.type).toBe('chunk');
    });
  }

  it('honours min_tokens without ignore_eos', async () => {
    await start({meanOutputTokens: 1});
    const {contents, result} = await collect(client!, {maxTokens: 20, minTokens: 20});
    expect(contents).toHaveLength(20);
    expect(result.usage?.completionTokens).toBe(20);
  });

  it('streams many requests at once, each complete', async () => {
    await start();
    const runs = await Promise.all(Array.from({length: 64}, () => collect(client!, {maxTokens: 8, ignoreEos: true})));
    expect(runs.map((run) => run.contents.length)).toEqual(Array(64).fill(8));
    expect(runs.every((run) => run.result.usage?.completionTokens === 8)).toBe(true);
  });

  it('classifies an injected HTTP 500 with the server message', async () => {
    await start({faults: {errorRate: 1}});
    const {result} = await collect(client!);
    expect(result.error).toMatchObject({kind: 'http_5xx', status: 500});
    expect(result.error?.message).toMatch(/Injected fault/);
  });

  it('classifies an injected in-band error, keeping the tokens before it', async () => {
    await start({faults: {inBandErrorRate: 1}});
    const {contents, result} = await collect(client!, {maxTokens: 32, ignoreEos: true});
    expect(result.error?.kind).toBe('in_band_error');
    expect(result.error?.message).toMatch(/mid-stream/);
    expect(contents.length).toBeGreaterThan(0);
    expect(contents.length).toBeLessThan(32);
  });

  it('classifies a connection cut mid-stream as disconnected', async () => {
    await start({faults: {abortRate: 1}});
    const {contents, result} = await collect(client!, {maxTokens: 32, ignoreEos: true});
    expect(result.error?.kind).toBe('disconnected');
    expect(contents.length).toBeLessThan(32);
  });

  it('ends an injected stall as stalled after the stall timeout', async () => {
    await start({faults: {stallRate: 1, stallMs: 2000}}, {stallTimeoutMs: 400});
    const started = performance.now();
    const {result} = await collect(client!, {maxTokens: 32, ignoreEos: true});
    expect(result.error?.kind).toBe('stalled');
    expect(performance.now() - started).toBeLessThan(1_800);
  });

  it('reports an engine still starting up as HTTP 503', async () => {
    await start({faults: {startupDelayS: 5}});
    const {result} = await collect(client!);
    expect(result.error).toMatchObject({kind: 'http_5xx', status: 503});
    expect(result.error?.message).toMatch(/starting up/);
  });

  it('cancels mid-stream so that the server aborts the request', async () => {
    await start();
    const controller = new AbortController();
    const {contents, result} = await collect(client!, {maxTokens: 2000, ignoreEos: true}, controller.signal, (event, events) => {
      if (events.filter((seen) => seen.type === 'content').length === 3) controller.abort();
    });
    expect(result.error?.kind).toBe('aborted');
    expect(contents).toHaveLength(3);
    let aborted: number | undefined;
    for (let attempt = 0; attempt < 40 && aborted !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      aborted = sampleValue(await scrapeMetrics(sim!.url), 'vllm:request_success_total', {finished_reason: 'abort'});
    }
    expect(aborted).toBe(1);
  });
});
