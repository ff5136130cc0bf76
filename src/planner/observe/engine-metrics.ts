// What the planner reads from one vLLM engine's /metrics, and how two readings become the increments of an interval.
// Pure: samples in, numbers out, problems as strings.
import type {MetricSample} from './prometheus-text.js';

/** Cumulative counters (and histogram _sum/_count pairs) the planner differences between scrapes. */
export const COUNTER_SERIES = {
  promptTokens: ['vllm:prompt_tokens_total'],
  generationTokens: ['vllm:generation_tokens_total'],
  /** Every finished request, whatever its finished_reason: aborted requests were offered load too. */
  requests: ['vllm:request_success_total'],
  prefixQueries: ['vllm:prefix_cache_queries_total'],
  prefixHits: ['vllm:prefix_cache_hits_total'],
  ttftSum: ['vllm:time_to_first_token_seconds_sum'],
  ttftCount: ['vllm:time_to_first_token_seconds_count'],
  // vLLM before 0.10 called inter-token latency time_per_output_token.
  itlSum: ['vllm:inter_token_latency_seconds_sum', 'vllm:time_per_output_token_seconds_sum'],
  itlCount: ['vllm:inter_token_latency_seconds_count', 'vllm:time_per_output_token_seconds_count'],
  islSum: ['vllm:request_prompt_tokens_sum'],
  islCount: ['vllm:request_prompt_tokens_count'],
  oslSum: ['vllm:request_generation_tokens_sum'],
  oslCount: ['vllm:request_generation_tokens_count'],
  queueTimeSum: ['vllm:request_queue_time_seconds_sum'],
  queueTimeCount: ['vllm:request_queue_time_seconds_count'],
  steps: ['vllm:iteration_tokens_total_count'],
  stepTokens: ['vllm:iteration_tokens_total_sum'],
} as const;

export type CounterKey = keyof typeof COUNTER_SERIES;
export type Counters = Partial<Record<CounterKey, number>>;

/** The prompt-length histogram's buckets: the spread of prompts the planner's queue model sizes for. */
const ISL_BUCKET_SERIES = 'vllm:request_prompt_tokens_bucket';

const GAUGE_SERIES = {
  running: ['vllm:num_requests_running'],
  waiting: ['vllm:num_requests_waiting'],
  // vLLM V0 named it gpu_cache_usage_perc.
  kvUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
} as const;

/** One scrape of one engine, summed over its per-`engine` (data-parallel core) series. */
export interface EngineSnapshot {
  running?: number;
  waiting?: number;
  /** Share of KV blocks in use, 0-1, averaged over the engine cores (each core has its own cache). */
  kvUsage?: number;
  /** Tokens the KV cache holds across the engine's cores, from vllm:cache_config_info (blocks x block size). */
  kvCapacityTokens?: number;
  counters: Counters;
  /** The prompt-length histogram's cumulative buckets, by `le` (summed over the engine's series). */
  islBuckets: Partial<Record<string, number>>;
}

/**
 * Reads an engine's snapshot from its samples, keeping only series of `model` (label model_name) when given. A NaN or
 * infinite value is treated as absent and reported, since one bad series must not poison a sum.
 */
export function readEngineSnapshot(samples: readonly MetricSample[], model?: string): {snapshot: EngineSnapshot; issues: string[]} {
  const issues: string[] = [];
  const byName = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    if (model !== undefined && sample.labels.model_name !== undefined && sample.labels.model_name !== model) continue;
    let list = byName.get(sample.name);
    if (!list) byName.set(sample.name, (list = []));
    list.push(sample);
  }
  const read = (names: readonly string[], combine: 'sum' | 'mean'): number | undefined => {
    for (const name of names) {
      const series = byName.get(name);
      if (!series) continue;
      const finite = series.filter((sample) => Number.isFinite(sample.value));
      if (finite.length < series.length) issues.push(`${name} has a non-finite value (${series.find((s) => !Number.isFinite(s.value))!.value}); ignored`);
      if (finite.length === 0) return undefined;
      const total = finite.reduce((sum, sample) => sum + sample.value, 0);
      return combine === 'sum' ? total : total / finite.length;
    }
    return undefined;
  };
  const snapshot: EngineSnapshot = {counters: {}, islBuckets: {}};
  const running = read(GAUGE_SERIES.running, 'sum');
  if (running !== undefined) snapshot.running = running;
  const waiting = read(GAUGE_SERIES.waiting, 'sum');
  if (waiting !== undefined) snapshot.waiting = waiting;
  const kvUsage = read(GAUGE_SERIES.kvUsage, 'mean');
  if (kvUsage !== undefined) snapshot.kvUsage = kvUsage;
  let capacity: number | undefined;
  for (const info of byName.get('vllm:cache_config_info') ?? []) {
    const tokens = Number(info.labels.num_gpu_blocks) * Number(info.labels.block_size);
    if (Number.isFinite(tokens)) capacity = (capacity ?? 0) + tokens;
  }
  if (capacity !== undefined) snapshot.kvCapacityTokens = capacity;
  for (const key of Object.keys(COUNTER_SERIES) as CounterKey[]) {
    const value = read(COUNTER_SERIES[key], 'sum');
    if (value !== undefined) snapshot.counters[key] = value;
  }
  for (const bucket of byName.get(ISL_BUCKET_SERIES) ?? []) {
    const le = bucket.labels.le;
    if (le !== undefined && Number.isFinite(bucket.value)) snapshot.islBuckets[le] = (snapshot.islBuckets[le] ?? 0) + bucket.value;
  }
  return {snapshot, issues};
}

/**
 * How much each counter grew from one snapshot to the next. A counter that went down was reset (the engine
 * restarted), so its whole current value is the growth since the reset: the increments before the restart and
 * after the last scrape are lost, as with Prometheus' increase(). A counter absent from the earlier snapshot started
 * from zero since: labelled counters and histograms have no series until their first observation.
 */
export function counterIncrements<K extends string>(previous: Partial<Record<K, number>>, current: Partial<Record<K, number>>): Partial<Record<K, number>> {
  const increments: Partial<Record<K, number>> = {};
  for (const key of Object.keys(current) as K[]) {
    const now = current[key]!;
    const before = previous[key] ?? 0;
    increments[key] = now >= before ? now - before : now;
  }
  return increments;
}

/** Adds increments into a running total. */
export function addCounters<K extends string>(total: Partial<Record<K, number>>, more: Partial<Record<K, number>>): void {
  for (const key of Object.keys(more) as K[]) total[key] = (total[key] ?? 0) + more[key]!;
}

/** `sum / count` of a histogram's increments, or undefined when nothing was observed. */
export function meanOf(counters: Counters, sum: CounterKey, count: CounterKey): number | undefined {
  const n = counters[count];
  const total = counters[sum];
  return n !== undefined && total !== undefined && n > 0 ? total / n : undefined;
}
