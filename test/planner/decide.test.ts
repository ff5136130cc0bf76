// Absent inputs, state round trips, and each of our improvements changing the decision where it should.
import {describe, expect, it} from 'vitest';
import {decide} from '../../src/planner/decide.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {createPlannerState, type PlannerState} from '../../src/planner/state.js';
import type {TickInput} from '../../src/planner/tick.js';
import {config, decodeEngines, once, perGpuThroughput, run} from './helpers.js';

const capabilities = {decode: {max_kv_tokens: 100000, context_length: 4096}, prefill: {context_length: 4096, max_kv_tokens: 100000}};
const throughputTarget = config({mode: 'decode', optimization_target: 'throughput'});
const slaThroughput = (extra: Record<string, unknown> = {}) => config({optimization_target: 'sla', ttft: 500, itl: 50, throughput_adjustment_interval: 60, load_predictor: 'constant', max_gpu_budget: -1, ...extra});
const interval = (now_s: number, num_req: number, ready = 3): TickInput => ({now_s, traffic: {duration_s: 60, num_req, isl: 1000, osl: 100}, worker_counts: {ready_num_prefill: ready, ready_num_decode: ready, expected_num_prefill: ready, expected_num_decode: ready}});

describe('absent inputs', () => {
  it('a tick with only now_s decides nothing and says why', () => {
    const decision = once(throughputTarget, {now_s: 0});
    expect(decision.scale_to).toEqual({prefill: null, decode: null});
    expect(decision.reasons.load).toBe('no_fpm_data');
    expect(decision.diagnostics.notes.join(' ')).toMatch(/replica count is unknown/);
  });

  it('without worker_counts the workers observed are the ready count', () => {
    const decision = once(throughputTarget, {now_s: 0, capabilities, engines: {decode: decodeEngines([[110000, 0]])}});
    expect(decision.scale_to.decode).toBe(2);
    expect(decision.diagnostics.notes.join(' ')).toMatch(/taking the 1 workers observed/);
  });

  it('without max_kv_tokens the decode threshold cannot be read: insufficient_data', () => {
    const decision = once(throughputTarget, {now_s: 0, worker_counts: {ready_num_decode: 1}, engines: {decode: decodeEngines([[110000, 0]])}});
    expect(decision.reasons.load).toBe('insufficient_data');
  });

  it('an engine without its KV figure may still trigger a scale-up but blocks a scale-down', () => {
    const engines = [{worker_id: 'd0', scheduled_decode_kv_tokens: 10}, {worker_id: 'd1'}];
    expect(once(throughputTarget, {now_s: 0, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: engines}}).scale_to.decode).toBeNull();
    const over = [{worker_id: 'd0', scheduled_decode_kv_tokens: 120000}, {worker_id: 'd1'}];
    expect(once(throughputTarget, {now_s: 0, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: over}}).scale_to.decode).toBe(3);
  });

  it('guards: scaling in progress, and engines that do not match the ready workers', () => {
    const starting = once(throughputTarget, {now_s: 0, capabilities, worker_counts: {ready_num_decode: 1, expected_num_decode: 2}, engines: {decode: decodeEngines([[110000, 0]])}});
    expect(starting.reasons.load).toBe('scaling_in_progress');
    expect(starting.scale_to.decode).toBeNull();
    const mismatch = once(throughputTarget, {now_s: 0, capabilities, worker_counts: {ready_num_decode: 3}, engines: {decode: decodeEngines([[110000, 0]])}});
    expect(mismatch.reasons.load).toBe('worker_count_mismatch');
  });

  it('traffic without ISL/OSL: no_traffic_data at first, then the last known lengths are carried forward', () => {
    const plan = slaThroughput();
    const [first] = run(plan, [{now_s: 0, traffic: {duration_s: 60, num_req: 10}}], perGpuThroughput(40000, 10000));
    expect(first!.reasons.throughput).toBe('no_traffic_data');
    const [, second] = run(plan, [interval(0, 10), {now_s: 60, traffic: {duration_s: 60, num_req: 600}}], perGpuThroughput(40000, 1000));
    expect(second!.reasons.throughput).toBe('scale');
    expect(second!.diagnostics.predicted).toMatchObject({isl: 1000, osl: 100});
  });

  it('no capacity model and no trained regression: model_not_ready', () => {
    const decision = once(slaThroughput(), interval(0, 10));
    expect(decision.reasons.throughput).toBe('model_not_ready');
    expect(decision.scale_to).toEqual({prefill: null, decode: null});
  });
});

