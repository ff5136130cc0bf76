// Dynamo's planner unit-test figures (reference notes, section 7), reproduced through the decision core.
import {describe, expect, it} from 'vitest';
import {clampPairToBudget, clampSingleToBudget} from '../../src/planner/budget.js';
import {advanceSchedule, initialSchedule, nextTickAt} from '../../src/planner/cadence.js';
import {estimateNextTtftS} from '../../src/planner/load-scaling.js';
import type {TickInput} from '../../src/planner/tick.js';
import {config, decodeEngines, once, perGpuThroughput, prefillEngines, run} from './helpers.js';

describe('1. G1 replica calculation (test_replica_calculation.py)', () => {
  const g1 = (extra: Record<string, unknown> = {}) => config({optimization_target: 'sla', ttft: 500, itl: 50, throughput_adjustment_interval: 60, load_predictor: 'constant', ...extra});
  const tick = (numReq: number): TickInput => ({now_s: 60, traffic: {duration_s: 60, num_req: numReq, isl: 3000, osl: 150}, worker_counts: {ready_num_prefill: 4, ready_num_decode: 4}});

  it('num_req 10 with decode 10000 tokens/s/GPU -> P=1, D=1', () => {
    const decision = once(g1(), tick(10), perGpuThroughput(40000, 10000));
    expect(decision.scale_to).toEqual({prefill: 1, decode: 1});
    expect(decision.reasons.throughput).toBe('scale');
  });

  it('num_req 500 with decode 1000 tokens/s/GPU -> P=1, D=2', () => {
    expect(once(g1(), tick(500), perGpuThroughput(40000, 1000)).scale_to).toEqual({prefill: 1, decode: 2});
  });

  it('num_req 20 with 2/4 GPUs per engine at 40000/5000 -> P=1, D=1', () => {
    const decision = once(g1({prefill_engine_num_gpu: 2, decode_engine_num_gpu: 4}), tick(20), perGpuThroughput(40000, 5000, {prefill: 2, decode: 4}));
    expect(decision.scale_to).toEqual({prefill: 1, decode: 1});
  });

  it('max_gpu_budget 3 with num_req 50 -> P + D <= 3', () => {
    const unbounded = once(g1({max_gpu_budget: -1}), tick(50), perGpuThroughput(40000, 10));
    expect(unbounded.scale_to.decode).toBe(13);
    const decision = once(g1({max_gpu_budget: 3}), tick(50), perGpuThroughput(40000, 10));
    expect(decision.scale_to.prefill! + decision.scale_to.decode!).toBeLessThanOrEqual(3);
    expect(decision.scale_to).toEqual({prefill: 1, decode: 2});
  });
});

const capabilities = {prefill: {context_length: 4096, max_kv_tokens: 100000}, decode: {context_length: 4096, max_kv_tokens: 100000}};

describe('2. static thresholds, prefill (test_easy_scaling.py)', () => {
  const prefillTick = (queued: number[]): TickInput => ({now_s: 0, capabilities, worker_counts: {ready_num_prefill: queued.length}, engines: {prefill: prefillEngines(queued)}});
  const cases: [string, number[], number | null, string][] = [
    ['throughput', [4096], 2, 'scale_up'],
    ['throughput', [2048, 2048], null, 'no_change'],
    ['throughput', [204, 204], 1, 'scale_down'],
    ['throughput', [0], null, 'no_change'],
    ['latency', [410], 2, 'scale_up'],
    ['latency', [0, 0], 1, 'scale_down'],
    ['latency', [10, 10], null, 'no_change'],
  ];
  for (const [target, queued, expected, reason] of cases) {
    it(`${target}: ${queued.length} worker(s) at ${queued[0]} queued -> ${expected ?? 'no change'}`, () => {
      const decision = once(config({mode: 'prefill', optimization_target: target}), prefillTick(queued));
      expect(decision.scale_to.prefill).toBe(expected);
      expect(decision.reasons.load).toBe(reason);
      expect(decision.reasons.throughput).toBe('disabled');
    });
  }
});

describe('3. static thresholds, decode (test_easy_scaling.py)', () => {
  const decodeTick = (loads: [number, number][]): TickInput => ({now_s: 0, capabilities, worker_counts: {ready_num_decode: loads.length}, engines: {decode: decodeEngines(loads)}});
  const cases: [string, [number, number][], number | null][] = [
    ['throughput', [[80000, 30000]], 2],
    ['throughput', [[40000, 0], [40000, 0]], 1],
    ['throughput', [[70000, 0], [70000, 0]], null],
    ['latency', [[45000, 0]], 2],
    ['latency', [[5000, 0], [5000, 0]], 1],
    ['throughput', [[50000, 0], [80000, 30000]], 3],
    ['throughput', [[20000, 0], [70000, 0]], null],
  ];
  for (const [target, loads, expected] of cases) {
    it(`${target}: ${JSON.stringify(loads)} -> ${expected ?? 'no change'}`, () => {
      expect(once(config({mode: 'decode', optimization_target: target}), decodeTick(loads)).scale_to.decode).toBe(expected);
    });
  }
});

