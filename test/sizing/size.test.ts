import {describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../src/errors/errors.js';
import {itlAt, ttftAt} from '../../src/fit/index.js';
import {loadTraceWorkload, type SizingInput, type SizingResult, sizeDeployment} from '../../src/sizing/index.js';
import {candidatesOf, H100_70B_TP4, H100_8B, H200_8B_FP8, input, TRACES, tp2Twin} from './fixtures.js';

function roles(result: SizingResult): string[] {
  return result.roles.map((role) => `${role.role}:${role.config.name}x${role.replicas}`);
}

function slaError(run: () => unknown): DynamoPlanError {
  try {
    run();
  } catch (error) {
    if (error instanceof DynamoPlanError) return error;
    throw error;
  }
  throw new Error('expected an SLA error');
}

describe('sizeDeployment on the shipped reference profiles (golden)', () => {
  const h200 = candidatesOf(H200_8B_FP8);

  it('Llama-3.1-8B FP8 on H200, Dynamo\'s example SLA, 50 req/s: disaggregated 4 prefill + 2 decode = 6 GPUs', () => {
    // By hand: TTFT(3000) = 9.00 + 0.01433 x 3000 + 4.72e-7 x 3000^2 = 56.3 ms of service per prompt. Decode: ITL(n,
    // 3075) <= 20 ms up to a p90 token batch of 128, a mean batch of 112.6 (1 + L + 1.28 sqrt(L) = 128) decoding 150
    // tokens at ~18 ms: 41.8 req/s per engine, ceil(50 / 41.8) = 2; its mean step at capacity (~9 ms) is the first
    // token's decode step, so prefill has ~191 ms. Prefill engines behind the least-loaded router share one queue
    // (M/D/c, Allen-Cunneen): 3 engines carry 3 x 15.1 = 45.4 < 50 req/s, 4 carry 4 x 15.8 = 63 (alone, one engine
    // would carry 10.6, and 5 engines would be needed). test/sizing/validate.test.ts checks sizings like this by simulation.
    const result = sizeDeployment(input(h200, {rate: 50, mode: 'disagg'}));
    expect(roles(result)).toEqual(['prefill:h200_sxm-tp1x4', 'decode:h200_sxm-tp1x2']);
    expect(result.roles[0]!.capacity_rps_per_engine).toBeCloseTo(15.76, 2);
    expect(result.candidates.find((entry) => entry.role === 'prefill')!.capacity_rps_per_engine).toBeCloseTo(10.64, 1);
    expect(result.roles[1]!.capacity_rps_per_engine).toBeCloseTo(41.8, 1);
    expect(result.total_gpus).toBe(6);
    expect(result.roles[0]!.predicted_ttft_ms!).toBeLessThanOrEqual(200);
    expect(result.roles[1]!.predicted_itl_ms!).toBeLessThanOrEqual(20);
    expect(result.roles[0]!.engine).toMatchObject({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', accelerator: 'h200_sxm', tp: 1, max_num_seqs: 1024, max_num_batched_tokens: 8192});
  });

  it('auto: aggregated needs as many GPUs there (6), so disaggregated wins on headroom', () => {
    // An aggregated engine carries 8.6 req/s: prompt chunks ride 1 step in ~10, so the p90 token still sees a plain
    // decode step; more load puts chunks in over 10% of steps and p90 ITL jumps to a chunk-carrying step (~60 ms).
    const result = sizeDeployment(input(h200, {rate: 50}));
    expect(result.mode).toBe('disagg');
    expect(result.alternative).toMatchObject({mode: 'agg', feasible: true, total_gpus: 6});
    expect(result.advantage?.gpus_saved).toBe(0);
    expect(result.capacity_rps).toBeGreaterThan(6 * 8.6);
    expect(result.throughput_per_gpu).toBeCloseTo((50 * 150) / 6, 6);
  });

  it('at p99 disaggregated wins clearly: 6 GPUs against 28 aggregated', () => {
    // At p99 more than 1% of steps carry a prompt chunk almost at once, so aggregated engines must run nearly idle.
    const result = sizeDeployment(input(h200, {rate: 50, sla: {ttftMs: 200, itlMs: 20, percentile: 'p99'}}));
    expect(roles(result)).toEqual(['prefill:h200_sxm-tp1x4', 'decode:h200_sxm-tp1x2']);
    expect(result.alternative).toMatchObject({mode: 'agg', total_gpus: 28});
  });

  it('Llama-3.1-70B on 4 x H100, ISL 2000 / OSL 500, TTFT 600 ms / ITL 40 ms: aggregated TP4 x 4 (16 GPUs)', () => {
    const result = sizeDeployment(input(candidatesOf(H100_70B_TP4), {workload: {isl: 2000, osl: 500, requestRate: 10}, sla: {ttftMs: 600, itlMs: 40, percentile: 'p90'}}));
    expect(roles(result)).toEqual(['agg:h100_sxm-tp4x4']);
    expect(result.total_gpus).toBe(16);
    expect(result.alternative?.total_gpus).toBe(20);
  });

  it('chooses between configs of one model: TP1 where it suffices, the TP2 twin where only it meets the target', () => {
    const [tp1] = candidatesOf(H100_8B);
    const both = [tp1!, tp2Twin(tp1!)];
    // Loose TTFT: three pooled TP1 prefill engines carry 3 x 7.2 req/s on 3 GPUs; TP2 would need 2 engines, 4 GPUs.
    const loose = sizeDeployment(input(both, {rate: 20, mode: 'disagg'}));
    expect(roles(loose)).toEqual(['prefill:h100_sxm-tp1x3', 'decode:h100_sxm-tp1x1']);
    // TTFT 80 ms: TP1's lone prefill takes 97 ms, so only TP2 (54 ms, plus the ~17 ms first decode step) can prefill.
    const tight = sizeDeployment(input(both, {rate: 20, mode: 'disagg', sla: {ttftMs: 80, itlMs: 20, percentile: 'p90'}}));
    expect(tight.roles[0]!.config.name).toBe('h100_sxm-tp2');
    expect(tight.candidates.find((entry) => entry.config === 'h100_sxm-tp1' && entry.role === 'prefill')?.feasible).toBe(false);
  });
});

describe('sizing properties over a grid of inputs', () => {
  const [tp1] = candidatesOf(H100_8B);
  const candidates = [tp1!, tp2Twin(tp1!)];
  const grid = {rates: [1, 5, 20, 60], isls: [500, 3000], percentiles: ['p50', 'p90', 'p99'] as const, modes: ['auto', 'disagg', 'agg'] as const};
  const slas = [
    {ttftMs: 400, itlMs: 40},
    {ttftMs: 200, itlMs: 20},
    {ttftMs: 120, itlMs: 12},
  ];

  function gpus(sizing: SizingInput): number | undefined {
    try {
      return sizeDeployment(sizing).total_gpus;
    } catch (error) {
      if (error instanceof DynamoPlanError && error.exitCode === ExitCode.slaNotAchievable) return undefined;
      throw error;
    }
  }

  it('a tighter SLA never needs fewer GPUs (and once infeasible, stays infeasible)', () => {
    let compared = 0;
    for (const rate of grid.rates) for (const isl of grid.isls) for (const percentile of grid.percentiles) for (const mode of grid.modes) {
      const needs = slas.map((sla) => gpus(input(candidates, {rate, mode, workload: {isl, osl: 150, requestRate: rate}, sla: {...sla, percentile}})));
      for (let i = 1; i < needs.length; i++) {
        if (needs[i - 1] === undefined) expect(needs[i]).toBeUndefined();
        else if (needs[i] !== undefined) {
          expect(needs[i]!).toBeGreaterThanOrEqual(needs[i - 1]!);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('twice the rate never needs fewer replicas of any role (same mode and configs)', () => {
    let compared = 0;
    for (const rate of grid.rates) for (const isl of grid.isls) for (const percentile of grid.percentiles) for (const mode of ['disagg', 'agg'] as const) {
      const at = (r: number) => {
        try {
          return sizeDeployment(input(candidates, {rate: r, mode, workload: {isl, osl: 150, requestRate: r}, sla: {ttftMs: 200, itlMs: 20, percentile}}));
        } catch {
          return undefined;
        }
      };
      const [once, twice] = [at(rate), at(2 * rate)];
      if (!once || !twice) continue;
      for (const role of once.roles) {
        const same = twice.roles.find((other) => other.role === role.role && other.config.name === role.config.name);
        if (same) {
          expect(same.replicas).toBeGreaterThanOrEqual(role.replicas);
          compared++;
        }
      }
      expect(twice.total_gpus).toBeGreaterThanOrEqual(once.total_gpus);
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('predicted latencies at the deployment\'s load meet the targets, and every engine runs within its capacity', () => {
    for (const rate of grid.rates) for (const percentile of grid.percentiles) {
      let result: SizingResult;
      try {
        result = sizeDeployment(input(candidates, {rate, sla: {ttftMs: 200, itlMs: 20, percentile}}));
      } catch {
        continue;
      }
      for (const role of result.roles) {
        expect(role.load_rps_per_engine).toBeLessThanOrEqual(role.capacity_rps_per_engine * (1 + 1e-9));
        if (role.predicted_ttft_ms !== null) expect(role.predicted_ttft_ms).toBeLessThanOrEqual(200 * (1 + 1e-6));
        if (role.predicted_itl_ms !== null) expect(role.predicted_itl_ms).toBeLessThanOrEqual(20 * (1 + 1e-6));
      }
    }
  });
});

describe('limits, load forms and workloads', () => {
  const h200 = candidatesOf(H200_8B_FP8);

  it('a GPU budget caps the deployment and reports the share of load served', () => {
    const result = sizeDeployment(input(h200, {rate: 50, mode: 'disagg', limits: {minReplicas: 1, maxGpus: 4}}));
    expect(result.total_gpus).toBeLessThanOrEqual(4);
    // 3 pooled prefill engines carry 3 x 15.1 = 45.4 req/s; one decode engine (41.8) is the bound: 41.8 of 50 req/s.
    expect(roles(result)).toEqual(['prefill:h200_sxm-tp1x3', 'decode:h200_sxm-tp1x1']);
    expect(result.load_served_fraction).toBeCloseTo(41.8 / 50, 2);
    expect(result.roles.every((role) => role.replicas_set_by === 'gpu-budget')).toBe(true);
  });

  it('--min-replicas raises a role\'s replicas and says so; an engine wider than a node is set aside', () => {
    const result = sizeDeployment(input(h200, {rate: 1, mode: 'disagg', limits: {minReplicas: 2}}));
    expect(result.roles.map((role) => [role.replicas, role.replicas_set_by])).toEqual([[2, 'min-replicas'], [2, 'min-replicas']]);
    const wide = candidatesOf(H100_70B_TP4);
    expect(() => sizeDeployment(input(wide, {limits: {minReplicas: 1, gpusPerNode: 2}, sla: {ttftMs: 1000, itlMs: 50, percentile: 'p90'}}))).toThrow(/budget|meets/);
  });

  it('--concurrency converts to a rate by Little\'s law with the predicted E2E', () => {
    const result = sizeDeployment(input(h200, {workload: {isl: 3000, osl: 150, concurrency: 64}}));
    const meanTtftMs = Math.max(...result.roles.map((role) => role.mean_ttft_ms ?? 0));
    const meanItlMs = Math.max(...result.roles.map((role) => role.mean_itl_ms ?? 0));
    const e2eS = (meanTtftMs + 149 * meanItlMs) / 1000;
    expect(result.workload.concurrency).toBe(64);
    // Sized for at least what 64 clients send at the predicted E2E (so they settle within it), not wildly more.
    expect(result.workload.request_rate * e2eS).toBeGreaterThanOrEqual(64 * 0.99);
    expect(result.workload.request_rate * e2eS).toBeLessThan(64 * 1.5);
  });

  it('an E2E target is split into TTFT and ITL targets that add up within it', () => {
    const result = sizeDeployment(input(h200, {rate: 20, sla: {e2eMs: 3000, percentile: 'p90'}}));
    expect(result.sla.e2e_ms).toBe(3000);
    expect(result.sla.ttft_ms + 149 * result.sla.itl_ms).toBeLessThanOrEqual(3000 + 1e-6);
  });

  it('a trace gives the rate and the spread: the Azure code trace sizes with its own ISL distribution', () => {
    const trace = loadTraceWorkload(`${TRACES}/azure_llm_2023_code.csv`);
    expect(trace.samples.length).toBeGreaterThan(1000);
    const withSpread = sizeDeployment(input(h200, {mode: 'disagg', workload: trace}));
    const meansOnly = sizeDeployment(input(h200, {mode: 'disagg', workload: {isl: trace.isl, osl: trace.osl, requestRate: trace.requestRate}}));
    expect(withSpread.workload.samples).toBe(trace.samples.length);
    // Long prompts in the tail queue everyone behind them: the spread costs prefill capacity.
    expect(withSpread.roles[0]!.capacity_rps_per_engine).toBeLessThan(meansOnly.roles[0]!.capacity_rps_per_engine);
  });
});

describe('--method dynamo: the classic profiler formulas', () => {
  it('matches the formulas computed by hand from the fitted coefficients', () => {
    const [h200] = candidatesOf(H200_8B_FP8);
    const result = sizeDeployment(input([h200!], {rate: 50, method: 'dynamo'}));
    // prefill: thpt/GPU = ISL / TTFT(ISL); replicas = ceil(R x ISL / thpt / 1).
    const ttft = 9.004101024329 + 0.014333155961779571 * 3000 + 4.719909783194051e-7 * 3000 ** 2;
    expect(result.roles[0]!.predicted_ttft_ms).toBeCloseTo(ttft, 9);
    expect(result.roles[0]!.replicas).toBe(Math.ceil((50 * 3000) / ((3000 / ttft) * 1000)));
    // decode: the largest n with ITL(n, 3075) <= 20 ms (KV holds 945376 / 3150 = 300), thpt/GPU = n / ITL.
    let n = 1;
    while (itlAt(h200!.itl!, n + 1, 3075) <= 20) n++;
    const thpt = (n / itlAt(h200!.itl!, n, 3075)) * 1000;
    expect(result.roles[1]!.batch_at_capacity).toBe(n);
    expect(result.roles[1]!.replicas).toBe(Math.ceil((50 * 150) / thpt));
    expect(roles(result)).toEqual(['prefill:h200_sxm-tp1x3', 'decode:h200_sxm-tp1x2']);
    expect(ttftAt(h200!.ttft!, 3000)).toBeCloseTo(ttft, 9);
    expect(result.notes.join(' ')).toMatch(/disaggregated deployments only/);
  });

  it('refuses --mode agg', () => {
    expect(() => sizeDeployment(input(candidatesOf(H200_8B_FP8), {method: 'dynamo', mode: 'agg'}))).toThrow(/disaggregated deployments only/);
  });
});

describe('an SLA no candidate meets', () => {
  it('throws exit 5 with the best TTFT/ITL per candidate in the message, the hint and the details', () => {
    const error = slaError(() => sizeDeployment(input(candidatesOf(H100_70B_TP4), {sla: {ttftMs: 100, itlMs: 10, percentile: 'p90'}})));
    expect(error.exitCode).toBe(ExitCode.slaNotAchievable);
    expect(error.code).toBe('E_SLA_NOT_ACHIEVABLE');
    // Lone prefill of 3000 tokens: 13.2 + 0.0802 x 3000 + 6.0e-7 x 3000^2 = 259 ms; one sequence decodes at 16.1 ms.
    expect(error.message).toMatch(/h100_sxm-tp4 reaches TTFT 259 ms, ITL 16\.1 ms/);
    expect(error.hint).toMatch(/TTFT needs at least 259 ms, ITL at least 16\.1 ms/);
    const details = error.details as {best_ttft_ms: number; best_itl_ms: number; candidates: {config: string; feasible: boolean}[]};
    expect(details.best_ttft_ms).toBeCloseTo(259, 0);
    expect(details.best_itl_ms).toBeCloseTo(16.1, 1);
    expect(details.candidates.every((entry) => !entry.feasible)).toBe(true);
  });

  it('an E2E no split can meet is exit 5 too; inconsistent input is exit 3', () => {
    expect(slaError(() => sizeDeployment(input(candidatesOf(H200_8B_FP8), {sla: {e2eMs: 100, percentile: 'p90'}}))).exitCode).toBe(5);
    const both = {isl: 3000, osl: 150, requestRate: 1, concurrency: 4};
    expect(slaError(() => sizeDeployment(input(candidatesOf(H200_8B_FP8), {workload: both}))).exitCode).toBe(ExitCode.badInput);
    expect(slaError(() => sizeDeployment(input(candidatesOf(H200_8B_FP8, H100_8B)))).message).toMatch(/different models/);
  });
});