describe('state', () => {
  it('survives JSON and validates against the state schema, deciding exactly as the in-memory state', () => {
    const plan = config({optimization_target: 'sla', ttft: 200, itl: 30, enable_load_scaling: true, throughput_adjustment_interval: 60, load_predictor: 'kalman', max_gpu_budget: -1});
    const ticks: TickInput[] = Array.from({length: 30}, (_, index) => ({
      now_s: index * 5,
      traffic: {duration_s: 60, num_req: 100 + index * 7, isl: 1000, osl: 100},
      capabilities: {...capabilities, prefill: {...capabilities.prefill, max_num_batched_tokens: 2048}},
      worker_counts: {ready_num_prefill: 1, ready_num_decode: 1},
      engines: {
        prefill: [{worker_id: 'p', queued_prefill_tokens: index * 10, scheduled_prefill_tokens: 500 + index * 50, num_prefill_requests: 1, wall_time_s: 0.01 + index * 0.001}],
        decode: [{worker_id: 'd', num_decode_requests: 10 + index, scheduled_decode_kv_tokens: 10000 + index * 900, queued_decode_kv_tokens: 0, wall_time_s: 0.01 + index * 0.0005}],
      },
    }));
    const capacities = perGpuThroughput(40000, 5000);
    const inMemory = run(plan, ticks, capacities);
    let state: PlannerState = createPlannerState(plan);
    const validate = schemaValidator('planner-state.schema.json');
    for (const [index, tick] of ticks.entries()) {
      const decision = decide(plan, state, tick, capacities);
      const text = JSON.stringify(decision.state);
      state = JSON.parse(text) as PlannerState;
      expect(validate(state) ? [] : validate.errors).toEqual([]);
      expect(decision.scale_to).toEqual(inMemory[index]!.scale_to);
      expect(decision.reasons).toEqual(inMemory[index]!.reasons);
    }
    expect(state.regression.decode.samples.length).toBeGreaterThan(5);
    expect(inMemory.at(-1)!.diagnostics.regression.decode.coefficients).not.toBeNull();
  });

  it('decide does not modify the state it is given', () => {
    for (const predictor of ['constant', 'moving-average', 'kalman', 'arima']) {
      const plan = config({optimization_target: 'sla', ttft: 200, itl: 30, enable_load_scaling: true, throughput_adjustment_interval: 60, load_predictor: predictor});
      const ticks = [interval(0, 10), interval(60, 20), interval(120, 30)].map((tick) => ({...tick, capabilities, engines: {decode: [{worker_id: 'd', num_decode_requests: 4, scheduled_decode_kv_tokens: 4000, wall_time_s: 0.01}]}}));
      const states = [createPlannerState(plan)];
      for (const tick of ticks) states.push(decide(plan, states.at(-1)!, tick, perGpuThroughput(40000, 10000)).state);
      const before = states.map((state) => JSON.stringify(state));
      for (const [index, tick] of ticks.entries()) decide(plan, states[index]!, tick, perGpuThroughput(40000, 10000));
      expect(states.map((state) => JSON.stringify(state))).toEqual(before);
    }
  });
});

