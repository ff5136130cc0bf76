import {afterEach, describe, expect, it} from 'vitest';
import {VllmGrpcClient} from '../../../src/engine/grpc/index.js';
import type {Simulator, SimulatorOptions} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {abortAfterThreeTokens, collect, contentEvents, MODEL, promptTokens, startGrpcSimulator} from './grpc-test-helpers.js';

let sim: Simulator | undefined;
let client: VllmGrpcClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  client = undefined;
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions> = {}): Promise<VllmGrpcClient> {
  sim = await startGrpcSimulator(options);
  client = new VllmGrpcClient({target: sim.info.grpcUrl!});
  return client;
}

describe('VllmGrpcClient against the simulator', () => {
  it('streams token ids: one response event first, content events summing to max_tokens, usage from complete', async () => {
    const vllm = await start();
    const prompt = 'The quick brown fox jumps over the lazy dog.';
    const {events, result} = await collect(vllm, {prompt, maxTokens: 40, ignoreEos: true});
    expect(result.error).toBeUndefined();
    expect(events[0]!.type).toBe('response');
    expect(events.filter((event) => event.type === 'response')).toHaveLength(1);
    const contents = contentEvents(events);
    expect(contents.reduce((sum, event) => sum + event.tokens, 0)).toBe(40);
    expect(contents.every((event) => event.text === '' && !event.reasoning)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.t >= events[i - 1]!.t).toBe(true);
    expect(result.finishReason).toBe('length');
    expect(result.usage).toEqual({promptTokens: await promptTokens(sim!, prompt), completionTokens: 40});
  });

  it('sends prompt token ids as tokenized input', async () => {
    const vllm = await start();
    const {result} = await collect(vllm, {prompt: 'ignored by the server', promptTokenIds: [11, 12, 13, 14, 15, 16, 17], maxTokens: 3, ignoreEos: true});
    expect(result.usage).toEqual({promptTokens: 7, completionTokens: 3});
  });

  it('stops naturally without ignore_eos, but not before min_tokens', async () => {
    const vllm = await start({meanOutputTokens: 3});
    const natural = await collect(vllm, {prompt: 'hello', maxTokens: 500});
    expect(natural.result.finishReason).toBe('stop');
    expect(natural.result.usage!.completionTokens).toBeLessThan(500);
    const held = await collect(vllm, {prompt: 'hello', maxTokens: 500, minTokens: 60});
    expect(held.result.usage!.completionTokens).toBeGreaterThanOrEqual(60);
  });

  it('reports a prompt longer than the context as INVALID_ARGUMENT', async () => {
    const vllm = await start({maxModelLen: 64});
    const {events, result} = await collect(vllm, {prompt: 'word '.repeat(100), maxTokens: 8});
    expect(events).toHaveLength(0);
    expect(result.error).toMatchObject({kind: 'grpc_status', status: 3});
    expect(result.error!.message).toMatch(/maximum context length is 64 tokens/);
  });

  it('classifies injected faults: refusal, in-band error, cut stream', async () => {
    const refusing = await start({faults: {errorRate: 1}});
    expect((await collect(refusing, {prompt: 'x', maxTokens: 4})).result.error).toMatchObject({kind: 'grpc_status', status: 13});
    await client!.close();
    await sim!.close();

    const inBand = await start({faults: {inBandErrorRate: 1}});
    const failed = await collect(inBand, {prompt: 'x', maxTokens: 50, ignoreEos: true});
    expect(failed.result.error).toMatchObject({kind: 'in_band_error', status: 500});
    expect(contentEvents(failed.events).length).toBeLessThan(50);
    await client!.close();
    await sim!.close();

    const cutting = await start({faults: {abortRate: 1}});
    const cut = await collect(cutting, {prompt: 'x', maxTokens: 50, ignoreEos: true});
    expect(cut.result.error).toMatchObject({kind: 'disconnected', status: 1});
    expect(contentEvents(cut.events).length).toBeGreaterThan(0);
  });

  it('cancels the call on abort, and the engine frees the request', async () => {
    const metrics = await abortAfterThreeTokens(await start(), sim!);
    expect(sampleValue(metrics, 'vllm:num_requests_running')).toBe(0);
  });

  it('resolves an already-aborted signal without calling', async () => {
    const vllm = await start();
    const {events, result} = await collect(vllm, {prompt: 'x', maxTokens: 4}, {signal: AbortSignal.abort()});
    expect(events).toHaveLength(0);
    expect(result.error?.kind).toBe('aborted');
  });

  it('answers HealthCheck and GetModelInfo', async () => {
    const vllm = await start();
    expect(await vllm.healthCheck()).toMatchObject({healthy: true});
    expect(await vllm.modelInfo()).toMatchObject({model_path: MODEL, is_generation: true, max_context_length: sim!.info.maxModelLen});
  });

  it('reports connection_refused when nothing listens on the port', async () => {
    const vllm = new VllmGrpcClient({target: `127.0.0.1:${await freePort()}`});
    try {
      const {events, result} = await collect(vllm, {prompt: 'x', maxTokens: 4});
      expect(events).toHaveLength(0);
      expect(result.error).toMatchObject({kind: 'connection_refused', status: 14});
      await expect(vllm.healthCheck()).rejects.toMatchObject({code: 'E_UNREACHABLE'});
    } finally {
      await vllm.close();
    }
    // A closed client still resolves rather than throwing.
    expect((await collect(vllm, {prompt: 'x', maxTokens: 4})).result.error?.kind).toBe('other');
  });
});
