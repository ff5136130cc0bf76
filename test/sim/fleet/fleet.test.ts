import {describe, expect, it} from 'vitest';
import {FleetSimulator, poissonRequests, simulateFleet, summarizeFleet, type FleetOptions, type FleetResult} from '../../../src/sim/fleet/index.js';
import {decodeStepS, evenRequests, prefillStepS, spec, specTp2} from './fixture.js';

const overheadS = spec.requestOverheadSeconds;
const agg = (replicas: number, startupS = 0): FleetOptions => ({pools: {agg: {spec, replicas, startupS}}});
const disagg = (prefill: number, decode: number, kvTransferS = 0): FleetOptions => ({
  pools: {prefill: {spec, replicas: prefill}, decode: {spec, replicas: decode}},
  kvTransferS,
});

function servedBy(result: FleetResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of result.records) counts.set(record.engine, (counts.get(record.engine) ?? 0) + 1);
  return counts;
}

describe('conservation', () => {
  const load = poissonRequests(15, 300, {isl: 800, osl: 120, rangeRatio: 0.5}, 3);

  for (const [name, options] of [['aggregated', agg(3)], ['disaggregated', disagg(2, 3, 0.002)]] as const) {
    it(`finishes every request exactly once with all its tokens (${name})`, () => {
      const fleet = new FleetSimulator(options, load);
      fleet.run();
      const result = fleet.result();
      expect(result.unfinished).toBe(0);
      expect(result.records.map((record) => record.index).toSorted((a, b) => a - b)).toEqual(load.map((_, index) => index));
      for (const record of result.records) {
        const request = load[record.index]!;
        expect(record).toMatchObject({isl: request.isl, osl: request.osl, outputTokens: request.osl, finishReason: 'length', itlGaps: request.osl - 1});
        expect(record.firstTokenS).toBeGreaterThan(record.arrivalS);
        expect(record.finishS).toBeGreaterThanOrEqual(record.firstTokenS!);
      }
      const osl = load.reduce((sum, request) => sum + request.osl, 0);
      expect(result.outputTokens).toBe(osl);
      // Every leg counted on the engine that served it, and nothing left held anywhere.
      const served = (role: string) => result.engines.filter((engine) => engine.role === role).reduce((sum, engine) => sum + engine.served, 0);
      if (name === 'aggregated') expect(served('agg')).toBe(load.length);
      else {
        expect(served('prefill')).toBe(load.length);
        expect(served('decode')).toBe(load.length);
        expect(result.records.every((record) => record.prefillEngine?.startsWith('prefill-') && record.engine.startsWith('decode-'))).toBe(true);
      }
      expect(fleet.engines().every((engine) => engine.in_flight === 0 && engine.queued_prefill_tokens === 0 && engine.queued_decode_kv_tokens === 0)).toBe(true);
    });
  }
});

describe('router', () => {
  it('spreads simultaneous identical requests evenly over idle engines', () => {
    const result = simulateFleet(agg(4), evenRequests(8, 0, 1000, 20));
    expect([...servedBy(result).values()]).toEqual([2, 2, 2, 2]);
  });

  it('balances a steady load within a few percent, by prompt tokens held', () => {
    const load = poissonRequests(30, 1200, {isl: 1000, osl: 100, rangeRatio: 0.8}, 11);
    const result = simulateFleet(agg(4), load);
    const tokens = new Map<string, number>();
    for (const record of result.records) tokens.set(record.engine, (tokens.get(record.engine) ?? 0) + record.isl);
    const mean = load.reduce((sum, request) => sum + request.isl, 0) / 4;
    expect(tokens.size).toBe(4);
    for (const share of tokens.values()) expect(Math.abs(share / mean - 1)).toBeLessThan(0.05);
  });

  it('sends new work to the engine holding fewer prompt tokens', () => {
    // One long prompt lands first; the short ones that follow while it is held all go to the other engine.
    const load = [{atS: 0, isl: 8000, osl: 400}, ...evenRequests(5, 0.01, 100, 5, 0.001)];
    const result = simulateFleet(agg(2), load);
    const longOn = result.records.find((record) => record.index === 0)!.engine;
    expect(result.records.filter((record) => record.index > 0).every((record) => record.engine !== longOn)).toBe(true);
  });
});

