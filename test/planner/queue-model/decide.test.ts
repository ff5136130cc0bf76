// The queue model inside the decision core: its configuration, the throughput loop sizing with it, and the triggers
// on the load cadence with the floors they hold (all carried in the state between ticks).
import {describe, expect, it} from 'vitest';
import {capacitiesFromFits} from '../../../src/planner/capacity.js';
import {decide} from '../../../src/planner/decide.js';
import {createPlannerState} from '../../../src/planner/state.js';
import type {TickInput} from '../../../src/planner/tick.js';
import {config, once, run} from '../helpers.js';
import {capacities, steady, ttft} from './fixture.js';

const sla = {optimization_target: 'sla', ttft: 500, itl: 30, load_predictor: 'constant', max_gpu_budget: -1};
const kv = 444_208;
const engines = (queued: number[]) => queued.map((tokens, index) => ({worker_id: `p${index}`, queued_prefill_tokens: tokens}));
const decodeEngines = (waiting: number[]) => waiting.map((tokens, index) => ({worker_id: `d${index}`, queued_decode_kv_tokens: tokens, scheduled_decode_kv_tokens: 0}));
const fleet = (prefill: number, decode: number, starting = {prefill: 0, decode: 0}): TickInput['worker_counts'] => ({
  ready_num_prefill: prefill,
  ready_num_decode: decode,
  expected_num_prefill: prefill + starting.prefill,
  expected_num_decode: decode + starting.decode,
});

describe('configuration', () => {
  it('is off by default: Dynamo\'s sizing and no triggers', () => {
    const resolved = config(sla);
    expect(resolved.queue_model_percentile).toBeNull();
    expect(resolved.prefill_queue_trigger_share).toBeNull();
    expect(resolved.decode_kv_trigger_share).toBeNull();
  });

  it('refuses refinements of a queue model that is off, and a queue model outside the sla target', () => {
    expect(() => config({...sla, prefill_wait_feedback: true, decode_kv_headroom: true})).toThrow(/prefill_wait_feedback, decode_kv_headroom refine the queue model, which is off/);
    expect(() => config({optimization_target: 'throughput', queue_model_percentile: 99})).toThrow(/needs optimization_target sla/);
    expect(() => config({...sla, queue_model_percentile: 97})).toThrow();
  });
});

describe('throughput sizing with the queue model', () => {
  // 40 req/s of prompts alternating 300 and 4000 tokens, in 10 s bursts of 3x every minute.
  const lengths = steady(40, 0, 180, 0, 150).map((request, index) => ({isl: index % 2 === 0 ? 300 : 4000, osl: request.osl}));
  const counts = Array.from({length: 18}, (_, window) => (window % 6 === 5 ? 1200 : 312));
  const tick: TickInput = {now_s: 180, traffic: {duration_s: 180, num_req: lengths.length, isl: 2150, osl: 150, lengths, arrivals: {window_s: 10, counts}}, worker_counts: fleet(2, 2)};
  const prefillFor = (fields: Record<string, unknown>) => once(config({...sla, ...fields}), tick, capacities).scale_to.prefill ?? 2;

  it('buys prefill for the queue, more for a higher percentile, and more again for the bursts', () => {
    const dynamo = prefillFor({});
    const p50 = prefillFor({queue_model_percentile: 50});
    const p99 = prefillFor({queue_model_percentile: 99});
    const bursts = prefillFor({queue_model_percentile: 99, prefill_burst_window_s: 10, prefill_burst_percentile: 90});
    expect(p99).toBeGreaterThan(dynamo);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(bursts).toBeGreaterThan(p99);
  });

  it('names the model in the diagnostics, and falls back to Dynamo\'s sizing with a note when no TTFT fit is given', () => {
    const withModel = once(config({...sla, queue_model_percentile: 99}), tick, capacities);
    expect(withModel.diagnostics.capacity_source.prefill).toMatch(/M\/G\/c pool at p99/);
    const {models: _models, ...withoutModels} = capacities;
    const fallback = once(config({...sla, queue_model_percentile: 99}), tick, withoutModels);
    expect(fallback.scale_to.prefill).toBe(once(config(sla), tick, capacities).scale_to.prefill);
    expect(fallback.diagnostics.notes.join('\n')).toMatch(/no TTFT fit for prefill/);
  });

  it('learns the wait feedback from the observed prefill time and keeps it in the state', () => {
    const feedback = config({...sla, queue_model_percentile: 99, prefill_wait_feedback: true});
    // Six prefill engines ready over the interval, whose prompts waited 400 ms on average.
    const [first] = run(feedback, [{...tick, worker_counts: fleet(6, 2), traffic: {...tick.traffic!, prefill_ms: 400}}], capacities);
    expect(first!.state.queue_model.wait_feedback.updates).toBe(1);
    expect(first!.state.queue_model.wait_feedback.factor).toBeGreaterThan(1);
  });
});

