// Traffic and latency from a Prometheus server's HTTP API (/api/v1/query), the way Dynamo's planner reads them:
// rates and means over the throughput interval, Dynamo frontend series first and vLLM's engine series as the
// fallback, filtered by model. Every query is a template the user can replace.
import type {Dispatcher} from 'undici';
import type {TrafficObservation} from '../tick.js';
import type {ObservedLatency} from './engine-observer.js';
import {getText} from './http-get.js';
import {DEFAULT_DETAIL_QUERIES, lengthsFromBuckets, parseBuckets, parseRangeValues, type PrometheusDetailQueries} from './prometheus-detail.js';
import {parseBody} from './prometheus-response.js';

/**
 * PromQL templates per figure; the first that returns a value wins. Placeholders: `{window}` (e.g. `180s`),
 * `{model_re}` (the model as an escaped regex, `.*` when no model is set) and, in quantile queries, `{quantile}`.
 * Each query must return one sample (wrap it in sum()).
 */
export interface PrometheusQueries {
  /** Requests per second over the window. */
  requestRate: string[];
  ttftMeanSeconds: string[];
  itlMeanSeconds: string[];
  ttftQuantileSeconds: string[];
  itlQuantileSeconds: string[];
  islMean: string[];
  oslMean: string[];
  /** Share of prompt tokens served from prefix caches. */
  kvHitRate: string[];
}

const frontend = (metric: string) => `${metric}{model=~"(?i){model_re}"}`;
const engine = (metric: string) => `${metric}{model_name=~"{model_re}"}`;
const mean = (select: (metric: string) => string, family: string) =>
  `sum(increase(${select(`${family}_sum`)}[{window}])) / sum(increase(${select(`${family}_count`)}[{window}]))`;
const quantile = (select: (metric: string) => string, family: string) =>
  `histogram_quantile({quantile}, sum by (le) (rate(${select(`${family}_bucket`)}[{window}])))`;

/** Dynamo's frontend names first (offered load: requests started), then vLLM's own (requests finished). */
export const DEFAULT_PROMETHEUS_QUERIES: PrometheusQueries = {
  requestRate: [
    `sum(rate(${frontend('dynamo_frontend_requests_started_total')}[{window}]))`,
    `sum(rate(${frontend('dynamo_frontend_requests_total')}[{window}]))`,
    `sum(rate(${engine('vllm:request_success_total')}[{window}]))`,
  ],
  ttftMeanSeconds: [mean(frontend, 'dynamo_frontend_time_to_first_token_seconds'), mean(engine, 'vllm:time_to_first_token_seconds')],
  itlMeanSeconds: [mean(frontend, 'dynamo_frontend_inter_token_latency_seconds'), mean(engine, 'vllm:inter_token_latency_seconds')],
  ttftQuantileSeconds: [quantile(frontend, 'dynamo_frontend_time_to_first_token_seconds'), quantile(engine, 'vllm:time_to_first_token_seconds')],
  itlQuantileSeconds: [quantile(frontend, 'dynamo_frontend_inter_token_latency_seconds'), quantile(engine, 'vllm:inter_token_latency_seconds')],
  islMean: [mean(frontend, 'dynamo_frontend_input_sequence_tokens'), mean(engine, 'vllm:request_prompt_tokens')],
  oslMean: [mean(frontend, 'dynamo_frontend_output_sequence_tokens'), mean(engine, 'vllm:request_generation_tokens')],
  // A counter never incremented may have no series yet (no hits so far): that is a rate of 0, not no data.
  kvHitRate: [`(sum(increase(${engine('vllm:prefix_cache_hits_total')}[{window}])) or vector(0)) / sum(increase(${engine('vllm:prefix_cache_queries_total')}[{window}]))`],
};

export interface PrometheusSourceOptions {
  /** Server root, e.g. http://prometheus:9090. */
  url: string;
  model?: string;
  /** The throughput adjustment interval, seconds: the window of every rate and mean. */
  windowS: number;
  /** Replaces the default templates figure by figure. */
  queries?: Partial<PrometheusQueries>;
  /**
   * The load interval, seconds: when set, each observation also reads the arrivals per interval over the window and
   * the ISL histogram (traffic.arrivals and traffic.lengths, which the planner's queue model sizes with).
   */
  stepS?: number;
  detailQueries?: Partial<PrometheusDetailQueries>;
  /** Percentiles to report (default 0.5, 0.9, 0.99). */
  quantiles?: number[];
  timeoutMs?: number;
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
}

export interface PrometheusLatency extends ObservedLatency {
  /** Keyed `p50`, `p90`, ... */
  ttft_quantiles_ms?: Record<string, number>;
  itl_quantiles_ms?: Record<string, number>;
}