describe('4. cadence (test_state_machine.py)', () => {
  it('initial tick at t0 + load interval; a load tick at 10 -> next at 15; a throughput tick at 60 -> next at 120', () => {
    const loadOnly = config({optimization_target: 'throughput'});
    expect(nextTickAt(initialSchedule(loadOnly, 100))).toBe(105);
    expect(nextTickAt(advanceSchedule(loadOnly, initialSchedule(loadOnly, 0), 10, {load: true, throughput: false}))).toBe(15);
    const throughputOnly = config({optimization_target: 'sla', ttft: 500, itl: 50, throughput_adjustment_interval: 60});
    expect(nextTickAt(advanceSchedule(throughputOnly, initialSchedule(throughputOnly, 0), 60, {load: false, throughput: true}))).toBe(120);
  });

  it('decide runs each loop on its own cadence and reports the next tick', () => {
    const both = config({optimization_target: 'sla', ttft: 500, itl: 50, enable_load_scaling: true, throughput_adjustment_interval: 60});
    const decisions = run(both, [0, 5, 7, 60].map((now_s) => ({now_s})));
    expect(decisions.map((decision) => decision.diagnostics.ran)).toEqual([
      {load: true, throughput: true},
      {load: true, throughput: false},
      {load: false, throughput: false},
      {load: true, throughput: true},
    ]);
    expect(decisions.map((decision) => decision.diagnostics.next_tick_s)).toEqual([5, 10, 10, 65]);
  });
});

// Step-time training data: five engines' steps in one tick (five ready workers), each giving one sample.
const decodeTraining = (wall: (kv: number) => number): TickInput => ({
  now_s: 0,
  capabilities,
  worker_counts: {ready_num_decode: 5},
  engines: {decode: [5000, 10000, 20000, 30000, 40000].map((kv, index) => ({worker_id: `t${index}`, num_decode_requests: kv / 1000, scheduled_decode_kv_tokens: kv, wall_time_s: wall(kv)}))},
});
const prefillTraining = (tokens: number[], wall: (t: number) => number): TickInput => ({
  now_s: 0,
  capabilities: {prefill: {max_num_batched_tokens: 2048}},
  worker_counts: {ready_num_prefill: tokens.length},
  engines: {prefill: tokens.map((t, index) => ({worker_id: `t${index}`, scheduled_prefill_tokens: t, num_prefill_requests: 1, wall_time_s: wall(t)}))},
});

describe('5. SLA load scaling, decode scale-down (test_state_machine.py)', () => {
  const slaDecode = (itl: number) => config({mode: 'decode', optimization_target: 'sla', ttft: 500, itl, enable_load_scaling: true, enable_throughput_scaling: false});
  const twoAt = (scheduled: number): TickInput => ({now_s: 5, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: decodeEngines([[scheduled, 0], [scheduled, 0]])}});
  const training = decodeTraining((kv) => 0.00001 * kv + 0.001);

  it('itl 100, sched_kv 1500 on each of 2 -> 1', () => {
    const [, decision] = run(slaDecode(100), [training, twoAt(1500)]);
    expect(decision!.scale_to.decode).toBe(1);
    expect(decision!.reasons.load).toBe('scale_down');
  });

  it('itl 100, sched_kv 8000 -> refused', () => {
    const [, decision] = run(slaDecode(100), [training, twoAt(8000)]);
    expect(decision!.scale_to.decode).toBeNull();
    expect(decision!.reasons.load).toBe('scale_down_refused_consolidation');
  });

  it('itl 10000, sched_kv 60000 -> refused on the KV cache', () => {
    const [, decision] = run(slaDecode(10000), [training, twoAt(60000)]);
    expect(decision!.scale_to.decode).toBeNull();
    expect(decision!.reasons.load).toBe('scale_down_refused_consolidation');
  });

  it('fewer than 5 samples -> insufficient_data', () => {
    const short = {...training, worker_counts: {ready_num_decode: 3}, engines: {decode: training.engines!.decode!.slice(0, 3)}};
    const [, decision] = run(slaDecode(100), [short, twoAt(1500)]);
    expect(decision!.reasons.load).toBe('insufficient_data');
  });
});

