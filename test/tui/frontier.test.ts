import {describe, expect, it} from 'vitest';
import {sizeDeployment} from '../../src/sizing/index.js';
import {bestOnAxis, computeFrontier, FrontierCache, sweepTargets, withTarget} from '../../src/tui/frontier.js';
import {bestAchievable, evaluateSizing} from '../../src/tui/outcome.js';
import {computeView} from '../../src/tui/view.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const base = input(candidatesOf(H200_8B_FP8), {rate: 50});

describe('frontier sweep', () => {
  it('samples the E12 grid from just under the best achievable target to 3x the current one', () => {
    expect(sweepTargets(20, 4.78)).toEqual([5.6, 6.8, 8.2, 10, 12, 15, 18, 22, 27, 33, 39, 47, 56]);
    // Without a best, a quarter of the target; an infeasible target (below the best) still gets points around it.
    expect(sweepTargets(20, null)[0]).toBe(5.6);
    expect(sweepTargets(4, 4.78)[0]).toBe(3.9);
  });

  it('spans 12x whatever the target (at most 14 points), and neighbouring sweeps share their points', () => {
    for (const [current, best] of [[1000, 4.78], [20, 4.78], [5, 4.78], [3, 4.78], [0.5, null]] as const) {
      const sweep = sweepTargets(current, best);
      expect(sweep.length).toBeGreaterThanOrEqual(12);
      expect(sweep.length).toBeLessThanOrEqual(14);
      expect(sweep.at(-1)! / sweep[0]!).toBeLessThanOrEqual(12);
    }
    const wide = sweepTargets(1000, 4.78);
    expect(sweepTargets(1100, 4.78).filter((value) => wide.includes(value)).length).toBe(wide.length - 1);
  });

  it('each point is the deployment sizeDeployment picks at that target; below the best none is', () => {
    const tight = withTarget(base, 'itl', 8);
    const best = bestAchievable(evaluateSizing(tight));
    const frontier = computeFrontier(tight, 'itl', best);
    expect(frontier.axis).toBe('itl');
    for (const point of frontier.points) {
      if (point.throughputPerGpu === null) {
        expect(point.targetMs).toBeLessThan(best!.itlMs! * 1.3);
        expect(() => sizeDeployment(withTarget(tight, 'itl', point.targetMs))).toThrow(/No candidate meets/);
      } else {
        const direct = sizeDeployment(withTarget(tight, 'itl', point.targetMs));
        expect(point).toEqual({targetMs: point.targetMs, throughputPerGpu: direct.throughput_per_gpu, totalGpus: direct.total_gpus});
      }
    }
    expect(frontier.points.some((point) => point.throughputPerGpu === null)).toBe(true);
    // A looser ITL target never needs more GPUs.
    const gpus = frontier.points.filter((point) => point.totalGpus !== null).map((point) => point.totalGpus!);
    expect(gpus).toEqual([...gpus].sort((a, b) => b - a));
  });

  it('E2E is TTFT plus (osl - 1) ITLs; sweeping it replaces the whole SLA', () => {
    expect(bestOnAxis('e2e', {ttftMs: 50, itlMs: 5}, 151)).toBe(800);
    expect(bestOnAxis('ttft', {ttftMs: 50, itlMs: 5}, 151)).toBe(50);
    expect(bestOnAxis('itl', null, 151)).toBeNull();
    expect(withTarget(base, 'e2e', 900).sla).toEqual({e2eMs: 900, percentile: 'p90'});
    expect(withTarget(base, 'ttft', 300).sla).toEqual({ttftMs: 300, itlMs: 20, percentile: 'p90'});
  });

  it('the cache answers repeated and shifted sweeps; any other change sizes afresh', () => {
    const cache = new FrontierCache();
    computeView(base, 'itl', cache);
    const first = cache.misses;
    expect(first).toBeGreaterThan(5);
    computeView(base, 'itl', cache);
    expect(cache.misses).toBe(first);
    // One step of the ITL target shifts the window by at most a point or two.
    computeView(withTarget(base, 'itl', 22), 'itl', cache);
    expect(cache.misses - first).toBeLessThanOrEqual(2);
    const before = cache.misses;
    const rate = computeView({...base, workload: {...base.workload, requestRate: 55}}, 'itl', cache);
    expect(cache.misses - before).toBe(rate.frontier.points.length);
  });
});

describe('frontier within a time budget', () => {
  it('sizes at least one new point per call, nearest the current target first, and completes over later calls', () => {
    const cache = new FrontierCache();
    // A clock that advances 10 ms per reading: a 15 ms budget allows two new points.
    let clock = 0;
    const budget = {ms: 15, now: () => (clock += 10)};
    const best = bestAchievable(evaluateSizing(base));
    const first = computeFrontier(base, 'itl', best, cache, budget);
    expect(first.points.map((point) => point.targetMs)).toEqual([18, 22]);
    const all = sweepTargets(20, best!.itlMs);
    expect(first.pending).toBe(all.length - 2);
    let calls = 1;
    let frontier = first;
    while (frontier.pending > 0 && calls < 20) {
      frontier = computeFrontier(base, 'itl', best, cache, {ms: 0, now: () => 0});
      calls++;
    }
    expect(calls).toBe(all.length - 1);
    expect(frontier.points).toEqual(computeFrontier(base, 'itl', best).points);
  });
});

describe('sizing outcomes', () => {
  it('an SLA no config meets is "infeasible" with the best achievable figures, not a throw', () => {
    const outcome = evaluateSizing(withTarget(base, 'itl', 2));
    expect(outcome.kind).toBe('infeasible');
    if (outcome.kind !== 'infeasible') return;
    expect(outcome.best.itlMs).toBeGreaterThan(2);
    expect(outcome.best.ttftMs).toBeGreaterThan(0);
    expect(outcome.modes.map((mode) => mode.mode)).toEqual(['disagg', 'agg']);
  });

  it('an input sizing refuses is an "error" with its hint, and the view has no frontier', () => {
    const view = computeView({...base, mode: 'agg', method: 'dynamo'}, 'itl');
    expect(view.outcome).toMatchObject({kind: 'error', message: expect.stringMatching(/--method dynamo sizes disaggregated/), hint: expect.any(String)});
    expect(view.frontier.points).toEqual([]);
  });
});
