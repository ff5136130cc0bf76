import {afterEach, describe, expect, it} from 'vitest';
import {KserveClient} from '../../../src/engine/grpc/index.js';
import type {Simulator, SimulatorOptions} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {abortAfterThreeTokens, collect, contentEvents, metricsWhen, MODEL, promptTokens, startGrpcSimulator} from './grpc-test-helpers.js';

let sim: Simulator | undefined;
let client: KserveClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  client = undefined;
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions> = {}, model = MODEL): Promise<KserveClient> {
  sim = await startGrpcSimulator(options);
  client = new KserveClient({target: sim.info.grpcUrl!, model});
  return client;
}

describe('KserveClient against the simulator', () => {
  it('streams one text delta per token, with the finish reason at the end and no usage', async () => {
    const kserve = await start();
    const {events, result} = await collect(kserve, {prompt: 'Tell me a story.', maxTokens: 24, ignoreEos: true});
    expect(result.error).toBeUndefined();
    expect(events[0]!.type).toBe('response');
    const contents = contentEvents(events);
    expect(contents).toHaveLength(24);
    expect(contents.every((event) => event.tokens === 1 && event.text.length > 0)).toBe(true);
    // Each delta is one token of the simulator's tokenizer, so the text re-tokenizes to the token count.
    expect(await promptTokens(sim!, contents.map((event) => event.text).join(''))).toBe(24);
    expect(result.finishReason).toBe('length');
    expect(result.usage).toBeUndefined();
  });

  it('sends max_tokens, min_tokens and ignore_eos as request parameters, which the simulator honours', async () => {
    const kserve = await start({meanOutputTokens: 3});
    const natural = await collect(kserve, {prompt: 'hello', maxTokens: 500});
    expect(natural.result.finishReason).toBe('stop');
    expect(contentEvents(natural.events).length).toBeLessThan(500);
    const held = await collect(kserve, {prompt: 'hello', maxTokens: 500, minTokens: 60});
    expect(contentEvents(held.events).length).toBeGreaterThanOrEqual(60);
  });

  it('reports an unknown model and a too-long prompt in-band', async () => {
    const wrongModel = await start({}, 'no-such-model');
    const unknown = await collect(wrongModel, {prompt: 'x', maxTokens: 4});
    expect(unknown.result.error).toMatchObject({kind: 'in_band_error'});
    expect(unknown.result.error!.message).toMatch(/no-such-model/);
    await wrongModel.close();

    client = new KserveClient({target: sim!.info.grpcUrl!, model: MODEL});
    const tooLong = await collect(client, {prompt: 'word '.repeat(100_000), maxTokens: 8});
    expect(tooLong.result.error).toMatchObject({kind: 'in_band_error'});
    expect(tooLong.result.error!.message).toMatch(/maximum context length/);
  });

  it('classifies injected faults: refusal, in-band error, cut stream', async () => {
    const refusing = await start({faults: {errorRate: 1}});
    expect((await collect(refusing, {prompt: 'x', maxTokens: 4})).result.error).toMatchObject({kind: 'grpc_status', status: 13});
    await client!.close();
    await sim!.close();

    const inBand = await start({faults: {inBandErrorRate: 1}});
    const failed = await collect(inBand, {prompt: 'x', maxTokens: 50, ignoreEos: true});
    expect(failed.result.error).toMatchObject({kind: 'in_band_error', message: expect.stringMatching(/Injected fault/)});
    expect(contentEvents(failed.events).length).toBeLessThan(50);
    await client!.close();
    await sim!.close();

    const cutting = await start({faults: {abortRate: 1}});
    const cut = await collect(cutting, {prompt: 'x', maxTokens: 50, ignoreEos: true});
    expect(cut.result.error).toMatchObject({kind: 'disconnected', status: 1});
  });

  it('cancels the stream on abort, and the engine frees the request', async () => {
    const metrics = await abortAfterThreeTokens(await start(), sim!);
    expect(sampleValue(metrics, 'vllm:kv_cache_usage_perc')).toBe(0);
  });

  it('runs concurrent requests on separate streams', async () => {
    const kserve = await start();
    const runs = await Promise.all([8, 16, 24].map((maxTokens) => collect(kserve, {prompt: `request of ${maxTokens}`, maxTokens, ignoreEos: true})));
    expect(runs.map((run) => contentEvents(run.events).length)).toEqual([8, 16, 24]);
    const metrics = await metricsWhen(sim!, () => true);
    expect(sampleValue(metrics, 'vllm:request_success_total', {finished_reason: 'length'})).toBe(3);
  });

  it('answers ModelReady and ModelMetadata, and rejects metadata of a model it does not serve', async () => {
    const kserve = await start();
    expect(await kserve.modelReady()).toBe(true);
    const metadata = await kserve.modelMetadata();
    expect(metadata.name).toBe(MODEL);
    expect(metadata.inputs.map((input) => input.name)).toEqual(['text_input', 'streaming']);
    expect(metadata.outputs.map((output) => output.name)).toEqual(['text_output', 'finish_reason']);
    const other = new KserveClient({target: sim!.info.grpcUrl!, model: 'other'});
    try {
      expect(await other.modelReady()).toBe(false);
      await expect(other.modelMetadata()).rejects.toMatchObject({code: 'E_GRPC_NOT_FOUND'});
    } finally {
      await other.close();
    }
  });

  it('reports connection_refused when nothing listens on the port', async () => {
    const kserve = new KserveClient({target: `127.0.0.1:${await freePort()}`, model: MODEL});
    try {
      const {events, result} = await collect(kserve, {prompt: 'x', maxTokens: 4});
      expect(events).toHaveLength(0);
      expect(result.error).toMatchObject({kind: 'connection_refused', status: 14});
    } finally {
      await kserve.close();
    }
  });
});
