// static-peak's search for the cheapest fixed fleet that holds the SLA (dynamo-plan's prefill pool sizing, one M/G/c
// queue at the interval's short-window burst rate, is tested in test/planner/queue-model).
import {describe, expect, it} from 'vitest';
import {cheapestFixedFleet, type FixedFleet} from '../../src/replay/static-search.js';
import {runReplay} from './imports.js';
import {steady, writeTrace} from './fixture.js';

describe('static-peak: the cheapest fixed fleet that holds the target', () => {
  // A made-up replay of 1000 requests: each prefill engine short of 6 misses 10 TTFTs, each decode engine short of 3
  // misses 20 ITLs; 99% holds from 5 prefill + 3 decode.
  const trial = (fleet: FixedFleet) => {
    const ttftMisses = Math.max(0, 6 - fleet.prefill) * 10;
    const itlMisses = Math.max(0, 3 - fleet.decode) * 20;
    return Promise.resolve({attainment: 1 - (ttftMisses + itlMisses) / 1000, ttftMisses, itlMisses});
  };

  it('grows the role whose target is missed more until the fleet holds it', async () => {
    const tried: string[] = [];
    const found = await cheapestFixedFleet({prefill: 2, decode: 1}, 0.99, 1, ['prefill', 'decode'], (fleet) => {
      tried.push(`${fleet.prefill}+${fleet.decode}`);
      return trial(fleet);
    });
    expect(found.fleet).toEqual({prefill: 5, decode: 3});
    expect(found.trial.attainment).toBeCloseTo(0.99, 9);
    // 2+1 ties (40 and 40 misses: prefill first), then decode at 3+1 (30 TTFT against 40 ITL misses).
    expect(tried.slice(0, 4)).toEqual(['2+1', '3+1', '3+2', '4+2']);
    // Each fleet replayed once.
    expect(new Set(tried).size).toBe(tried.length);
    expect(found.tried).toBe(tried.length);
  });

  it('drops engines an over-sized start holds the target without', async () => {
    const found = await cheapestFixedFleet({prefill: 9, decode: 5}, 0.99, 1, ['prefill', 'decode'], trial);
    // 5 prefill misses 1% exactly (10 of 1000), which holds 0.99; 4 does not.
    expect(found.fleet).toEqual({prefill: 5, decode: 3});
    expect(found.trial.attainment).toBeGreaterThanOrEqual(0.99);
  });
});

describe('static-peak in replay', {timeout: 120_000}, () => {
  it('holds 99% of requests within the SLA, from the sizer\'s fleet', async () => {
    // 300 s at 6 req/s with 10 s bursts at 20 req/s every 60 s: the sizer sizes the 180 s mean, the bursts break it.
    const requests = [0, 60, 120, 180, 240].flatMap((start) => [...steady(6, start, start + 50, 2000, 20), ...steady(20, start + 50, start + 60, 2000, 20)]);
    const result = await runReplay({tracePath: writeTrace(requests), policies: ['static-peak'], ttftMs: 400, itlMs: 30, startupS: 30});
    const {static_peak: fleet, static_peak_sized: sized} = result.replicas;
    expect(result.policies[0]!.sla_attainment).toBeGreaterThanOrEqual(0.99);
    expect(result.policies[0]!.peak_gpus).toBe(fleet.prefill + fleet.decode);
    expect(fleet.prefill).toBeGreaterThanOrEqual(1);
    expect(sized.prefill + sized.decode).toBeGreaterThan(0);
  });
});
