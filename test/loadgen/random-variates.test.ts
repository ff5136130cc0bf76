import {describe, expect, it} from 'vitest';
import {gammaSampler, normalSampler} from '../../src/loadgen/random-variates.js';
import {seededRandom} from '../../src/util/hash.js';
import {mean, variance} from './sample-moments.js';

const N = 100_000;
const draw = (sample: () => number) => Array.from({length: N}, sample);

describe('random variates', () => {
  it('normal: mean 0, variance 1 (standard error ~0.003 and ~0.0045 at n = 1e5)', () => {
    const values = draw(normalSampler(seededRandom(7)));
    expect(Math.abs(mean(values))).toBeLessThan(0.015);
    expect(variance(values)).toBeCloseTo(1, 1);
    // About 68.3% within one standard deviation.
    expect(values.filter((v) => Math.abs(v) < 1).length / N).toBeCloseTo(0.6827, 2);
  });

  it.each([0.25, 0.5, 1, 4, 30])('gamma shape %s: mean = shape and variance = shape', (shape) => {
    const values = draw(gammaSampler(seededRandom(11), shape));
    expect(values.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    // Relative standard errors at n = 1e5: mean 1/sqrt(n * shape) <= 0.7%; variance sqrt((2 + 6/shape) / n) <= 1.6%.
    expect(mean(values) / shape).toBeGreaterThan(0.97);
    expect(mean(values) / shape).toBeLessThan(1.03);
    expect(variance(values) / shape).toBeGreaterThan(0.92);
    expect(variance(values) / shape).toBeLessThan(1.08);
  });

  it('is reproducible from the seed', () => {
    const a = draw(gammaSampler(seededRandom(3), 0.5)).slice(0, 5);
    const b = draw(gammaSampler(seededRandom(3), 0.5)).slice(0, 5);
    expect(a).toEqual(b);
  });

  it('rejects a non-positive shape', () => {
    expect(() => gammaSampler(seededRandom(1), 0)).toThrow(RangeError);
  });
});
