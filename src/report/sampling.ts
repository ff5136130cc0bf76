// Inputs at which a fitted curve is drawn: dense enough to look smooth, only across the measured range (a fit says
// nothing beyond the points it was made from).

export const CURVE_SAMPLES = 200;

/** `count` evenly spaced values from `from` to `to`, both included. */
export function evenlySpaced(from: number, to: number, count = CURVE_SAMPLES): number[] {
  if (to <= from) return [from];
  return Array.from({length: count}, (_, i) => from + ((to - from) * i) / (count - 1));
}

/**
 * Whole numbers from `from` to `to` (both positive, both included), geometrically spaced so the curve is smooth on a
 * log axis too: batch sizes run from 1 to hundreds, and the small batches are where ITL bends.
 */
export function wholeNumbersBetween(from: number, to: number, count = CURVE_SAMPLES): number[] {
  if (to <= from) return [from];
  const ratio = (to / from) ** (1 / (count - 1));
  const values = Array.from({length: count}, (_, i) => Math.round(from * ratio ** i));
  return [...new Set([...values, to])];
}

/** A log axis when the values span more than this factor (1 to 1000 sequences); a linear one otherwise. */
export function wantsLogAxis(values: readonly number[]): boolean {
  return Math.max(...values) / Math.min(...values) > 30;
}
