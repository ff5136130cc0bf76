import {describe, expect, it} from 'vitest';
import {percentile, summarize} from '../../src/loadgen/stats.js';

describe('percentiles (numpy linear interpolation)', () => {
  it('interpolates between the nearest ranks', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // numpy.percentile(range(1, 11), [0, 50, 90, 95, 99, 100])
    expect([0, 50, 90, 95, 99, 100].map((p) => percentile(sorted, p))).toEqual([1, 5.5, 9.1, 9.55, 9.91, 10].map((v) => expect.closeTo(v, 12)));
  });

  it('summarizes unsorted samples', () => {
    // rank = p/100 * 4: p90 -> 3.6 -> 40 + 0.6 * 10
    expect(summarize([50, 15, 40, 20, 35])).toEqual({mean: 32, p50: 35, p90: 46, p95: 48, p99: expect.closeTo(49.6, 12), max: 50});
  });

  it('one sample is every percentile; no samples is null', () => {
    expect(summarize([7])).toEqual({mean: 7, p50: 7, p90: 7, p95: 7, p99: 7, max: 7});
    expect(summarize([])).toBeNull();
    expect(() => percentile([], 50)).toThrow(RangeError);
  });
});
