// An interval's lengths cut to the sizer's 64 ISL quantiles, each point a real request with its own OSL.
import {describe, expect, it} from 'vitest';
import {representativeLengths} from '../../../src/planner/queue-model/lengths.js';
import {prepareWorkload} from '../../../src/sizing/workload.js';

describe('representative lengths', () => {
  // 5000 requests in a shuffled order: ISL 1..5000 (some above 2^11 and 2^22 tokens), OSL tied to each ISL.
  const lengths = Array.from({length: 5000}, (_, i) => ({isl: ((i * 7919) % 5000) + 1, osl: 10 + (((i * 7919) % 5000) % 97)}));
  lengths[17] = {isl: 5_000_000, osl: 3};

  it('keeps the requests at the 64 equal-weight ISL quantiles, in ISL order, each with its own OSL', () => {
    const picked = representativeLengths(lengths);
    expect(picked).toHaveLength(64);
    const sorted = lengths.map((length) => length.isl).sort((a, b) => a - b);
    expect(picked.map((length) => length.isl)).toEqual(Array.from({length: 64}, (_, i) => sorted[Math.floor(((i + 0.5) / 64) * 5000)]));
    for (const point of picked) expect(lengths).toContainEqual(point);
  });

  it('gives the sizer the same ISL points as all the requests would', () => {
    const all = prepareWorkload({isl: 1, osl: 1, samples: lengths}, 'p99');
    const cut = prepareWorkload({isl: 1, osl: 1, samples: representativeLengths(lengths)}, 'p99');
    expect(cut.islValues).toEqual(all.islValues);
  });

  it('keeps short lists whole', () => {
    expect(representativeLengths(lengths.slice(0, 10))).toEqual(lengths.slice(0, 10));
  });
});
