import {describe, expect, it} from 'vitest';
import {constantRate, gamma, poisson} from '../../src/loadgen/arrivals.js';
import {concurrencyLoad} from '../../src/loadgen/schedule.js';
import {coefficientOfVariation, gapsOf, mean} from './sample-moments.js';
import {thrown} from './thrown.js';

const N = 20_000;

describe('arrival schedules', () => {
  it('constant rate: every gap is exactly 1/rate, the first send at 1/rate, the last at N/rate', () => {
    const times = constantRate(4, 10);
    expect(times).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5]);
    expect(constantRate(3, 300).at(-1)).toBe(100);
  });

  it('poisson: mean gap 1/rate, coefficient of variation 1', () => {
    const times = poisson(5, N, 42);
    expect(times).toHaveLength(N);
    const gaps = gapsOf(times);
    expect(gaps.every((gap) => gap >= 0)).toBe(true);
    // The rescale makes the gaps sum to N/rate exactly; the CV's standard error at n = 2e4 is ~0.01.
    expect(mean(gaps)).toBeCloseTo(1 / 5, 12);
    expect(coefficientOfVariation(gaps)).toBeGreaterThan(0.95);
    expect(coefficientOfVariation(gaps)).toBeLessThan(1.05);
  });

  it.each([
    [0.25, 2],
    [1, 1],
    [4, 0.5],
  ])('gamma burstiness %s: gap CV = 1/sqrt(burstiness) = %s', (burstiness, cv) => {
    const gaps = gapsOf(gamma(10, burstiness, N, 7));
    // Relative standard error of the sample SD: sqrt((2 + 6/burstiness) / (4n)) <= 1.8%.
    expect(coefficientOfVariation(gaps) / cv).toBeGreaterThan(0.93);
    expect(coefficientOfVariation(gaps) / cv).toBeLessThan(1.07);
  });

  it('rescales so the last send lands at exactly N/rate, whatever the seed', () => {
    for (const seed of [1, 2, 3]) {
      const times = gamma(8, 0.5, 1000, seed);
      expect(times.at(-1)).toBeCloseTo(1000 / 8, 9);
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    }
  });

  it('is reproducible from the seed and differs between seeds', () => {
    expect(poisson(2, 50, 9)).toEqual(poisson(2, 50, 9));
    expect(poisson(2, 50, 9)).not.toEqual(poisson(2, 50, 10));
  });

  it('an infinite rate sends everything at t = 0', () => {
    expect(poisson(Infinity, 4, 1)).toEqual([0, 0, 0, 0]);
    expect(() => poisson(Infinity, {durationS: 10}, 1)).toThrow(/without end/);
  });

  it('with a duration only, draws sends until the duration passes, without rescaling', () => {
    expect(constantRate(10, {durationS: 1})).toHaveLength(10);
    const times = poisson(100, {durationS: 60}, 5);
    expect(times.at(-1)).toBeLessThanOrEqual(60);
    // Poisson count with mean 6000: standard deviation ~77.
    expect(times.length).toBeGreaterThan(6000 - 400);
    expect(times.length).toBeLessThan(6000 + 400);
  });

  it('with a count and a duration, rescales to N/rate and then cuts at the duration', () => {
    const both = poisson(10, {n: 100, durationS: 5}, 3);
    const countOnly = poisson(10, 100, 3);
    expect(both).toEqual(countOnly.filter((t) => t <= 5));
  });

  it('rejects loads that make no sense, as bad input', () => {
    expect(() => poisson(0, 10, 1)).toThrow(/rate must be positive/);
    expect(() => poisson(Number.NaN, 10, 1)).toThrow(/rate must be positive/);
    expect(() => gamma(1, -1, 10, 1)).toThrow(/Burstiness/);
    expect(() => constantRate(1, 0)).toThrow(/positive integer/);
    expect(() => constantRate(1, 2.5)).toThrow(/positive integer/);
    expect(() => constantRate(1, {})).toThrow(/count or a duration/);
    expect(() => constantRate(1e6, {durationS: 1e5})).toThrow(/Lower the rate|plans over/);
    expect(thrown(() => constantRate(-1, 1))).toMatchObject({name: 'DynamoPlanError', exitCode: 3, code: 'E_BAD_LOAD', hint: expect.any(String)});
  });

  it('describes closed loops without planning times', () => {
    expect(concurrencyLoad(8, 100)).toEqual({kind: 'concurrency', concurrency: 8, n: 100});
    expect(concurrencyLoad(2, {durationS: 30})).toEqual({kind: 'concurrency', concurrency: 2, durationS: 30});
    expect(() => concurrencyLoad(0, 10)).toThrow(/Concurrency/);
  });
});
