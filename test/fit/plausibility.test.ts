import {describe, expect, it} from 'vitest';
import {implausibility, unitSteps} from '../../src/fit/plausibility.js';

const describeIsl = (isl: number) => `isl ${isl}`;

describe('implausibility', () => {
  it('accepts predictions that stay positive and never fall along each path', () => {
    expect(implausibility((isl: number) => 3 + isl, [unitSteps(1, 50)], 'the prompt length', describeIsl)).toBeUndefined();
    expect(implausibility(() => 7, [unitSteps(1, 50)], 'the prompt length', describeIsl)).toBeUndefined();
  });

  it('names the first input where the prediction is not positive', () => {
    expect(implausibility((isl: number) => isl - 10, [unitSteps(1, 50)], 'the prompt length', describeIsl)).toBe('it predicts -9.000 ms at isl 1');
  });

  it('names the first input where the prediction falls as load grows', () => {
    expect(implausibility((isl: number) => 100 - (isl - 20) ** 2 / 10, [unitSteps(0, 40)], 'the prompt length', describeIsl)).toBe(
      'it decreases as the prompt length grows, at isl 21',
    );
  });
});

describe('unitSteps', () => {
  it('covers the range in whole steps and always ends at its top', () => {
    expect(unitSteps(3, 6)).toEqual([3, 4, 5, 6]);
    expect(unitSteps(2.5, 5)).toEqual([2.5, 3.5, 4.5, 5]);
    expect(unitSteps(7, 7)).toEqual([7]);
  });
});
