// Error measures of predictions against measurements. Percentages are in percent (5 means 5%).

/** |predicted - actual| / actual * 100 for each point; actual values are positive latencies. */
export function absolutePercentageErrors(actual: readonly number[], predicted: readonly number[]): number[] {
  return actual.map((value, i) => (Math.abs(predicted[i]! - value) / value) * 100);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Coefficient of determination: the share of the measurements' variance the predictions explain. */
export function rSquared(actual: readonly number[], predicted: readonly number[]): number {
  const average = mean(actual);
  let residual = 0;
  let total = 0;
  actual.forEach((value, i) => {
    residual += (value - predicted[i]!) ** 2;
    total += (value - average) ** 2;
  });
  return total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
}
