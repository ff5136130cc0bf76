import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runBench, type BenchOptions} from '../../src/loadgen/bench.js';
import {readRecords} from '../../src/loadgen/records.js';
import {type Simulator, startSimulator} from '../../src/sim/simulator.js';
import {sampleValue, scrapeMetrics} from '../helpers/metrics-text.js';

const MODEL = 'Qwen/Qwen3-0.6B';
const base: BenchOptions = {
  api: 'completions', isl: 128, osl: 16, rangeRatio: 0, requestRate: 40, burstiness: 1, seed: 3, warmupRequests: 0,
  requestTimeoutS: 30, stallTimeoutS: 10, numRequests: 30, simulator: {model: MODEL, gpu: 'h100_sxm'},
};

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, grpcPort: 0});
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-bench-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, {recursive: true, force: true});
});

describe('bench against the simulator', () => {
  it('reports TTFT and ITL that agree with the simulator\'s own /metrics histograms', async () => {
    // Warm-up requests are not measured (and not in the histogram deltas' count below: they come before `before`).
    await runBench({...base, url: sim.url, numRequests: 3});
    const before = await scrapeMetrics(sim.url);
    const summary = await runBench({...base, url: sim.url, outDir: join(dir, 'agree')});
    const after = await scrapeMetrics(sim.url);
    const delta = (name: string) => (sampleValue(after, name) ?? 0) - (sampleValue(before, name) ?? 0);
    expect(summary.requests).toBe(30);
    expect(summary.errors.total).toBe(0);
    // Every measured request is in the engine's histograms, once.
    expect(delta('vllm:time_to_first_token_seconds_count')).toBe(30);
    expect(delta('vllm:inter_token_latency_seconds_count')).toBe(30 * 15);
    const engineTtftMs = (delta('vllm:time_to_first_token_seconds_sum') / 30) * 1000;
    const engineItlMs = (delta('vllm:inter_token_latency_seconds_sum') / (30 * 15)) * 1000;
    // The client adds only loopback HTTP, parsing and the engine thread's hand-off (about 1.5 ms here) to what the
    // engine measured from its arrival; it can never see a token before the engine made it.
    expect(summary.ttft_from_actual_send_ms!.mean).toBeGreaterThanOrEqual(engineTtftMs);
    expect(summary.ttft_from_actual_send_ms!.mean - engineTtftMs).toBeLessThan(5);
    expect(Math.abs(summary.itl_ms!.mean - engineItlMs)).toBeLessThan(0.5);
    // Records were appended for every request, and the summary was written.
    expect(readRecords(join(dir, 'agree', 'records.jsonl'))).toHaveLength(30);
    expect(JSON.parse(readFileSync(join(dir, 'agree', 'summary.json'), 'utf8')).requests).toBe(30);
  });

  it('prompts have the exact token lengths asked, and outputs the exact lengths', async () => {
    const before = await scrapeMetrics(sim.url);
    await runBench({...base, url: sim.url, numRequests: 10, isl: 333, osl: 7});
    const after = await scrapeMetrics(sim.url);
    const delta = (name: string) => (sampleValue(after, name) ?? 0) - (sampleValue(before, name) ?? 0);
    expect(delta('vllm:request_prompt_tokens_sum')).toBe(10 * 333);
    expect(delta('vllm:request_generation_tokens_sum')).toBe(10 * 7);
  });

  it('runs over both gRPC transports', async () => {
    for (const api of ['kserve', 'vllm-grpc'] as const) {
      const summary = await runBench({...base, api, url: sim.info.grpcUrl, model: MODEL, numRequests: 8});
      expect(summary.errors.total).toBe(0);
      expect(summary.completed).toBe(8);
      expect(summary.output_tokens).toBe(8 * 16);
      expect(summary.itl_ms!.p50).toBeGreaterThan(0);
    }
  });

  it('closed loop: never more than --concurrency in flight, and no client queue', async () => {
    const summary = await runBench({...base, url: sim.url, requestRate: Infinity, concurrency: 3, numRequests: 12});
    expect(summary.completed).toBe(12);
    expect(summary.queue_ms!.max).toBeLessThan(5);
  });

  it('an open loop capped by --concurrency reports the client queueing it causes', async () => {
    // 200 req/s offered to one slot whose requests take ~50 ms: later requests wait, and the wait is reported.
    const capped = await runBench({...base, url: sim.url, requestRate: 200, concurrency: 1, numRequests: 8});
    expect(capped.completed).toBe(8);
    expect(capped.queue_ms!.max).toBeGreaterThan(20);
    expect(capped.ttft_ms!.p90).toBeGreaterThan(capped.ttft_from_actual_send_ms!.p90);
  });

  it('counts failed requests by kind and goes on', async () => {
    const faulty = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, faults: {errorRate: 0.3, inBandErrorRate: 0.2}, seed: 5});
    try {
      const summary = await runBench({...base, url: faulty.url, numRequests: 40});
      expect(summary.requests).toBe(40);
      expect(summary.errors.by_kind.http_5xx).toBeGreaterThan(0);
      expect(summary.errors.by_kind.in_band_error).toBeGreaterThan(0);
      expect(summary.completed + summary.errors.total).toBe(40);
    } finally {
      await faulty.close();
    }
  });

  it('Ctrl-C keeps what completed: records on disk, a summary, and an interrupted error', async () => {
    const controller = new AbortController();
    const out = join(dir, 'interrupted');
    const run = runBench({...base, url: sim.url, requestRate: 20, numRequests: 200, outDir: out, signal: controller.signal});
    setTimeout(() => controller.abort(), 1500);
    await expect(run).rejects.toMatchObject({exitCode: 130});
    const records = readRecords(join(out, 'records.jsonl'));
    expect(records.length).toBeGreaterThan(5);
    expect(records.length).toBeLessThan(200);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {requests: number};
    expect(summary.requests).toBe(records.length);
  });

  it('refuses an --out directory that already holds another run\'s records', async () => {
    const out = join(dir, 'agree');
    expect(existsSync(join(out, 'records.jsonl'))).toBe(true);
    await expect(runBench({...base, url: sim.url, outDir: out})).rejects.toMatchObject({exitCode: 3});
  });

  it('fails fast with exit code 4 when nothing listens', async () => {
    await expect(runBench({...base, url: 'http://127.0.0.1:1'})).rejects.toMatchObject({exitCode: 4});
    await expect(runBench({...base, api: 'vllm-grpc', url: '127.0.0.1:1'})).rejects.toMatchObject({exitCode: 4});
  });
});