describe('latency accounting', () => {
  it('times an idle disaggregated request as overhead + prefill + KV transfer + the first decode step', () => {
    const isl = 1000;
    const osl = 11;
    const transferS = 0.012;
    const result = simulateFleet(disagg(1, 1, transferS), [{atS: 2, isl, osl}]);
    const [record] = result.records;
    // The decode engine recomputes the last prompt token as a decode token over the transferred KV.
    const expected = overheadS + prefillStepS(isl) + transferS + decodeStepS(isl);
    expect(record!.ttftS).toBeCloseTo(expected, 9);
    // Later steps each decode the one sequence over a context that grows from isl + 1 to isl + osl - 1.
    const [low, high] = [decodeStepS(isl + 1), decodeStepS(isl + osl - 1)];
    expect(record!.meanItlS).toBeGreaterThanOrEqual(low - 1e-12);
    expect(record!.meanItlS).toBeLessThanOrEqual(high + 1e-12);
    expect(record!.e2eS).toBeCloseTo(record!.ttftS! + record!.meanItlS! * (osl - 1), 9);
  });

  it('times an idle aggregated request as overhead + one prefill step', () => {
    const result = simulateFleet(agg(1), [{atS: 0, isl: 2000, osl: 3}]);
    expect(result.records[0]!.ttftS).toBeCloseTo(overheadS + prefillStepS(2000), 9);
  });
});

describe('scaling', () => {
  it('sends no work to an engine before it is ready, and holds requests until one is', () => {
    const fleet = new FleetSimulator(agg(0, 30), evenRequests(20, 0.5, 500, 10, 1));
    fleet.setReplicas('agg', 1);
    expect(fleet.counts()).toEqual({ready: {agg: 0}, expected: {agg: 1}});
    const seenStarting: number[] = [];
    fleet.every(1, (f) => {
      for (const engine of f.engines()) if (engine.state === 'starting') seenStarting.push(engine.in_flight);
    });
    fleet.run();
    const result = fleet.result();
    expect(seenStarting.length).toBeGreaterThan(20);
    expect(seenStarting.every((held) => held === 0)).toBe(true);
    expect(result.engines[0]).toMatchObject({requestedS: 0, readyS: 30});
    expect(result.unfinished).toBe(0);
    expect(Math.min(...result.records.map((record) => record.firstTokenS!))).toBeGreaterThan(30);
  });

  it('drains a removed engine: no request lost, no new work, stops after its last request', () => {
    const load = evenRequests(60, 0.05, 1500, 200);
    const fleet = new FleetSimulator(agg(3), load);
    fleet.run(1);
    fleet.setReplicas('agg', 1);
    const draining = fleet.engines().filter((engine) => engine.state === 'draining');
    expect(draining).toHaveLength(2);
    expect(draining.every((engine) => engine.in_flight > 0)).toBe(true);
    fleet.run();
    const result = fleet.result();
    expect(result.unfinished).toBe(0);
    expect(new Set(result.records.map((record) => record.index)).size).toBe(60);
    for (const {worker_id: id} of draining) {
      const engine = result.engines.find((candidate) => candidate.id === id)!;
      const served = result.records.filter((record) => record.engine === id);
      expect(engine.drainS).toBe(1);
      expect(engine.stoppedS).toBe(Math.max(...served.map((record) => record.finishS)));
      // Requests reach an engine after the frontend overhead: none that arrived later than that went to it.
      expect(served.every((record) => record.arrivalS + overheadS <= 1)).toBe(true);
    }
    expect(result.scalingEvents).toEqual([{atS: 1, role: 'agg', from: 3, to: 1}]);
  });

  it('charges GPU-seconds from asking for an engine to its stop, by hand', () => {
    const fleet = new FleetSimulator({pools: {agg: {spec: specTp2, replicas: 1, startupS: 5}}}, evenRequests(3, 10, 100, 5, 1));
    fleet.run(10);
    fleet.setReplicas('agg', 3); // two engines asked for at 10, ready at 15
    fleet.run(20);
    fleet.setReplicas('agg', 1); // idle: the two youngest stop at once
    fleet.run(22);
    fleet.setReplicas('agg', 2); // asked for at 22 ...
    fleet.run(24);
    fleet.setReplicas('agg', 1); // ... and cancelled at 24 while still starting
    fleet.run(100);
    const result = fleet.result();
    expect(result.engines.map(({id, readyS, stoppedS}) => ({id, readyS, stoppedS}))).toEqual([
      {id: 'agg-0', readyS: 0, stoppedS: null},
      {id: 'agg-1', readyS: 15, stoppedS: 20},
      {id: 'agg-2', readyS: 15, stoppedS: 20},
      {id: 'agg-3', readyS: null, stoppedS: 24},
    ]);
    // 2 GPUs each: 100 s + 10 s + 10 s + 2 s.
    expect(result.gpuSeconds).toBeCloseTo(2 * (100 + 10 + 10 + 2), 9);
    expect(result.gpuSecondsByRole).toEqual({agg: result.gpuSeconds});
    expect(result.scalingEvents.map((event) => [event.atS, event.from, event.to])).toEqual([[10, 1, 3], [20, 3, 1], [22, 1, 2], [24, 2, 1]]);
  });

  it('scales each pool of a disaggregated fleet on its own', () => {
    const fleet = new FleetSimulator(disagg(1, 1), []);
    fleet.setReplicas('decode', 3);
    // Even with no start-up time, new engines become ready through the clock, after the current event.
    expect(fleet.counts()).toEqual({ready: {prefill: 1, decode: 1}, expected: {prefill: 1, decode: 3}});
    fleet.run(0);
    expect(fleet.counts()).toEqual({ready: {prefill: 1, decode: 3}, expected: {prefill: 1, decode: 3}});
    expect(() => fleet.setReplicas('agg', 1)).toThrow(/no agg pool/);
    expect(() => fleet.setReplicas('decode', -1)).toThrow(/whole numbers/);
  });
});

