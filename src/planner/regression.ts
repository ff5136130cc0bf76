// The online step-time regression of load-based scaling (Dynamo's perf_model/base.py): ordinary least squares of an
// engine's forward-pass wall time on its batch (prefill tokens; or decode requests and KV tokens), fed one sample per
// engine per load tick. Kept samples are spread over equal-width buckets between each axis's running min and max, so
// hours at one operating point do not push out what was learned elsewhere. State is plain JSON.

export interface RegressionSample {
  x: number[];
  /** Wall time of the step, seconds. */
  y: number;
  /** Arrival order (samples are also kept in it). */
  seq: number;
}

export interface RegressionState {
  /** Features per sample: 1 (prefill tokens) or 2 (decode requests, KV tokens). */
  dims: number;
  samples: RegressionSample[];
  /** Running range of each feature; empty until the first sample (JSON has no infinities). */
  axis_min: number[];
  axis_max: number[];
  next_seq: number;
}

export interface RegressionLimits {
  maxSamples: number;
  /** Buckets in all: one axis takes them all, two axes take the square root each. */
  bucketCount: number;
}

export interface LinearFit {
  intercept: number;
  coefficients: number[];
}

export type FitOutcome = {fit: LinearFit} | {fit?: undefined; problem: 'insufficient_data' | 'negative_coefficient'};

/** Predictions never fall below this (seconds), as Dynamo: a fit may cross zero near the origin. */
export const MIN_STEP_TIME_S = 1e-6;

export function createRegression(dims: number): RegressionState {
  return {dims, samples: [], axis_min: [], axis_max: [], next_seq: 0};
}

/** Adds one sample in place; a zero (idle) wall time is not a step and is not fitted. */
export function addSample(state: RegressionState, x: number[], wallTimeS: number, limits: RegressionLimits): void {
  if (!(wallTimeS > 0) || x.length !== state.dims || x.some((value) => !Number.isFinite(value))) return;
  x.forEach((value, axis) => {
    state.axis_min[axis] = Math.min(state.axis_min[axis] ?? value, value);
    state.axis_max[axis] = Math.max(state.axis_max[axis] ?? value, value);
  });
  state.samples.push({x, y: wallTimeS, seq: state.next_seq++});
  if (state.samples.length > limits.maxSamples) evictFromFullestBucket(state, limits.bucketCount);
}

function evictFromFullestBucket(state: RegressionState, bucketCount: number): void {
  const perAxis = state.dims === 1 ? bucketCount : Math.floor(Math.sqrt(bucketCount));
  const bucketOf = (sample: RegressionSample) =>
    sample.x.reduce((key, value, axis) => {
      const low = state.axis_min[axis]!;
      const high = state.axis_max[axis]!;
      const index = high <= low ? 0 : Math.max(0, Math.min(perAxis - 1, Math.floor(((value - low) / (high - low)) * perAxis)));
      return key * perAxis + index;
    }, 0);
  const keys = state.samples.map(bucketOf);
  const sizes = new Map<number, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  let fullest = keys[0]!;
  for (const [key, size] of sizes) if (size > sizes.get(fullest)!) fullest = key;
  // Samples are kept in arrival order, so the first in the fullest bucket is its oldest.
  state.samples.splice(keys.indexOf(fullest), 1);
}

/**
 * Least squares with an intercept. A negative coefficient means more work takes less time, so the fit is refused,
 * except on `clippable` axes (decode's request count, collinear with its KV tokens) where it is clipped to 0.
 * Perfectly collinear axes get the minimum-norm solution, as sklearn's LinearRegression does.
 */
export function fitRegression(state: RegressionState, minObservations: number, clippable: readonly number[] = []): FitOutcome {
  const {samples} = state;
  if (samples.length < Math.max(minObservations, 1)) return {problem: 'insufficient_data'};
  const {dims} = state;
  const meanX = Array.from({length: dims}, (_, axis) => samples.reduce((sum, sample) => sum + sample.x[axis]!, 0) / samples.length);
  const meanY = samples.reduce((sum, sample) => sum + sample.y, 0) / samples.length;
  const fitted = dims === 1 ? solve1d(samples, meanX[0]!, meanY) : solve2d(samples, meanX, meanY);
  // Clipping keeps the intercept fitted with the unclipped coefficients, as Dynamo (sklearn) does.
  const intercept = meanY - meanX.reduce((sum, mean, axis) => sum + mean * fitted[axis]!, 0);
  const coefficients = [...fitted];
  for (let axis = 0; axis < dims; axis++) {
    if (coefficients[axis]! >= 0) continue;
    if (!clippable.includes(axis)) return {problem: 'negative_coefficient'};
    coefficients[axis] = 0;
  }
  return {fit: {intercept, coefficients}};
}

function solve1d(samples: RegressionSample[], meanX: number, meanY: number): number[] {
  let sxx = 0;
  let sxy = 0;
  for (const sample of samples) {
    const dx = sample.x[0]! - meanX;
    sxx += dx * dx;
    sxy += dx * (sample.y - meanY);
  }
  return [sxx === 0 ? 0 : sxy / sxx];
}

function solve2d(samples: RegressionSample[], meanX: number[], meanY: number): number[] {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let r1 = 0;
  let r2 = 0;
  for (const sample of samples) {
    const d1 = sample.x[0]! - meanX[0]!;
    const d2 = sample.x[1]! - meanX[1]!;
    const dy = sample.y - meanY;
    s11 += d1 * d1;
    s12 += d1 * d2;
    s22 += d2 * d2;
    r1 += d1 * dy;
    r2 += d2 * dy;
  }
  const det = s11 * s22 - s12 * s12;
  if (det > 1e-10 * s11 * s22) return [(s22 * r1 - s12 * r2) / det, (s11 * r2 - s12 * r1) / det];
  // Rank one (or zero): the pseudo-inverse of S = lambda v v^T is S / lambda^2, giving the minimum-norm solution.
  const lambda = s11 + s22;
  if (lambda === 0) return [0, 0];
  return [(s11 * r1 + s12 * r2) / (lambda * lambda), (s12 * r1 + s22 * r2) / (lambda * lambda)];
}

/** Predicted step time (seconds) at `x`, never below MIN_STEP_TIME_S. */
export function predictStepTime(fit: LinearFit, x: readonly number[]): number {
  return Math.max(MIN_STEP_TIME_S, fit.coefficients.reduce((sum, coefficient, axis) => sum + coefficient * x[axis]!, fit.intercept));
}

/** A fixed-window moving average that ignores zeros until the first non-zero value (an idle start), as Dynamo's. */
export interface MovingAverageState {
  values: number[];
  seen_nonzero: boolean;
}

export function createMovingAverage(): MovingAverageState {
  return {values: [], seen_nonzero: false};
}

export function addToAverage(state: MovingAverageState, value: number, window: number): void {
  if (!Number.isFinite(value) || (value === 0 && !state.seen_nonzero)) return;
  if (value !== 0) state.seen_nonzero = true;
  state.values.push(value);
  if (state.values.length > window) state.values.splice(0, state.values.length - window);
}

/** The average, or 0 with no values (Dynamo's _MovingAverage.value). */
export function averageOf(state: MovingAverageState): number {
  return state.values.length === 0 ? 0 : state.values.reduce((sum, value) => sum + value, 0) / state.values.length;
}
