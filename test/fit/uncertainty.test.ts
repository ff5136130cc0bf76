import {describe, expect, it} from 'vitest';
import {fitItl, fitTtft, leastCertain} from '../../src/fit/index.js';
import {H200_MAX_NUM_SEQS, h200DecodePoints, h200PrefillPoints} from './h200-profile.js';
import {decodePoints, prefillPoints} from './synthetic.js';

describe('leastCertain', () => {
  it('finds no disagreement where the data has no noise', () => {
    const fit = fitTtft(prefillPoints((isl) => 12 + 0.02 * isl));
    for (const {spread} of leastCertain(fit, [100, 5000, 40000], 3)) expect(spread).toBeLessThan(1e-9);
  });

  it('ranks extrapolation beyond the sweep above interpolation inside it', () => {
    const fit = fitTtft(prefillPoints((isl) => 15 + 0.015 * isl + 5e-7 * isl ** 2, 0.03));
    const ranked = leastCertain(fit, [5000, 9000, 65536, 12000], 4);
    expect(ranked[0]!.x).toBe(65536);
    expect(ranked.map((entry) => entry.spread)).toEqual(ranked.map((entry) => entry.spread).toSorted((a, b) => b - a));
    expect(leastCertain(fit, [5000, 9000, 65536], 2)).toHaveLength(2);
  });

  it('on the H200 profile, points to the short prompts where TTFT bends, and to large batches at short context', () => {
    const prefill = fitTtft(h200PrefillPoints());
    const [prefillPick] = leastCertain(prefill, [100, 600, 4000, 8000, 12000], 1);
    expect(prefillPick!.x).toBe(100);
    expect(prefillPick!.spread).toBeGreaterThan(0.1);

    const decode = fitItl(h200DecodePoints(), {maxNumSeqs: H200_MAX_NUM_SEQS});
    // At 350 tokens only three points lie between batch 2 and 1024, and they carry the fit's largest residuals.
    const [decodePick] = leastCertain(decode, [{n: 64, ctx: 4000}, {n: 512, ctx: 350}, {n: 128, ctx: 16000}], 1);
    expect(decodePick!.x).toEqual({n: 512, ctx: 350});
  });

  it('works the same for a decode fit', () => {
    const fit = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx, 0.03));
    const ranked = leastCertain(fit, [{n: 16, ctx: 2048}, {n: 1024, ctx: 32768}], 2);
    expect(ranked[0]!.x).toEqual({n: 1024, ctx: 32768});
    expect(ranked[0]!.spread).toBeGreaterThan(ranked[1]!.spread);
  });
});