describe('improvements (each off by default, each changes the decision where it should)', () => {
  it('throughput_sizing_percentile sizes above a forecast that keeps lagging a ramp', () => {
    const ramp = Array.from({length: 7}, (_, index) => interval(index * 60, Math.round(100 * 1.1 ** index), 1));
    const capacities = perGpuThroughput(40000, 100);
    const plain = run(slaThroughput(), ramp, capacities).at(-1)!;
    const sized = run(slaThroughput({throughput_sizing_percentile: 90}), ramp, capacities).at(-1)!;
    expect(plain.scale_to.decode).toBe(3);
    expect(sized.diagnostics.demand!.sizing_factor).toBeCloseTo(1.1, 2);
    expect(sized.scale_to.decode).toBe(4);
  });

  it('throughput_sizing_percentile plans at most 1.2x the busiest recent interval, however large the forecast errors', () => {
    // Lulls and bursts: the constant forecast misses by 10x after each lull, so the p90 of its errors is about 10.
    const erratic = Array.from({length: 12}, (_, index) => interval(index * 60, index % 2 === 0 ? 100 : 1000, 1));
    const last = run(slaThroughput({throughput_sizing_percentile: 90}), [...erratic, interval(720, 900, 1)], perGpuThroughput(40000, 100)).at(-1)!;
    expect(last.diagnostics.demand!.sizing_factor).toBeGreaterThan(5);
    // Forecast 900 (the last interval), busiest 1000: 1200 requests a minute, not 900 x 10.
    expect(last.diagnostics.demand!.request_rate_rps).toBeCloseTo(1200 / 60, 9);
  });

  it('engine_startup_s adds the rise expected while new engines start', () => {
    const ramp = Array.from({length: 8}, (_, index) => interval(index * 60, 100 + index * 100));
    const capacities = perGpuThroughput(40000, 100);
    const plain = run(slaThroughput({load_predictor: 'kalman'}), ramp, capacities).at(-1)!;
    const early = run(slaThroughput({load_predictor: 'kalman', engine_startup_s: 180}), ramp, capacities).at(-1)!;
    expect(plain.diagnostics.demand!.startup_extra_requests).toBe(0);
    expect(early.diagnostics.demand!.startup_extra_requests).toBeGreaterThan(0);
    expect(early.scale_to.decode!).toBeGreaterThan(plain.scale_to.decode!);
  });

  it('scale_down_sustained_ticks holds a scale-down until the signal has lasted', () => {
    const low = (now_s: number): TickInput => ({now_s, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: decodeEngines([[40000, 0], [40000, 0]])}});
    const ticks = [0, 5, 10].map(low);
    expect(run(throughputTarget, ticks).map((decision) => decision.scale_to.decode)).toEqual([1, 1, 1]);
    const sustained = run(config({mode: 'decode', optimization_target: 'throughput', scale_down_sustained_ticks: 3}), ticks);
    expect(sustained.map((decision) => decision.scale_to.decode)).toEqual([null, null, 1]);
    expect(sustained[0]!.reasons.load).toBe('scale_down_deferred');
  });

  it('scale_down_cooldown_s waits after the last change', () => {
    const plan = config({mode: 'decode', optimization_target: 'throughput', scale_down_cooldown_s: 60});
    const up: TickInput = {now_s: 0, capabilities, worker_counts: {ready_num_decode: 1}, engines: {decode: decodeEngines([[110000, 0]])}};
    const low = (now_s: number): TickInput => ({now_s, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: decodeEngines([[40000, 0], [40000, 0]])}});
    const decisions = run(plan, [up, low(5), low(65)]);
    expect(decisions.map((decision) => decision.scale_to.decode)).toEqual([2, null, 1]);
  });

  it('scale_down_at_zero_traffic lets an idle interval bring the floor down (Dynamo keeps it: #6985)', () => {
    const capacities = perGpuThroughput(40000, 100);
    const ticks = [interval(0, 600, 1), interval(60, 0, 4)];
    const dynamo = run(slaThroughput(), ticks, capacities);
    expect(dynamo[0]!.scale_to.decode).toBe(10);
    expect(dynamo[1]!.scale_to).toEqual({prefill: null, decode: null});
    expect(dynamo[1]!.reasons.throughput).toBe('no_traffic_data');
    const ours = run(slaThroughput({scale_down_at_zero_traffic: true}), ticks, capacities);
    expect(ours[1]!.scale_to).toEqual({prefill: 1, decode: 1});
  });

  it('scale_to_zero_idle_s scales everything to zero when idle and wakes on the first request', () => {
    const plan = slaThroughput({scale_down_at_zero_traffic: true, scale_to_zero_idle_s: 120});
    const capacities = perGpuThroughput(40000, 100);
    // Requests last seen at 0 s: idle for 120 s at the third tick; at zero replicas the fourth has nothing to change.
    const decisions = run(plan, [interval(0, 60, 1), interval(60, 0, 1), interval(120, 0, 1), interval(180, 0, 0), interval(240, 30, 0)], capacities);
    expect(decisions.map((decision) => decision.reasons.throughput)).toEqual(['scale', 'scale', 'scale_to_zero', 'scale_to_zero', 'wake_from_zero']);
    expect(decisions[2]!.scale_to).toEqual({prefill: 0, decode: 0});
    expect(decisions[3]!.scale_to).toEqual({prefill: null, decode: null});
    expect(decisions[4]!.scale_to).toEqual({prefill: 1, decode: 1});
    const never = run(slaThroughput({scale_down_at_zero_traffic: true}), [interval(0, 60, 1), interval(60, 0, 1), interval(120, 0, 1), interval(180, 0, 1)], capacities);
    expect(never.at(-1)!.scale_to).toEqual({prefill: null, decode: null});
  });
  it('scale_to_zero_idle_s judges idleness only on ticks that report traffic, not on the load ticks between them', () => {
    // Load ticks every 5 s (no traffic), throughput ticks every 180 s with steady traffic; idle time 120 s < 180 s.
    const plan = config({optimization_target: 'sla', ttft: 500, itl: 50, enable_load_scaling: true, load_predictor: 'constant', max_gpu_budget: -1, scale_to_zero_idle_s: 120});
    const ticks: TickInput[] = Array.from({length: 80}, (_, index) => ({
      now_s: index * 5,
      worker_counts: {ready_num_prefill: 1, ready_num_decode: 1},
      ...(index % 36 === 0 ? {traffic: {duration_s: 180, num_req: 360, isl: 1000, osl: 100}} : {}),
    }));
    const decisions = run(plan, ticks, perGpuThroughput(40000, 100));
    expect(decisions.some((decision) => decision.reasons.throughput === 'scale_to_zero')).toBe(false);
    expect(decisions.every((decision) => decision.scale_to.prefill !== 0 && decision.scale_to.decode !== 0)).toBe(true);
  });
});
