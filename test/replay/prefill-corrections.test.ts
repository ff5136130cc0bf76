// dynamo-plan's corrections of its prefill queue model, each switchable: G/G/c arrival variability, the wait
// correction learned from observed TTFT, and the queue-time trigger between throughput ticks.
import {describe, expect, it} from 'vitest';
import {DEFAULT_PROFILE} from '../../src/replay/replay.js';
import {loadDeployment} from '../../src/replay/deployment.js';
import {arrivalDispersion, queueAwareCapacities, type ObservedInterval} from '../../src/replay/queue-aware-capacity.js';
import {WaitCorrection} from '../../src/replay/wait-correction.js';
import {runReplay} from './imports.js';
import {steady, writeTrace} from './fixture.js';

const deployment = loadDeployment([DEFAULT_PROFILE]);
const isl = 2000;
/** 40 req/s over 180 s: evenly spaced, or the same count arriving as clumps of 40 once a second. */
const even: ObservedInterval = {requests: steady(40, 0, 180, isl, 100), startS: 0, endS: 180};
const clumped: ObservedInterval = {requests: even.requests.map((request) => ({...request, atS: Math.floor(request.atS)})), startS: 0, endS: 180};
const engineRps = (observed: ObservedInterval, options: Parameters<typeof queueAwareCapacities>[5]) =>
  queueAwareCapacities(deployment.capacities, deployment.ttft!, 500, 'p99', observed, options).prefill!(isl, 40).requestsPerSecond;

describe('arrival variability (G/G/c)', () => {
  it('measures clumped arrivals as over-dispersed and Poisson-or-smoother ones as 1', () => {
    expect(arrivalDispersion(even, 0.5)).toBe(1);
    expect(arrivalDispersion(clumped, 0.5)).toBeGreaterThan(10);
  });

  it('gives an engine less rate when arrivals clump, and changes nothing for even arrivals', () => {
    expect(engineRps(even, {arrivalWindowS: 0.5})).toBeCloseTo(engineRps(even, {}), 9);
    expect(engineRps(clumped, {arrivalWindowS: 0.5})).toBeLessThan(engineRps(clumped, {}));
  });
});

describe('wait correction from observed TTFT', () => {
  const options = {weight: 0.5, min: 0.5, max: 20};
  // On 3 engines the model predicts some queueing for 40 req/s of 2000-token prompts.
  const seen = (ttftMs: number | null): ObservedInterval => ({...even, ttftMs, prefillEngines: 3});

  it('learns a larger wait when the TTFT observed runs above the model, and sizes the pool bigger', () => {
    const feedback = new WaitCorrection(options);
    const before = engineRps(seen(2000), {});
    const after = engineRps(seen(2000), {feedback});
    expect(feedback.factor).toBeGreaterThan(1);
    expect(feedback.factor).toBeLessThanOrEqual(options.max);
    expect(after).toBeLessThan(before);
  });

  it('learns a smaller wait (bounded) when the TTFT observed is just the prompts\' own prefill', () => {
    const feedback = new WaitCorrection(options);
    for (let i = 0; i < 10; i++) feedback.observe(deployment.ttft!, 'p99', 500, seen(1), 1);
    expect(feedback.factor).toBeLessThan(0.55);
    expect(feedback.factor).toBeGreaterThanOrEqual(options.min);
  });

  it('does not move without an observed TTFT', () => {
    const feedback = new WaitCorrection(options);
    feedback.observe(deployment.ttft!, 'p99', 500, seen(null), 1);
    expect(feedback.factor).toBe(1);
    expect(feedback.updates).toBe(0);
  });
});

describe('queue-time trigger', () => {
  // 10 s idle-ish then 60 req/s of 3000-token prompts: far beyond the one prefill engine the opening sizes for.
  const trace = writeTrace([...steady(1, 0, 20, 3000, 20), ...steady(60, 20, 170, 3000, 20)]);
  const run = (queueTrigger: boolean) =>
    runReplay({tracePath: trace, policies: ['dynamo-plan'], ttftMs: 500, itlMs: 30, startupS: 30, ours: {arrival_variability: false, ttft_feedback: false, queue_trigger: queueTrigger}});

  it('adds prefill engines before the first throughput tick only when on', async () => {
    const [on, off] = [await run(true), await run(false)];
    const early = (result: typeof on) => result.policies[0]!.timeline.filter((event) => event.component === 'prefill' && event.at_s < 180 && event.to_count > event.from_count);
    expect(early(off)).toHaveLength(0);
    expect(early(on).length).toBeGreaterThan(0);
    expect(on.policies[0]!.sla_attainment).toBeGreaterThan(off.policies[0]!.sla_attainment);
  });
});
