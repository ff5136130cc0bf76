// dynamo-plan's corrections of its prefill queue model, each switchable: G/G/c arrival variability, the wait
// correction learned from observed TTFT, and the queue-time trigger between throughput ticks.
import {describe, expect, it} from 'vitest';
import {DEFAULT_PROFILE} from '../../src/replay/replay.js';
import {loadDeployment} from '../../src/replay/deployment.js';
import {arrivalDispersion, queueAwareCapacities, type ObservedInterval} from '../../src/replay/queue-aware-capacity.js';
import {WaitCorrection} from '../../src/replay/wait-correction.js';
import {prefillRoleModel} from '../../src/sizing/prefill.js';
import {prepareWorkload} from '../../src/sizing/workload.js';
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

describe('wait correction fitted against the modelled wait', () => {
  const options = {weight: 0.25, min: 0.5, max: 20};
  // The uncorrected model for `even` (40 req/s of 2000-token prompts): a prompt's own prefill and the mean queue wait.
  const model = prefillRoleModel(deployment.ttft!, prepareWorkload({isl: 1, osl: 1, samples: [{isl, osl: 100}]}, 'p99'), 500, {arrivalScv: 1});
  const serviceMs = model.pool!.at(0, 1).meanTtftMs!;
  const modelledMs = (engines: number) => model.pool!.at(40 / engines, engines).meanTtftMs! - serviceMs;
  /** An interval on `engines` whose prefill legs waited `slope` times the model's wait plus a `floorMs` of clumps. */
  const interval = (engines: number, slope: number, floorMs: number, ttftMs: number | null = null): ObservedInterval =>
    ({...even, prefillEngines: engines, prefillMs: serviceMs + floorMs + slope * modelledMs(engines), ttftMs});
  const observe = (feedback: WaitCorrection, observed: ObservedInterval) => feedback.observe(deployment.ttft!, 'p99', 500, observed, 1);

  it('reads the prefill legs\' time, not a TTFT that carries the decode side\'s wait', () => {
    const fromTtft = new WaitCorrection(options);
    const fromPrefill = new WaitCorrection(options);
    for (let i = 0; i < 4; i++) {
      observe(fromTtft, {...interval(4, 1, 0, 2000), prefillMs: null});
      observe(fromPrefill, interval(4, 1, 0, 2000));
    }
    expect(fromTtft.factor).toBeGreaterThan(5);
    expect(fromPrefill.factor).toBeCloseTo(1, 1);
  });

  it('does not turn the clumps\' wait at low load into a multiplier, and learns the slope where the model queues', () => {
    // 8 engines: the model predicts ~0.05 ms, the clumps make it 20 ms (a ratio of ~400, what a plain ratio learned).
    const feedback = new WaitCorrection(options);
    for (let i = 0; i < 6; i++) observe(feedback, interval(8, 3, 20));
    expect(modelledMs(8)).toBeLessThan(0.1);
    expect(feedback.factor).toBeLessThan(1.2);
    // Then 3-5 engines, where the model queues 2-90 ms: the observed waits run 3x it over the same floor.
    for (const engines of [5, 4, 3, 4, 5, 8]) observe(feedback, interval(engines, 3, 20));
    expect(feedback.factor).toBeGreaterThan(2.5);
    expect(feedback.factor).toBeLessThan(3.5);
  });

  it('comes back toward 1 when the model\'s wait holds again, or (slower) as the intervals that showed it short are forgotten', () => {
    const learn = () => {
      const feedback = new WaitCorrection(options);
      for (const engines of [3, 4, 3, 4]) observe(feedback, interval(engines, 4, 0));
      expect(feedback.factor).toBeGreaterThan(3);
      return feedback;
    };
    // The same loads, now waiting as modelled.
    const sameLoad = learn();
    for (const engines of [3, 4, 3, 4, 3, 4]) observe(sameLoad, interval(engines, 1, 0));
    expect(sameLoad.factor).toBeLessThan(1.5);
    // A large pool since, waiting only the clumps' floor: low-load intervals say little of the slope, the prior does.
    const largePool = learn();
    for (let i = 0; i < 40; i++) observe(largePool, interval(8, 1, 15));
    expect(largePool.factor).toBeLessThan(1.3);
    expect(largePool.updates).toBe(44);
  });

  it('skips an interval the model puts past saturation or the TTFT target', () => {
    const feedback = new WaitCorrection(options);
    observe(feedback, {...even, prefillEngines: 2, prefillMs: 5000});
    expect(feedback.updates).toBe(0);
    expect(feedback.factor).toBe(1);
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
