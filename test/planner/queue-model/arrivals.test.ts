// The queue model's reading of an interval's arrival counts: the dispersion (G/G/c) and the short-window bursts.
import {describe, expect, it} from 'vitest';
import {arrivalCounts, arrivalDispersion, burstFactor} from '../../../src/planner/queue-model/arrivals.js';
import {steady} from './fixture.js';

describe('arrival dispersion', () => {
  const even = steady(40, 0, 180, 2000, 100).map((request) => request.atS);
  const clumped = even.map(Math.floor);

  it('is 1 for evenly spaced arrivals and far above 1 when the same count comes in clumps', () => {
    expect(arrivalDispersion(arrivalCounts(even, 0, 180, 0.5))).toBe(1);
    // 40 at once every second: half the 0.5 s windows hold 40, half none: variance 400 over mean 20.
    expect(arrivalDispersion(arrivalCounts(clumped, 0, 180, 0.5))).toBeCloseTo(20, 9);
  });

  it('counts whole windows only, so a partial last window does not read as a lull', () => {
    expect(arrivalCounts([0.1, 0.6, 1.1, 1.6, 2.05], 0, 2.1, 0.5)).toEqual([1, 1, 1, 1]);
  });
});

describe('burst factor', () => {
  it('is 1 at a steady rate, and the p-th percentile of the burst windows over their mean otherwise', () => {
    expect(burstFactor(new Array(18).fill(50), 10, 10, 90)).toBeCloseTo(1, 9);
    // 16 windows of 10 s at 40 requests and 2 at 220: mean 60, the max 220.
    const bursty = [...new Array(16).fill(40), 220, 220];
    expect(burstFactor(bursty, 10, 10, 100)).toBeCloseTo(220 / 60, 9);
    expect(burstFactor(bursty, 10, 10, 50)).toBe(1);
  });

  it('sums finer counts into the burst windows first', () => {
    // The same 18 windows given as 0.5 s counts (20 per 10 s window).
    const fine = [...new Array(16).fill(40), 220, 220].flatMap((count) => new Array(20).fill(count / 20));
    expect(burstFactor(fine, 0.5, 10, 100)).toBeCloseTo(220 / 60, 9);
  });
});