describe('observations', () => {
  it('reports queued and scheduled prefill tokens and decode KV as a planner tick', () => {
    // 20 prompts of 4000 tokens at once: the first step takes 8192 tokens (two prompts and a chunk of a third).
    const fleet = new FleetSimulator(disagg(1, 2), evenRequests(20, 0, 4000, 50));
    fleet.run(overheadS + 1e-6);
    const tick = fleet.tickInput();
    expect(tick.worker_counts).toEqual({ready_num_prefill: 1, expected_num_prefill: 1, ready_num_decode: 2, expected_num_decode: 2});
    expect(tick.capabilities!.decode).toEqual({num_gpu: 1, context_length: spec.maxModelLen, max_num_batched_tokens: 8192, max_num_seqs: 1024, max_kv_tokens: spec.kvCapacityTokens});
    expect(tick.engines!.prefill).toEqual([{worker_id: 'prefill-0', dp_rank: 0, queued_prefill_tokens: 17 * 4000, scheduled_prefill_tokens: 8192, num_prefill_requests: 3, wall_time_s: expect.any(Number)}]);
    expect(tick.engines!.prefill![0]!.wall_time_s).toBeGreaterThan(0);
    expect(tick.engines!.decode!.every((engine) => engine.num_decode_requests === 0 && engine.wall_time_s === 0)).toBe(true);
    expect(tick.traffic).toBeUndefined();

    // Later the decode engines hold the prompts they decode.
    fleet.run(1.5);
    const decoding = fleet.tickInput().engines!.decode!;
    const requests = decoding.reduce((sum, engine) => sum + engine.num_decode_requests!, 0);
    expect(requests).toBeGreaterThan(0);
    for (const engine of decoding) {
      expect(engine.scheduled_decode_kv_tokens).toBeGreaterThanOrEqual(engine.num_decode_requests! * 4000);
    }
  });

  it('drains traffic windows: arrivals, finished requests and their mean lengths and latencies', () => {
    const fleet = new FleetSimulator(agg(2), evenRequests(10, 1, 600, 30));
    fleet.run(4.5);
    const first = fleet.tickInput({traffic: true});
    expect(first.traffic!.num_req).toBe(5);
    expect(first.traffic!.duration_s).toBe(4.5);
    fleet.run();
    const second = fleet.drainTraffic();
    expect(second.startS).toBe(4.5);
    expect(second.num_req).toBe(5);
    const records = fleet.result().records;
    const late = records.filter((record) => record.finishS > 4.5);
    expect(second.finished).toBe(late.length);
    expect(second.isl).toBe(600);
    expect(second.osl).toBe(30);
    const meanTtftMs = (late.reduce((sum, record) => sum + record.ttftS!, 0) / late.length) * 1000;
    expect(second.ttft_ms).toBeCloseTo(meanTtftMs, 9);
    expect(second.itl_ms).toBeGreaterThan(0);
    expect(second.kv_hit_rate).toBe(0);
  });

  it('measures the prefill legs\' share of TTFT apart from the decode side\'s wait (disaggregated only)', () => {
    // One decode engine with room for few sequences: prompts wait for it after their prefill leg, so TTFT runs past it.
    const options: FleetOptions = {pools: {prefill: {spec, replicas: 2}, decode: {spec, replicas: 1, maxNumSeqs: 2}}};
    const fleet = new FleetSimulator(options, evenRequests(20, 0.3, 2000, 200));
    fleet.run(3);
    const first = fleet.drainTraffic();
    fleet.run();
    const second = fleet.drainTraffic();
    const records = fleet.result().records;
    const legMs = (from: number, to: number) => {
      const legs = records.filter((record) => record.prefillEndS! > from && record.prefillEndS! <= to);
      return (legs.reduce((sum, record) => sum + record.prefillEndS! - record.arrivalS, 0) / legs.length) * 1000;
    };
    for (const record of records) {
      expect(record.prefillEndS).toBeGreaterThan(record.arrivalS);
      expect(record.prefillEndS).toBeLessThan(record.firstTokenS!);
    }
    expect(first.prefill_ms).toBeCloseTo(legMs(0, 3), 9);
    expect(second.prefill_ms).toBeCloseTo(legMs(3, Infinity), 9);
    const meanTtftMs = (records.reduce((sum, record) => sum + record.ttftS!, 0) / records.length) * 1000;
    expect(meanTtftMs).toBeGreaterThan(2 * legMs(0, Infinity));

    const aggregated = new FleetSimulator(agg(1), evenRequests(5, 0, 600, 10));
    aggregated.run();
    expect(aggregated.drainTraffic().prefill_ms).toBeNull();
    expect(aggregated.result().records.every((record) => record.prefillEndS === null)).toBe(true);
  });

  it('reports an aggregated pool as the decode component, with its queued prefill tokens', () => {
    const fleet = new FleetSimulator(agg(2), evenRequests(10, 0, 3000, 10));
    fleet.run(overheadS + 1e-6);
    const tick = fleet.tickInput();
    expect(tick.worker_counts).toEqual({ready_num_decode: 2, expected_num_decode: 2});
    expect(tick.engines!.prefill).toBeUndefined();
    // Five prompts each: 8192 batched tokens admit two and a chunk of the third; two prompts wait.
    expect(tick.engines!.decode!.map((engine) => [engine.worker_id, engine.queued_prefill_tokens, engine.queued_decode_kv_tokens])).toEqual([['agg-0', 6000, 0], ['agg-1', 6000, 0]]);
    fleet.setReplicas('agg', 1);
    fleet.run(overheadS + 2e-6);
    expect(fleet.tickInput().engines!.decode).toHaveLength(1);
  });

  it('runs a callback on its cadence while load remains, and ends the run with the last request', () => {
    const fleet = new FleetSimulator(agg(1), evenRequests(3, 10, 100, 5));
    const times: number[] = [];
    fleet.every(7, (f) => times.push(f.now()));
    const cancelled: number[] = [];
    fleet.every(3, (f) => cancelled.push(f.now()))();
    const endS = fleet.run();
    expect(times).toEqual([7, 14]);
    expect(cancelled).toEqual([]);
    const lastFinishS = Math.max(...fleet.result().records.map((record) => record.finishS));
    expect(lastFinishS).toBeGreaterThan(20);
    expect(endS).toBe(lastFinishS);
  });
});

