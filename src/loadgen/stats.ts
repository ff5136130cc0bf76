// Distribution summaries of latency samples, with percentiles interpolated as numpy's default (`linear`) does,
// so figures compare directly with `vllm bench serve`.

export interface MetricSummary {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** The p-th percentile (0..100) of ascending `sorted`: linear between the two nearest ranks, rank = p/100 * (n - 1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Mean, percentiles and max of the samples, or null when there are none. */
export function summarize(samples: readonly number[]): MetricSummary | null {
  if (samples.length === 0) return null;
  const sorted = samples.toSorted((a, b) => a - b);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1)!,
  };
}
