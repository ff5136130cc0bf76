// planner replay on small synthetic traces: deterministic, static-peak fixed, GPU-hours as counted by hand, and
// Dynamo's known failure to scale down when traffic stops (ai-dynamo/dynamo#6985) against ours.
import {describe, expect, it} from 'vitest';
import {gpuSecondsUntil, peakGpus, runReplay, scaleRateForTest} from './imports.js';
import type {FleetResult} from '../../src/sim/fleet/index.js';
import type {PolicyOutcome} from '../../src/replay/index.js';

type ReplayTimeline = PolicyOutcome['timeline'];
import {ALL, steady, writeTrace} from './fixture.js';

describe('planner replay', {timeout: 120_000}, () => {
  // 600 s of traffic: 4 req/s, then 12 req/s, then 4 req/s, short prompts and outputs (fast to simulate).
  const trace = writeTrace([...steady(4, 0, 200, 1000, 20), ...steady(12, 200, 400, 1000, 20), ...steady(4, 400, 600, 1000, 20)]);
  const options = {tracePath: trace, policies: ALL, ttftMs: 500, itlMs: 30, startupS: 30, seed: 7};

  it('is deterministic for a seed, and static-peak never scales', async () => {
    const first = await runReplay(options);
    const second = await runReplay(options);
    expect(second).toEqual(first);
    expect(first.policies.map((policy) => policy.name)).toEqual(ALL);
    const staticPeak = first.policies[0]!;
    expect(staticPeak.scaling_events).toBe(0);
    expect(staticPeak.timeline).toEqual([]);
    expect(staticPeak.planner_ticks).toBeGreaterThan(0);
    for (const policy of first.policies) {
      expect(policy.requests).toBe(first.trace.requests);
      expect(policy.unfinished).toBe(0);
      expect(policy.sla_attainment).toBeGreaterThan(0);
      expect(policy.sla_attainment).toBeLessThanOrEqual(1);
    }
  });

  it('charges static-peak its fixed GPUs from the first arrival to the last request finishing', async () => {
    const result = await runReplay({...options, policies: ['static-peak']});
    const {prefill, decode} = result.replicas.static_peak;
    const policy = result.policies[0]!;
    expect(prefill + decode).toBeGreaterThan(1);
    expect(policy.peak_gpus).toBe(prefill + decode);
    expect(policy.gpu_hours).toBeCloseTo(((prefill + decode) * policy.simulated_s) / 3600, 9);
    // The last request arrives just before 600 s and takes well under a second at this load.
    expect(policy.simulated_s).toBeGreaterThan(599);
    expect(policy.simulated_s).toBeLessThan(602);
  });

  it('counts GPU time from asking for an engine to its stop, and the most held at once', () => {
    const engine = (gpus: number, requestedS: number, stoppedS: number | null) => ({id: `e${requestedS}`, role: 'decode' as const, gpus, requestedS, readyS: requestedS, drainS: null, stoppedS, served: 0, steps: 0});
    // 2 GPUs for 0-100 s, 1 GPU for 50-(end 300 s), 2 GPUs for 100-200 s: 200 + 250 + 200 GPU-seconds.
    const result = {engines: [engine(2, 0, 100), engine(1, 50, null), engine(2, 100, 200)]} as unknown as FleetResult;
    expect(gpuSecondsUntil(result, 300)).toBe(650);
    // At 100 s one 2-GPU engine stops as the other starts: 3 GPUs, never 5.
    expect(peakGpus(result, 300)).toBe(3);
    expect(gpuSecondsUntil(result, 75)).toBe(2 * 75 + 25);
  });

  it('sends rate-scaled copies between the original arrivals, over the same timeline', () => {
    const scaled = scaleRateForTest([{atS: 0, isl: 10, osl: 2, hashIds: [1, 2]}, {atS: 10, isl: 20, osl: 3}], 2, 0);
    expect(scaled.map((request) => request.atS)).toEqual([0, 5, 10, 10]);
    expect(scaled[0]!.hashIds).toEqual([2, 4]);
    expect(scaled[1]!.hashIds).toEqual([3, 5]);
  });

  it('dynamo-plan scales down when traffic stops; dynamo-sla keeps its replicas (ai-dynamo/dynamo#6985)', async () => {
    // 540 s of 30 req/s with 3000-token prompts (several prefill engines), silence, and one request at 1800 s.
    const idle = writeTrace([...steady(30, 0, 540, 3000, 10), {atS: 1800, isl: 3000, osl: 10}]);
    const result = await runReplay({tracePath: idle, policies: ['dynamo-sla', 'dynamo-plan'], ttftMs: 500, itlMs: 30, startupS: 30});
    const [sla, ours] = result.policies;
    const downsDuringSilence = (timeline: ReplayTimeline) => timeline.filter((event) => event.at_s > 540 && event.at_s < 1800 && event.to_count < event.from_count);
    expect(result.replicas.initial.prefill).toBeGreaterThan(1);
    expect(downsDuringSilence(sla!.timeline)).toEqual([]);
    const downs = downsDuringSilence(ours!.timeline);
    expect(downs.map((event) => event.to_count)).toContain(1);
    // Just before the last request: ours holds min_endpoint of each role, Dynamo what it held when traffic stopped.
    const at = (timeline: ReplayTimeline, role: 'prefill' | 'decode', t: number) => timeline.filter((event) => event.component === role && event.at_s <= t).at(-1)?.to_count ?? result.replicas.initial[role];
    expect([at(ours!.timeline, 'prefill', 1790), at(ours!.timeline, 'decode', 1790)]).toEqual([1, 1]);
    expect(at(sla!.timeline, 'prefill', 1790)).toBe(at(sla!.timeline, 'prefill', 541));
    expect(at(sla!.timeline, 'prefill', 1790)).toBeGreaterThan(1);
  });

  it('refuses a malformed trace with the line and the expected format', async () => {
    const bad = writeTrace([]);
    const {writeFileSync} = await import('node:fs');
    writeFileSync(bad, '{"timestamp": 0, "input_length": 100}\n');
    await expect(runReplay({...options, tracePath: bad})).rejects.toThrow(/line 1.*output_length/);
    await expect(runReplay({...options, policies: ['static-peak', 'nope']})).rejects.toThrow(/Unknown policy "nope"/);
  });
});