describe('determinism and SLA', () => {
  const load = poissonRequests(8, 400, {isl: 700, osl: 60, rangeRatio: 0.6}, 5);

  it('gives identical results for a seed, and other routing for another seed', () => {
    const run = (seed: number) => simulateFleet({...disagg(2, 4, 0.003), seed}, load);
    const a = run(1);
    expect(run(1)).toEqual(a);
    const b = run(2);
    expect(b.records.map((record) => record.engine)).not.toEqual(a.records.map((record) => record.engine));
  });

  it('loses SLA attainment when the same load meets a smaller fleet', () => {
    const heavy = poissonRequests(20, {durationS: 60}, {isl: 1000, osl: 200, rangeRatio: 0.5}, 7);
    const targets = {ttftMs: 200, itlMs: 20};
    const two = summarizeFleet(simulateFleet(agg(2), heavy), targets);
    const one = summarizeFleet(simulateFleet(agg(1), heavy), targets);
    expect(two.slaAttainment).toBeGreaterThanOrEqual(0.99);
    expect(one.slaAttainment).toBeLessThan(0.5);
    expect(one.ttftMs!.p90).toBeGreaterThan(two.ttftMs!.p90);
    expect(one.gpuSeconds).toBeLessThan(two.gpuSeconds);
  });
});

describe('bad input', () => {
  it('rejects mixed pools, unordered arrivals and requests longer than the context', () => {
    expect(() => new FleetSimulator({pools: {prefill: {spec, replicas: 1}} as never}, [])).toThrow(/both a prefill and a decode pool/);
    expect(() => new FleetSimulator(agg(1), [{atS: 2, isl: 10, osl: 1}, {atS: 1, isl: 10, osl: 1}])).toThrow(/Request 1 arrives at 1 s/);
    expect(() => new FleetSimulator(agg(1), [{atS: 0, isl: spec.maxModelLen, osl: 1}])).toThrow(/maximum context length/);
  });
});
