import {describe, expect, it} from 'vitest';
import {constantRate} from '../../src/loadgen/arrivals.js';
import {lengthSampler, withLengths} from '../../src/loadgen/lengths.js';
import {mean} from './sample-moments.js';

describe('request lengths', () => {
  it('fixed lengths without a range ratio', () => {
    const lengths = lengthSampler({isl: 1024, osl: 128}, 1);
    expect([0, 1, 99].map(lengths)).toEqual([{isl: 1024, osl: 128}, {isl: 1024, osl: 128}, {isl: 1024, osl: 128}]);
  });

  it('a range ratio spreads lengths uniformly over [floor(len (1 - r)), ceil(len (1 + r))]', () => {
    const lengths = lengthSampler({isl: 100, osl: 10, rangeRatio: 0.5}, 3);
    const drawn = Array.from({length: 20_000}, (_, i) => lengths(i));
    const isl = drawn.map((l) => l.isl);
    const osl = drawn.map((l) => l.osl);
    expect(Math.min(...isl)).toBe(50);
    expect(Math.max(...isl)).toBe(150);
    expect(Math.min(...osl)).toBe(5);
    expect(Math.max(...osl)).toBe(15);
    // Uniform over 101 values: mean 100, standard error ~0.2.
    expect(mean(isl)).toBeGreaterThan(99);
    expect(mean(isl)).toBeLessThan(101);
    expect(new Set(isl).size).toBe(101);
  });

  it('a request gets the same lengths whatever else is drawn (a pure function of seed and index)', () => {
    const a = lengthSampler({isl: 500, osl: 50, rangeRatio: 0.2}, 9);
    const b = lengthSampler({isl: 500, osl: 50, rangeRatio: 0.2}, 9);
    expect(a(41)).toEqual(b(41));
    expect(a(40)).not.toEqual(a(41));
  });

  it('never draws a length below one token', () => {
    const lengths = lengthSampler({isl: 1, osl: 1, rangeRatio: 0.99}, 1);
    for (let i = 0; i < 100; i++) expect(lengths(i).osl).toBeGreaterThanOrEqual(1);
  });

  it('rejects bad lengths and ratios', () => {
    expect(() => lengthSampler({isl: 0, osl: 10}, 1)).toThrow(/input length/);
    expect(() => lengthSampler({isl: 10, osl: 1.5}, 1)).toThrow(/output length/);
    expect(() => lengthSampler({isl: 10, osl: 10, rangeRatio: 1}, 1)).toThrow(/range ratio/);
  });

  it('attaches lengths to send times as a schedule', () => {
    expect(withLengths(constantRate(2, 2), lengthSampler({isl: 8, osl: 4}, 0))).toEqual([
      {index: 0, sendAtS: 0.5, isl: 8, osl: 4},
      {index: 1, sendAtS: 1, isl: 8, osl: 4},
    ]);
  });
});
