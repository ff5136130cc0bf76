import {describe, expect, it} from 'vitest';
import {readTrace} from '../../../src/loadgen/traces.js';
import {FleetSimulator, requestsFromSchedule, simulateFleet, summarizeFleet} from '../../../src/sim/fleet/index.js';
import {spec, traces} from './fixture.js';

describe('real traces', () => {
  it('replays the first minutes of the Azure conversation trace on a small fleet with a planner-like tick', () => {
    const load = requestsFromSchedule(readTrace(`${traces}azure_llm_2023_conv.csv`, {durationS: 180}));
    const fleet = new FleetSimulator({pools: {prefill: {spec, replicas: 1}, decode: {spec, replicas: 2}}, kvTransferS: 0.002}, load);
    const windows: number[] = [];
    fleet.every(60, (f) => windows.push(f.tickInput({traffic: true}).traffic!.num_req));
    fleet.run();
    const result = fleet.result();
    expect(result.unfinished).toBe(0);
    expect(result.records).toHaveLength(load.length);
    expect(result.outputTokens).toBe(load.reduce((sum, request) => sum + request.osl, 0));
    // Every arrival is counted in exactly one window (the last one drained after the load ends).
    expect(windows.reduce((sum, n) => sum + n, 0) + fleet.drainTraffic().num_req).toBe(load.length);
    const summary = summarizeFleet(result, {ttftMs: 1000, itlMs: 30});
    expect(summary.slaAttainment).toBeGreaterThan(0.95);
    expect(summary.gpuSeconds).toBeCloseTo(3 * result.endS, 6);
  });

  it('hits the prefix cache on the Mooncake conversation trace, within what one unbounded cache would', () => {
    const load = requestsFromSchedule(readTrace(`${traces}mooncake_conversation_trace.jsonl`, {limit: 300}));
    const result = simulateFleet({pools: {agg: {spec, replicas: 4}}}, load);
    expect(result.unfinished).toBe(0);
    const cached = result.records.reduce((sum, record) => sum + record.cachedTokens, 0);
    const prompt = result.records.reduce((sum, record) => sum + record.isl, 0);
    // The bound: every leading 512-token block seen in an earlier request is a hit, as if all shared one cache that
    // never evicts and had finished computing every earlier prompt.
    const seen = new Set<string>();
    let ideal = 0;
    for (const {hashIds = [], isl} of load) {
      const prefixes = hashIds.map((_, i) => hashIds.slice(0, i + 1).join(','));
      const shared = prefixes.findIndex((prefix) => !seen.has(prefix));
      const sharedBlocks = shared === -1 ? prefixes.length : shared;
      ideal += Math.floor(Math.min(sharedBlocks * 512, isl - 1) / spec.blockSize) * spec.blockSize;
      for (const prefix of prefixes) seen.add(prefix);
    }
    expect(cached).toBeGreaterThan(0.02 * prompt);
    expect(cached).toBeLessThanOrEqual(ideal);
  });

  it('turns Mooncake hash ids into chained block hashes: shared leading ids, shared cached blocks', () => {
    const load = [
      {atS: 0, isl: 1000, osl: 2, hashIds: [1, 2]},
      {atS: 5, isl: 1000, osl: 2, hashIds: [1, 2]},
      {atS: 10, isl: 1000, osl: 2, hashIds: [1, 3]},
      {atS: 15, isl: 1000, osl: 2, hashIds: [4, 2]},
    ];
    const cached = simulateFleet({pools: {agg: {spec, replicas: 1}}}, load).records.map((record) => record.cachedTokens);
    // The last token is always computed, so a full hit leaves the last (partial) block: 62 of 62.5 blocks of 16.
    expect(cached).toEqual([0, 992, 512, 0]);
    const off = simulateFleet({pools: {agg: {spec, replicas: 1, enablePrefixCaching: false}}}, load);
    expect(off.records.every((record) => record.cachedTokens === 0)).toBe(true);
  });
});
