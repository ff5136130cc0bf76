// What the queue model reads beyond means, from Prometheus: the arrivals per load interval over the throughput window
// (a range query of the request counter's increase) and the prompt-length distribution (the ISL histogram's buckets
// over the window, turned into equal-weight quantile points as histogram_quantile reads them).
import type {TrafficObservation} from '../tick.js';
import {parseBody} from './prometheus-response.js';

/** PromQL templates: `{step}` is the load interval (e.g. `5s`), `{window}` and `{model_re}` as for the means. */
export interface PrometheusDetailQueries {
  /** Requests per step: one series, evaluated over the window at that step. */
  arrivalsPerStep: string[];
  /** The ISL histogram's increase over the window, one series per `le`. */
  islBuckets: string[];
}

const frontend = (metric: string) => `${metric}{model=~"(?i){model_re}"}`;
const engine = (metric: string) => `${metric}{model_name=~"{model_re}"}`;

export const DEFAULT_DETAIL_QUERIES: PrometheusDetailQueries = {
  arrivalsPerStep: [
    `sum(increase(${frontend('dynamo_frontend_requests_started_total')}[{step}]))`,
    `sum(increase(${frontend('dynamo_frontend_requests_total')}[{step}]))`,
    `sum(increase(${engine('vllm:request_success_total')}[{step}]))`,
  ],
  islBuckets: [
    `sum by (le) (increase(${frontend('dynamo_frontend_input_sequence_tokens_bucket')}[{window}]))`,
    `sum by (le) (increase(${engine('vllm:request_prompt_tokens_bucket')}[{window}]))`,
  ],
};

/** Quantile points the ISL histogram is read into (the sizer's count). */
const LENGTH_POINTS = 64;

/** The values of a range query's single series, oldest first (steps without data are absent); undefined without a series. */
export function parseRangeValues(text: string): {ok: true; values: number[] | undefined} | {ok: false; error: string} {
  const body = parseBody(text);
  if (!body.ok) return body;
  const {resultType, result} = body.data;
  if (resultType !== 'matrix' || !Array.isArray(result)) return {ok: false, error: `unexpected result type ${resultType}`};
  if (result.length === 0) return {ok: true, values: undefined};
  if (result.length > 1) return {ok: false, error: `the query returned ${result.length} series, not one (wrap it in sum())`};
  const points = (result[0] as {values?: [number, string][]}).values ?? [];
  return {ok: true, values: points.map(([, value]) => Number(value)).filter(Number.isFinite).map((value) => Math.max(0, value))};
}

/** A histogram's cumulative buckets from an instant query by `le`, ascending; undefined without a series. */
export function parseBuckets(text: string): {ok: true; buckets: {le: number; count: number}[] | undefined} | {ok: false; error: string} {
  const body = parseBody(text);
  if (!body.ok) return body;
  const {resultType, result} = body.data;
  if (resultType !== 'vector' || !Array.isArray(result)) return {ok: false, error: `unexpected result type ${resultType}`};
  if (result.length === 0) return {ok: true, buckets: undefined};
  const byLe: Partial<Record<string, number>> = {};
  for (const series of result as {metric?: {le?: string}; value?: [number, string]}[]) {
    const count = Number(series.value?.[1]);
    if (series.metric?.le !== undefined && Number.isFinite(count)) byLe[series.metric.le] = count;
  }
  const buckets = bucketsByLe(byLe);
  if (buckets.length === 0) return {ok: false, error: 'the query returned no series with an le label (use sum by (le))'};
  return {ok: true, buckets};
}

/** Cumulative buckets keyed by their `le` label, as a list ascending (+Inf last); labels that are not numbers dropped. */
export function bucketsByLe(byLe: Partial<Record<string, number>>): {le: number; count: number}[] {
  return Object.entries(byLe)
    .map(([le, count]) => ({le: le === '+Inf' ? Infinity : Number(le), count: count ?? 0}))
    .filter((bucket) => !Number.isNaN(bucket.le))
    .sort((a, b) => a.le - b.le);
}

/**
 * Equal-weight quantile points of a cumulative histogram, each read by linear interpolation inside its bucket (the
 * lowest bucket from 0, the +Inf bucket at the highest finite bound), as histogram_quantile does; every point gets
 * the mean OSL. Empty when the histogram counted nothing.
 */
export function lengthsFromBuckets(buckets: readonly {le: number; count: number}[], osl: number, points = LENGTH_POINTS): NonNullable<TrafficObservation['lengths']> {
  const total = buckets.at(-1)?.count ?? 0;
  if (!(total > 0)) return [];
  const highestFinite = [...buckets].reverse().find((bucket) => Number.isFinite(bucket.le))?.le ?? 0;
  const lengths: NonNullable<TrafficObservation['lengths']> = [];
  for (let i = 0; i < points; i++) {
    const rank = ((i + 0.5) / points) * total;
    const index = buckets.findIndex((bucket) => bucket.count >= rank);
    const bucket = buckets[index]!;
    const below = index > 0 ? buckets[index - 1]! : {le: 0, count: 0};
    if (!Number.isFinite(bucket.le)) {
      lengths.push({isl: highestFinite, osl});
      continue;
    }
    const share = bucket.count > below.count ? (rank - below.count) / (bucket.count - below.count) : 1;
    lengths.push({isl: below.le + (bucket.le - below.le) * share, osl});
  }
  return lengths;
}
