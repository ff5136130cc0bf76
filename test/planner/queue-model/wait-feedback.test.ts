// The queue model's wait feedback: a multiplier of the modelled prefill queue wait, fitted interval by interval as
// floor + factor x modelled wait against the prefill legs' observed mean time.
import {describe, expect, it} from 'vitest';
import {createQueueModelState} from '../../../src/planner/queue-model/state.js';
import {observeWait, type ObservedPrefill} from '../../../src/planner/queue-model/wait-feedback.js';
import {prefillRoleModel} from '../../../src/sizing/prefill.js';
import {prepareWorkload} from '../../../src/sizing/workload.js';
import {steady, ttft} from './fixture.js';

const isl = 2000;
/** 40 req/s of 2000-token prompts over 180 s. */
const lengths = steady(40, 0, 180, isl, 100);
const fresh = () => createQueueModelState().wait_feedback;
const options = {weight: 0.25, min: 0.5, max: 20};
// The uncorrected model for that traffic: a prompt's own prefill and the mean queue wait on `engines`.
const model = prefillRoleModel(ttft, prepareWorkload({isl: 1, osl: 1, samples: [{isl, osl: 100}]}, 'p99'), 500, {arrivalScv: 1});
const serviceMs = model.pool!.at(0, 1).meanTtftMs!;
const modelledMs = (engines: number) => model.pool!.at(40 / engines, engines).meanTtftMs! - serviceMs;
/** An interval on `engines` whose prefill legs waited `slope` times the model's wait plus a `floorMs` of clumps. */
const interval = (engines: number, slope: number, floorMs: number): ObservedPrefill => ({requests: lengths.length, lengths, durationS: 180, engines, observedMs: serviceMs + floorMs + slope * modelledMs(engines), arrivalScv: 1});
const observe = (state: ReturnType<typeof fresh>, observed: ObservedPrefill, weight = options.weight) => observeWait(state, ttft, 'p99', 500, observed, {...options, weight});

describe('wait feedback', () => {
  it('learns a larger wait when the prefill time observed runs above the model, within its bound', () => {
    const state = fresh();
    observe(state, {...interval(3, 1, 0), observedMs: 2000}, 0.5);
    expect(state.factor).toBeGreaterThan(1);
    expect(state.factor).toBeLessThanOrEqual(options.max);
    expect(state.updates).toBe(1);
  });

  it('learns a smaller wait (bounded) when the time observed is just the prompts\' own prefill', () => {
    const state = fresh();
    for (let i = 0; i < 10; i++) observe(state, {...interval(3, 1, 0), observedMs: 1}, 0.5);
    expect(state.factor).toBeLessThan(0.55);
    expect(state.factor).toBeGreaterThanOrEqual(options.min);
  });

  it('does not move without an observed time, without engines, or past the target (an overloaded transient)', () => {
    const state = fresh();
    observe(state, {...interval(3, 1, 0), observedMs: undefined});
    observe(state, {...interval(3, 1, 0), engines: 0});
    observe(state, {...interval(2, 1, 0), observedMs: 5000});
    expect(state).toEqual(fresh());
  });

  it('does not turn the clumps\' wait at low load into a multiplier, and learns the slope where the model queues', () => {
    // 8 engines: the model predicts ~0.05 ms, the clumps make it 20 ms (a ratio of ~400, what a plain ratio learned).
    const state = fresh();
    for (let i = 0; i < 6; i++) observe(state, interval(8, 3, 20));
    expect(modelledMs(8)).toBeLessThan(0.1);
    expect(state.factor).toBeLessThan(1.2);
    // Then 3-5 engines, where the model queues 2-90 ms: the observed waits run 3x it over the same floor.
    for (const engines of [5, 4, 3, 4, 5, 8]) observe(state, interval(engines, 3, 20));
    expect(state.factor).toBeGreaterThan(2.5);
    expect(state.factor).toBeLessThan(3.5);
  });

  it('comes back toward 1 when the model\'s wait holds again, or (slower) as the intervals that showed it short are forgotten', () => {
    const learn = () => {
      const state = fresh();
      for (const engines of [3, 4, 3, 4]) observe(state, interval(engines, 4, 0));
      expect(state.factor).toBeGreaterThan(3);
      return state;
    };
    const sameLoad = learn();
    for (const engines of [3, 4, 3, 4, 3, 4]) observe(sameLoad, interval(engines, 1, 0));
    expect(sameLoad.factor).toBeLessThan(1.5);
    const largePool = learn();
    for (let i = 0; i < 40; i++) observe(largePool, interval(8, 1, 15));
    expect(largePool.factor).toBeLessThan(1.3);
    expect(largePool.updates).toBe(44);
  });
});