describe('6. SLA load scaling, prefill scale-down (test_state_machine.py)', () => {
  const slaPrefill = (ttft: number) => config({mode: 'prefill', optimization_target: 'sla', ttft, itl: 50, enable_load_scaling: true, enable_throughput_scaling: false, max_gpu_budget: -1});
  const linear = (t: number) => 1e-5 * t + 1e-3;
  const wide = prefillTraining([500, 1000, 1500, 2000, 2500], linear);
  const narrow = prefillTraining([1500, 1750, 2000, 2250, 2500], linear);
  const queued = (n: number, tokens: number): TickInput => ({now_s: 5, capabilities: {prefill: {max_num_batched_tokens: 2048}}, worker_counts: {ready_num_prefill: n}, engines: {prefill: prefillEngines(Array(n).fill(tokens))}});

  it('ttft 100: N=2 at queue 0 -> 1; queue 30000 -> stays >= 2; N=10 at queue 2000 -> 9', () => {
    expect(run(slaPrefill(100), [wide, queued(2, 0)])[1]!.scale_to.prefill).toBe(1);
    const busy = run(slaPrefill(100), [wide, queued(2, 30000)])[1]!;
    expect(busy.scale_to.prefill ?? 2).toBeGreaterThanOrEqual(2);
    expect(busy.reasons.load).toBe('scale_up');
    expect(run(slaPrefill(100), [wide, queued(10, 2000)])[1]!.scale_to.prefill).toBe(9);
  });

  it('training 1500..2500, ttft 50: N=2 at queue 1000 -> 1, with T_own about 21 ms', () => {
    const decision = run(slaPrefill(50), [narrow, queued(2, 1000)])[1]!;
    expect(decision.scale_to.prefill).toBe(1);
    const {intercept_s, coefficients} = decision.diagnostics.regression.prefill;
    const ownMs = estimateNextTtftS({intercept: intercept_s!, coefficients: coefficients!}, 0, 2048, 2000, 0) * 1000;
    expect(ownMs).toBeCloseTo(21, 6);
  });

  it('ttft 15, N=2 at queue 0: T_own alone exceeds the SLA, so never a scale-down', () => {
    const decision = run(slaPrefill(15), [narrow, queued(2, 0)])[1]!;
    expect(decision.scale_to.prefill).not.toBe(1);
    expect(decision.reasons.load).toBe('scale_up');
  });
});

describe('7. PR #8861 floor (later removed): throughput scaling does not floor on TTFT', () => {
  it('1 request per 60 s at ISL 1000 with a 1 s prefill and ttft 200 -> P=1 (the removed floor gave >= 6)', () => {
    const plan = config({mode: 'prefill', optimization_target: 'sla', ttft: 200, itl: 50, enable_load_scaling: true, throughput_adjustment_interval: 60, load_predictor: 'constant'});
    const training = prefillTraining([500, 1000, 1500, 2000, 2500], (t) => 0.001 * t + 0.002);
    const traffic: TickInput = {now_s: 60, traffic: {duration_s: 60, num_req: 1, isl: 1000, osl: 100}, capabilities: {prefill: {max_num_batched_tokens: 2048}}, worker_counts: {ready_num_prefill: 1}};
    const decision = run(plan, [training, traffic])[1]!;
    expect(decision.diagnostics.ran.throughput).toBe(true);
    expect(decision.diagnostics.capacity_source.prefill).toBe('online regression');
    expect(decision.diagnostics.throughput_needed?.prefill).toBe(1);
    expect(decision.diagnostics.estimated_ttft_ms).toBeCloseTo(1002, 6);
    expect(decision.reasons.throughput).toBe('set_lower_bound');
  });
});

describe('8. GPU budget (test_budget.py)', () => {
  it('proportional_clamp_pair and clamp_single', () => {
    expect(clampPairToBudget(5, 5, 1, 1, 4, 1)).toEqual({prefill: 2, decode: 2});
    expect(clampPairToBudget(5, 5, 1, 1, 1, 1)).toEqual({prefill: 0, decode: 0});
    expect(clampPairToBudget(5, 5, 1, 1, -1, 1)).toEqual({prefill: 5, decode: 5});
    expect(clampSingleToBudget(10, 1, 4, 1)).toBe(4);
    expect(clampSingleToBudget(5, 1, 2, 3)).toBe(0);
  });
});

describe('9. predictors through the core (test_load_predictors.py)', () => {
  const plan = (extra: Record<string, unknown> = {}) => config({optimization_target: 'sla', ttft: 500, itl: 50, throughput_adjustment_interval: 60, load_predictor: 'constant', ...extra});
  const intervals = (counts: number[]): TickInput[] => counts.map((num_req, index) => ({now_s: index * 60, traffic: {duration_s: 60, num_req, isl: 1000, osl: 100}}));

  it('constant over [10, 20, 30] predicts 30', () => {
    const decisions = run(plan(), intervals([10, 20, 30]), perGpuThroughput(40000, 10000));
    expect(decisions[2]!.diagnostics.predicted?.num_req).toBe(30);
  });

  it('5 then 0 predicts 0 when zero traffic counts (Dynamo skips the idle interval)', () => {
    const ours = run(plan({scale_down_at_zero_traffic: true}), intervals([5, 0]), perGpuThroughput(40000, 10000));
    expect(ours[1]!.diagnostics.predicted?.num_req).toBe(0);
    const dynamo = run(plan(), intervals([5, 0]), perGpuThroughput(40000, 10000));
    expect(dynamo[1]!.reasons.throughput).toBe('no_traffic_data');
    expect(dynamo[1]!.diagnostics.predicted).toBeNull();
  });
});
