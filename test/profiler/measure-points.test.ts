import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {measureDecodePoint} from '../../src/profiler/decode-point.js';
import {measurePrefillPoint} from '../../src/profiler/prefill-point.js';
import {sampleValue, scrapeMetrics} from '../helpers/metrics-text.js';
import {type LiveEngine, startLiveEngine} from './live-engine.js';

let engine: LiveEngine;
beforeAll(async () => {
  engine = await startLiveEngine();
});
afterAll(async () => {
  await engine.close();
});

/** What the engine's /metrics counters and histograms gained while `run` ran. */
async function engineDelta<T>(run: () => Promise<T>): Promise<{result: T; delta: (name: string) => number}> {
  const before = await scrapeMetrics(engine.url);
  const result = await run();
  const after = await scrapeMetrics(engine.url);
  return {result, delta: (name) => (sampleValue(after, name) ?? 0) - (sampleValue(before, name) ?? 0)};
}

describe('prefill point', () => {
  it('measures TTFT per sample that grows with ISL, without the prefix cache serving any of it', async () => {
    const {client, builder} = engine;
    const {result: short, delta} = await engineDelta(() => measurePrefillPoint({client, builder, isl: 256, seed: 1}));
    const long = await measurePrefillPoint({client, builder, isl: 4096, seed: 1});
    expect(short).toMatchObject({kind: 'prefill', isl: 256, osl: 5, error: null});
    expect(short.ttftMs).toHaveLength(3);
    expect(long.ttftMs).toHaveLength(3);
    // Minimums: a busy machine only ever adds delay, so the fastest sample of each is closest to the engine's own time.
    expect(Math.min(...long.ttftMs)).toBeGreaterThan(1.5 * Math.min(...short.ttftMs));
    expect(delta('vllm:prefix_cache_hits_total')).toBe(0);
    // One warm-up and three samples, each five tokens.
    expect(delta('vllm:generation_tokens_total')).toBe(20);
  });
});

describe('decode point', () => {
  it('agrees with the engine\'s own ITL histogram over the same run, and its prefills are cache hits', async () => {
    const {client, builder} = engine;
    const {result: point, delta} = await engineDelta(() => measureDecodePoint({client, builder, concurrency: 8, context: 1024, seed: 2}));
    expect(point).toMatchObject({kind: 'decode', concurrency: 8, context: 1024, osl: 128, promptTokens: 960, error: null});
    // The window drops only the ramps: most of the 8 x 127 gaps are in it.
    expect(point.gaps).toBeGreaterThan(0.8 * 8 * 127);
    const engineItlMs = (delta('vllm:inter_token_latency_seconds_sum') / delta('vllm:inter_token_latency_seconds_count')) * 1000;
    expect(Math.abs(point.itlMs! / engineItlMs - 1)).toBeLessThan(0.15);
    expect(point.tokensPerSecond!).toBeCloseTo((8 / point.itlMs!) * 1000, -2);
    // The warm-up computes the shared prefix; each measured request then computes little more than its own tail.
    expect(delta('vllm:prefix_cache_hits_total')).toBeGreaterThanOrEqual(8 * (960 - 32));
  });

  it('measures ITL that grows with concurrency at a fixed context, and with context at a fixed concurrency', async () => {
    const {client, builder} = engine;
    const measure = (concurrency: number, context: number) => measureDecodePoint({client, builder, concurrency, context, osl: 64, seed: 3});
    const alone = await measure(1, 1024);
    const crowded = await measure(32, 1024);
    const shortContext = await measure(16, 512);
    const longContext = await measure(16, 8192);
    expect(crowded.itlMs!).toBeGreaterThan(1.2 * alone.itlMs!);
    expect(longContext.itlMs!).toBeGreaterThan(1.5 * shortContext.itlMs!);
    expect(crowded.tokensPerSecond!).toBeGreaterThan(10 * alone.tokensPerSecond!);
  });

  it('abandons the point when aborted, rather than returning a partial measurement', async () => {
    const {client, builder} = engine;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(measureDecodePoint({client, builder, concurrency: 4, context: 1024, seed: 4, signal: controller.signal})).rejects.toMatchObject({code: 'E_INTERRUPTED'});
  });
});
