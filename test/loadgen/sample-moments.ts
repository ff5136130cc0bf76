// Moments of samples, for checking the statistics of seeded generators with tolerances that fit the sample size.

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function variance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
}

export function coefficientOfVariation(values: readonly number[]): number {
  return Math.sqrt(variance(values)) / mean(values);
}

/** Gaps between successive send times, the first measured from t = 0. */
export function gapsOf(times: readonly number[]): number[] {
  return times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
}