describe('triggers on the load cadence', () => {
  const triggers = config({...sla, prefill_queue_trigger_share: 0.5, decode_kv_trigger_share: 0.5, engine_startup_s: 60});
  const fits = capacitiesFromFits({ttft}, undefined);
  // An engine prefills 3000-token prompts at this many tokens per second.
  const tokensPerSecond = fits.prefill!(3000).requestsPerSecond * 3000;
  const base: TickInput = {now_s: 5, worker_counts: fleet(2, 2), capabilities: {decode: {max_kv_tokens: kv}}, engines: {prefill: engines([0, 0]), decode: decodeEngines([0, 0])}};

  it('run every load interval even with the load loop off', () => {
    expect(triggers.enable_load_scaling).toBe(false);
    const decision = decide(triggers, createPlannerState(triggers), {...base, now_s: 0}, capacities);
    expect(decision.state.schedule?.next_load_s).toBe(5);
    expect(decision.reasons.load).toBe('disabled');
  });

  it('add prefill when the queue per engine would take over half the TTFT target, and hold it through a throughput tick', () => {
    // 1.5 s of queued prompts per engine: three times the 250 ms allowed, so 2 engines become 4 (at most doubling).
    const queued = Math.round(1.5 * tokensPerSecond);
    const state = {...createPlannerState(triggers), last_traffic: {isl: 3000, osl: 150, kv_hit_rate: 0}};
    const fired = decide(triggers, state, {...base, engines: {...base.engines, prefill: engines([queued, queued])}}, capacities);
    expect(fired.scale_to.prefill).toBe(4);
    expect(fired.reasons.load).toBe('queue_trigger');
    expect(fired.reasons.load_prefill).toBe('queue_trigger');
    expect(fired.state.queue_model.held.prefill).toEqual({count: 4, until_s: 5 + 60 + 180});
    // The first throughput tick sees little traffic and would size 1 prefill engine: the held floor keeps 4.
    const quiet = {now_s: 180, traffic: {duration_s: 180, num_req: 18, isl: 3000, osl: 150}, worker_counts: fleet(4, 2), capabilities: base.capabilities, engines: {prefill: engines([0, 0, 0, 0]), decode: decodeEngines([0, 0])}};
    const held = decide(triggers, fired.state, quiet, capacities);
    expect(held.scale_to.prefill).toBeNull();
    // The next throughput tick, after the hold, scales prefill down.
    const later = decide(triggers, held.state, {...quiet, now_s: 360}, capacities);
    expect(later.scale_to.prefill).toBe(1);
  });

  it('wait while an engine of the role is still starting', () => {
    const state = {...createPlannerState(triggers), last_traffic: {isl: 3000, osl: 150, kv_hit_rate: 0}};
    const queued = Math.round(1.5 * tokensPerSecond);
    const decision = decide(triggers, state, {...base, worker_counts: fleet(2, 2, {prefill: 1, decode: 0}), engines: {...base.engines, prefill: engines([queued, queued])}}, capacities);
    expect(decision.scale_to.prefill).toBeNull();
  });

  it('add decode when prompts waiting for KV room pass half the engines\' KV cache, an engine per cache-full waiting', () => {
    const decision = decide(triggers, createPlannerState(triggers), {...base, engines: {...base.engines, decode: decodeEngines([kv, 0.5 * kv])}}, capacities);
    expect(decision.scale_to.decode).toBe(4);
    expect(decision.diagnostics.notes.join('\n')).toMatch(/decode trigger/);
    const under = decide(triggers, createPlannerState(triggers), {...base, engines: {...base.engines, decode: decodeEngines([0.4 * kv, 0.5 * kv])}}, capacities);
    expect(under.scale_to.decode).toBeNull();
  });

  it('stay within the GPU budget', () => {
    const budgeted = config({...sla, max_gpu_budget: 5, decode_kv_trigger_share: 0.5});
    const decision = decide(budgeted, createPlannerState(budgeted), {...base, engines: {...base.engines, decode: decodeEngines([2 * kv, 2 * kv])}}, capacities);
    expect(decision.scale_to.decode).toBe(3);
  });
});
