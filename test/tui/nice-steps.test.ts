import {describe, expect, it} from 'vitest';
import {niceStep, SWEEP_MANTISSAS, seriesBetween} from '../../src/tui/nice-steps.js';

describe('niceStep', () => {
  it('moves about 10% to round values, and back to the same values', () => {
    const up: number[] = [20];
    for (let i = 0; i < 5; i++) up.push(niceStep(up.at(-1)!, 1));
    expect(up).toEqual([20, 22, 25, 28, 30, 33]);
    const down: number[] = [33];
    for (let i = 0; i < 5; i++) down.push(niceStep(down.at(-1)!, -1));
    expect(down).toEqual([33, 30, 28, 25, 22, 20]);
  });

  it('crosses decades without binary noise', () => {
    expect(niceStep(9, 1)).toBe(10);
    expect(niceStep(10, 1)).toBe(11);
    expect(niceStep(10, -1)).toBe(9);
    expect(niceStep(1, -1)).toBe(0.9);
    expect(niceStep(0.1, 1)).toBe(0.11);
  });

  it('steps an off-ladder value to its neighbours', () => {
    expect(niceStep(17, 1)).toBe(18);
    expect(niceStep(17, -1)).toBe(16);
    expect(niceStep(19.9999999999, 1)).toBe(22);
  });

  it('whole numbers move by at least one', () => {
    expect(niceStep(1, 1, true)).toBe(2);
    expect(niceStep(2, -1, true)).toBe(1);
    expect(niceStep(7, 1, true)).toBe(8);
    expect(niceStep(3000, 1, true)).toBe(3300);
    expect(niceStep(150, -1, true)).toBe(130);
  });
});

describe('seriesBetween', () => {
  it('lists the E12 values within a range, ascending', () => {
    expect(seriesBetween(SWEEP_MANTISSAS, 5, 25)).toEqual([5.6, 6.8, 8.2, 10, 12, 15, 18, 22]);
    expect(seriesBetween(SWEEP_MANTISSAS, 10, 10)).toEqual([10]);
    expect(seriesBetween(SWEEP_MANTISSAS, 0, 10)).toEqual([]);
  });
});