export interface PrometheusObservation {
  traffic?: TrafficObservation;
  latency: PrometheusLatency;
  requestsPerSecond?: number;
  /** Which query answered each figure, for logs and reports. */
  sources: Record<string, string>;
  issues: string[];
}

/** What the queue model reads beyond the means: arrivals per load interval and the ISL histogram. */
interface IntervalDetail {
  arrivals?: {window_s: number; counts: number[]};
  buckets?: {le: number; count: number}[];
}

/** `unreachable`: the server never answered, so other queries would fail the same way. */
type QueryResult = {ok: true; value: number | undefined} | {ok: false; error: string; unreachable?: boolean};

export class PrometheusTrafficSource {
  private readonly queries: PrometheusQueries;
  private readonly detailQueries: PrometheusDetailQueries;

  constructor(private readonly options: PrometheusSourceOptions) {
    this.queries = {...DEFAULT_PROMETHEUS_QUERIES, ...options.queries};
    this.detailQueries = {...DEFAULT_DETAIL_QUERIES, ...options.detailQueries};
  }

  /** Every figure at once. Never throws: a down server or an empty series is an issue and an absent figure. */
  async observe(signal?: AbortSignal): Promise<PrometheusObservation> {
    const issues: string[] = [];
    const sources: Record<string, string> = {};
    const quantiles = this.options.quantiles ?? [0.5, 0.9, 0.99];
    const figure = async (key: string, templates: string[], extra: Record<string, string> = {}) => {
      const answer = await this.firstValue(templates, extra, signal);
      if (answer.error) issues.push(`${key}: ${answer.error}`);
      if (answer.query) sources[key] = answer.query;
      return answer.value;
    };
    const quantileFigures = (key: string, templates: string[]) => Promise.all(quantiles.map(async (q) =>
      [`p${Math.round(q * 1000) / 10}`, await figure(`${key}_p${q}`, templates, {quantile: String(q)})] as const));
    const detail: Promise<IntervalDetail> = this.options.stepS ? this.detail(this.options.stepS, issues, sources, signal) : Promise.resolve({});
    const [rate, ttft, itl, isl, osl, hitRate, ttftQ, itlQ, {arrivals, buckets}] = await Promise.all([
      figure('request_rate', this.queries.requestRate),
      figure('ttft_mean', this.queries.ttftMeanSeconds),
      figure('itl_mean', this.queries.itlMeanSeconds),
      figure('isl_mean', this.queries.islMean),
      figure('osl_mean', this.queries.oslMean),
      figure('kv_hit_rate', this.queries.kvHitRate),
      quantileFigures('ttft', this.queries.ttftQuantileSeconds),
      quantileFigures('itl', this.queries.itlQuantileSeconds),
      detail,
    ]);
    const latency: PrometheusLatency = {};
    if (ttft !== undefined) latency.ttft_ms = ttft * 1000;
    if (itl !== undefined) latency.itl_ms = itl * 1000;
    const ttftQuantiles = milliseconds(ttftQ);
    if (ttftQuantiles) latency.ttft_quantiles_ms = ttftQuantiles;
    const itlQuantiles = milliseconds(itlQ);
    if (itlQuantiles) latency.itl_quantiles_ms = itlQuantiles;
    const observation: PrometheusObservation = {latency, sources, issues};
    if (rate !== undefined) {
      observation.requestsPerSecond = rate;
      const traffic: TrafficObservation = {duration_s: this.options.windowS, num_req: rate * this.options.windowS};
      // Means of nothing are NaN when no request finished: absent, not a reason to skip the tick (Dynamo #6985).
      if (isl !== undefined) traffic.isl = isl;
      if (osl !== undefined) traffic.osl = osl;
      if (hitRate !== undefined) traffic.kv_hit_rate = hitRate;
      if (arrivals) traffic.arrivals = arrivals;
      const lengths = buckets && lengthsFromBuckets(buckets, osl ?? 1);
      if (lengths?.length) traffic.lengths = lengths;
      observation.traffic = traffic;
    }
    return observation;
  }

  /** The arrivals per step over the window (a range query) and the ISL histogram's buckets; each absent on failure. */
  private async detail(stepS: number, issues: string[], sources: Record<string, string>, signal?: AbortSignal): Promise<IntervalDetail> {
    const endS = Date.now() / 1000;
    const range = {start: endS - this.options.windowS + stepS, end: endS, step: stepS};
    const step = {step: `${Math.max(1, Math.round(stepS))}s`};
    const [counts, buckets] = await Promise.all([
      this.firstAnswer('arrivals', this.detailQueries.arrivalsPerStep, step, issues, sources, (query) => this.get(query, signal, range), (text) => {
        const parsed = parseRangeValues(text);
        return parsed.ok ? {ok: true, value: parsed.values} : parsed;
      }),
      this.firstAnswer('isl_buckets', this.detailQueries.islBuckets, {}, issues, sources, (query) => this.get(query, signal), (text) => {
        const parsed = parseBuckets(text);
        return parsed.ok ? {ok: true, value: parsed.buckets} : parsed;
      }),
    ]);
    return {...(counts?.length ? {arrivals: {window_s: stepS, counts}} : {}), ...(buckets ? {buckets} : {})};
  }

  /** The first template whose answer parses to a value; failures become one issue under `key`. */
  private async firstAnswer<T>(key: string, templates: string[], extra: Record<string, string>, issues: string[], sources: Record<string, string>,
    get: (query: string) => Promise<{ok: true; text: string} | {ok: false; error: string; unreachable?: boolean}>, parse: (text: string) => {ok: true; value: T | undefined} | {ok: false; error: string}): Promise<T | undefined> {
    const errors: string[] = [];
    for (const template of templates) {
      const query = this.render(template, extra);
      const response = await get(query);
      const parsed = response.ok ? parse(response.text) : response;
      if (!parsed.ok) {
        errors.push(parsed.error);
        if (!response.ok && response.unreachable) break;
        continue;
      }
      if (parsed.value === undefined) continue;
      sources[key] = query;
      return parsed.value;
    }
    issues.push(`${key}: ${errors.length > 0 ? errors.join('; ') : 'no series matched any query'}`);
    return undefined;
  }

  /** The first template that answers with a finite value; NaN (0/0 over an idle window) counts as no value. */
  private async firstValue(templates: string[], extra: Record<string, string>, signal?: AbortSignal): Promise<{value?: number; query?: string; error?: string}> {
    const errors: string[] = [];
    let sawNaN = false;
    for (const template of templates) {
      const query = this.render(template, extra);
      const result = await this.query(query, signal);
      if (!result.ok) {
        errors.push(result.error);
        // The server is down or refusing: the other templates would fail the same way.
        if (result.unreachable) break;
        continue;
      }
      if (result.value === undefined) continue;
      if (Number.isNaN(result.value)) {
        sawNaN = true;
        continue;
      }
      return {value: result.value, query};
    }
    if (errors.length > 0) return {error: errors.join('; ')};
    return sawNaN ? {} : {error: 'no series matched any query'};
  }

  private render(template: string, extra: Record<string, string>): string {
    const values: Record<string, string> = {
      window: `${Math.max(1, Math.round(this.options.windowS))}s`,
      // A PromQL string holding a regex: escape regex metacharacters, then the string's own backslashes and quotes.
      model_re: this.options.model === undefined ? '.*' : this.options.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\/g, '\\\\').replace(/"/g, '\\"'),
      ...extra,
    };
    return template.replace(/\{(window|model_re|quantile|step)\}/g, (whole, key: string) => values[key] ?? whole);
  }

  private async query(promql: string, signal?: AbortSignal): Promise<QueryResult> {
    const response = await this.get(promql, signal);
    return response.ok ? parseQueryResponse(response.text) : response;
  }

  /** An instant query, or a range query with `range` (seconds); the answer's text, error envelopes included. */
  private async get(promql: string, signal?: AbortSignal, range?: {start: number; end: number; step: number}): Promise<{ok: true; text: string} | {ok: false; error: string; unreachable?: boolean}> {
    const params = new URLSearchParams({query: promql, ...(range ? {start: String(range.start), end: String(range.end), step: String(range.step)} : {})});
    const url = `${this.options.url.replace(/\/+$/, '')}/api/v1/${range ? 'query_range' : 'query'}?${params}`;
    const response = await getText(url, {timeoutMs: this.options.timeoutMs ?? 5000, signal, headers: this.options.headers, dispatcher: this.options.dispatcher});
    // Prometheus explains a bad query (HTTP 400/422) in the same JSON envelope as an answer.
    if (!response.ok && response.text === undefined) return {ok: false, error: response.error.replace(url, `Prometheus ${this.options.url}`), unreachable: true};
    return {ok: true, text: response.ok ? response.text : response.text!};
  }
}

/** The one value of an instant query's answer (`vector` or `scalar`), undefined for an empty vector. */
export function parseQueryResponse(text: string): QueryResult {
  const body = parseBody(text);
  if (!body.ok) return body;
  const {resultType, result} = body.data;
  if (resultType === 'scalar' && Array.isArray(result)) return {ok: true, value: Number(result[1])};
  if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return {ok: true, value: undefined};
    if (result.length > 1) return {ok: false, error: `the query returned ${result.length} series, not one (wrap it in sum())`};
    const value = (result[0] as {value?: unknown[]}).value?.[1];
    return {ok: true, value: Number(value)};
  }
  return {ok: false, error: `unexpected result type ${resultType}`};
}

function milliseconds(entries: readonly (readonly [string, number | undefined])[]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const [key, seconds] of entries) if (seconds !== undefined) out[key] = seconds * 1000;
  return Object.keys(out).length > 0 ? out : undefined;
}
