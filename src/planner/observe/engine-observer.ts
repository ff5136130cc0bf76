// Scrapes every engine's /metrics on the load interval and turns the readings into the tick input's per-engine
// observations and traffic, with no Prometheus in between. vLLM does not publish Dynamo's forward-pass metrics (FPM),
// so several fields are approximations from what it does publish; each one says how it is made.
import type {Dispatcher} from 'undici';
import type {DecodeEngineObservation, PrefillEngineObservation, TickInput, TrafficObservation} from '../tick.js';
import {addCounters, counterIncrements, type Counters, type EngineSnapshot, meanOf, readEngineSnapshot} from './engine-metrics.js';
import {getText} from './http-get.js';
import {bucketsByLe, lengthsFromBuckets} from './prometheus-detail.js';
import {parsePrometheusText} from './prometheus-text.js';

/** An engine to scrape. `agg` engines do both prefill and decode, so they are reported in both roles' lists. */
export interface EngineTarget {
  /** The tick's worker_id: a pod name, or the URL for a static list. */
  id: string;
  /** Base URL; `/metrics` is appended. */
  url: string;
  role: 'prefill' | 'decode' | 'agg';
}

export interface EngineObserverOptions {
  /** Keep only series labelled model_name=<model> (an engine may serve several, e.g. LoRA adapters). */
  model?: string;
  /** Deadline of one scrape, ms (default 2000): a hung engine costs a tick this much at most. */
  timeoutMs?: number;
  /** Window that traffic and latency means cover, seconds: the throughput adjustment interval (default 180). */
  throughputWindowS?: number;
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
}

/** Means over the throughput window, for reports and metrics (TickInput has no latency fields). */
export interface ObservedLatency {
  ttft_ms?: number;
  itl_ms?: number;
  queue_ms?: number;
}

export interface EngineObservation {
  traffic?: TrafficObservation;
  engines: NonNullable<TickInput['engines']>;
  latency: ObservedLatency;
  /** Engines that answered with usable metrics in this scrape. */
  scraped: number;
  /** What was missing or wrong: failed scrapes, malformed lines, NaNs. Never a throw. */
  issues: string[];
}

interface EngineState {
  at: number;
  snapshot: EngineSnapshot;
}

interface WindowEntry {
  from: number;
  to: number;
  increments: Counters;
  islBuckets: Partial<Record<string, number>>;
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_WINDOW_S = 180;

export class EngineObserver {
  private readonly last = new Map<string, EngineState>();
  private window: WindowEntry[] = [];

  constructor(private readonly options: EngineObserverOptions = {}) {}

  /** Scrapes all targets at once; `nowS` is the tick clock, which dates the increments. */
  async observe(targets: readonly EngineTarget[], nowS: number, signal?: AbortSignal): Promise<EngineObservation> {
    const issues: string[] = [];
    const engines: {prefill: PrefillEngineObservation[]; decode: DecodeEngineObservation[]} = {prefill: [], decode: []};
    const known = new Set(targets.map((target) => target.id));
    for (const id of this.last.keys()) if (!known.has(id)) this.last.delete(id);
    const readings = await Promise.all(targets.map((target) => this.scrape(target, signal)));
    let scraped = 0;
    for (const [index, reading] of readings.entries()) {
      const target = targets[index]!;
      issues.push(...reading.issues);
      if (!reading.snapshot) continue;
      scraped++;
      const previous = this.last.get(target.id);
      this.last.set(target.id, {at: nowS, snapshot: reading.snapshot});
      const increments = previous && nowS > previous.at ? counterIncrements(previous.snapshot.counters, reading.snapshot.counters) : undefined;
      if (increments && previous) this.window.push({from: previous.at, to: nowS, increments, islBuckets: counterIncrements(previous.snapshot.islBuckets, reading.snapshot.islBuckets)});
      const observation = engineObservation(target, reading.snapshot, previous, increments, nowS);
      if (target.role !== 'decode') engines.prefill.push(observation.prefill);
      if (target.role !== 'prefill') engines.decode.push(observation.decode);
    }
    if (targets.length === 0) issues.push('no engines to scrape');
    const windowS = this.options.throughputWindowS ?? DEFAULT_WINDOW_S;
    // Scrape intervals that overlap the window; the latest one always does, so a long gap between scrapes still
    // yields figures (over a longer duration) rather than none.
    this.window = this.window.filter((entry) => entry.to > nowS - windowS);
    const totals: Counters = {};
    for (const entry of this.window) addCounters(totals, entry.increments);
    const start = Math.min(...this.window.map((entry) => entry.from));
    const result: EngineObservation = {engines, latency: latencyOf(totals), scraped, issues};
    if (this.window.length > 0 && nowS > start) {
      const traffic: TrafficObservation = {...trafficOf(totals, nowS - start), ...completionsPerScrape(this.window)};
      const islBuckets: Partial<Record<string, number>> = {};
      for (const entry of this.window) addCounters(islBuckets, entry.islBuckets);
      const lengths = lengthsFromBuckets(bucketsByLe(islBuckets), traffic.osl ?? 1);
      if (lengths.length > 0) traffic.lengths = lengths;
      result.traffic = traffic;
    }
    else issues.push('no traffic figures yet: counters need two scrapes of an engine');
    return result;
  }

  private async scrape(target: EngineTarget, signal?: AbortSignal): Promise<{snapshot?: EngineSnapshot; issues: string[]}> {
    const url = `${target.url.replace(/\/+$/, '')}/metrics`;
    const response = await getText(url, {timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal, headers: this.options.headers, dispatcher: this.options.dispatcher});
    if (!response.ok) return {issues: [`engine ${target.id}: ${response.error}`]};
    const parsed = parsePrometheusText(response.text);
    const issues = parsed.malformed.slice(0, 3).map((line) => `engine ${target.id}: malformed metrics ${line}`);
    const {snapshot, issues: readIssues} = readEngineSnapshot(parsed.samples, this.options.model);
    issues.push(...readIssues.map((issue) => `engine ${target.id}: ${issue}`));
    if (snapshot.running === undefined && snapshot.waiting === undefined && Object.keys(snapshot.counters).length === 0) {
      issues.push(`engine ${target.id}: ${url} has no vLLM metrics${this.options.model ? ` for model ${this.options.model}` : ''}`);
      return {issues};
    }
    return {snapshot, issues};
  }
}

function engineObservation(target: EngineTarget, snapshot: EngineSnapshot, previous: EngineState | undefined, increments: Counters | undefined, nowS: number):
  {prefill: PrefillEngineObservation; decode: DecodeEngineObservation} {
  // Prompt length of this engine's recent requests, to turn queued requests into queued tokens. Cumulative
  // histogram means are used when the interval finished nothing, since a waiting request still has a prompt.
  const meanPrompt = (increments && meanOf(increments, 'islSum', 'islCount')) ?? meanOf(snapshot.counters, 'islSum', 'islCount');
  // Tokens the prefix cache will serve are not prefilled.
  const hitRate = (increments && ratio(increments.prefixHits, increments.prefixQueries)) ?? ratio(snapshot.counters.prefixHits, snapshot.counters.prefixQueries) ?? 0;
  const prefill: PrefillEngineObservation = {worker_id: target.id, dp_rank: 0};
  const decode: DecodeEngineObservation = {worker_id: target.id, dp_rank: 0};
  // Approximation: vLLM reports waiting requests, not their tokens; waiting x mean prompt length x (1 - hit rate).
  if (snapshot.waiting !== undefined && meanPrompt !== undefined) prefill.queued_prefill_tokens = snapshot.waiting * meanPrompt * (1 - hitRate);
  else if (snapshot.waiting === 0) prefill.queued_prefill_tokens = 0;
  // Mean prompt tokens per engine step over the interval (iteration_tokens_total counts steps).
  const steps = increments?.steps;
  if (steps !== undefined && steps > 0 && increments?.promptTokens !== undefined) {
    prefill.scheduled_prefill_tokens = increments.promptTokens / steps;
    // Approximation: prompts per step, taking each to be of the mean length.
    if (meanPrompt !== undefined && meanPrompt > 0) prefill.num_prefill_requests = prefill.scheduled_prefill_tokens / meanPrompt;
  }
  // The mean inter-token latency is the decode step time: each step gives every running request one token.
  const itl = increments && meanOf(increments, 'itlSum', 'itlCount');
  if (itl !== undefined) decode.wall_time_s = itl;
  // A prefill engine busy for the whole interval (requests waiting at both ends) stepped back to back, so the
  // interval over its step count is its step time; otherwise idle gaps would inflate it and it is left out.
  if (target.role === 'prefill' && steps !== undefined && steps > 0 && previous && (previous.snapshot.waiting ?? 0) > 0 && (snapshot.waiting ?? 0) > 0) {
    prefill.wall_time_s = (nowS - previous.at) / steps;
  } else if (itl !== undefined) prefill.wall_time_s = itl;
  if (snapshot.running !== undefined) decode.num_decode_requests = snapshot.running;
  // KV usage x capacity: the tokens held by running requests, i.e. what a decode step reads.
  if (snapshot.kvUsage !== undefined && snapshot.kvCapacityTokens !== undefined) decode.scheduled_decode_kv_tokens = snapshot.kvUsage * snapshot.kvCapacityTokens;
  // Approximation: waiting requests will need about their prompt's KV when admitted.
  if (snapshot.waiting !== undefined && meanPrompt !== undefined) decode.queued_decode_kv_tokens = snapshot.waiting * meanPrompt;
  else if (snapshot.waiting === 0) decode.queued_decode_kv_tokens = 0;
  // An aggregated engine prefills its own queue, so its decode observation carries that queue too.
  if (target.role === 'agg' && prefill.queued_prefill_tokens !== undefined) decode.queued_prefill_tokens = prefill.queued_prefill_tokens;
  return {prefill, decode};
}

/**
 * Requests and lengths over the window. vLLM counts requests when they finish, so num_req is completions (Dynamo's
 * frontend counts starts): under a growing backlog it lags the offered load by the queueing time.
 */
function trafficOf(totals: Counters, durationS: number): TrafficObservation {
  const traffic: TrafficObservation = {duration_s: durationS, num_req: totals.requests ?? 0};
  const isl = meanOf(totals, 'islSum', 'islCount');
  if (isl !== undefined) traffic.isl = isl;
  const osl = meanOf(totals, 'oslSum', 'oslCount');
  if (osl !== undefined) traffic.osl = osl;
  const hitRate = ratio(totals.prefixHits, totals.prefixQueries);
  if (hitRate !== undefined) traffic.kv_hit_rate = hitRate;
  return traffic;
}

/**
 * Requests per scrape interval over the window, summed over the engines, for the queue model's bursts and dispersion.
 * vLLM counts a request when it finishes, so these are completions (smoother than the arrivals behind them). Absent
 * with fewer than two scrape intervals.
 */
function completionsPerScrape(window: readonly WindowEntry[]): Pick<TrafficObservation, 'arrivals'> {
  const byScrape = new Map<number, {from: number; requests: number}>();
  for (const entry of window) {
    const slot = byScrape.get(entry.to) ?? {from: entry.from, requests: 0};
    slot.from = Math.min(slot.from, entry.from);
    slot.requests += entry.increments.requests ?? 0;
    byScrape.set(entry.to, slot);
  }
  const slots = [...byScrape.entries()].sort(([a], [b]) => a - b);
  if (slots.length < 2) return {};
  const spanS = slots.at(-1)![0] - slots[0]![1].from;
  return {arrivals: {window_s: spanS / slots.length, counts: slots.map(([, slot]) => slot.requests)}};
}

function latencyOf(totals: Counters): ObservedLatency {
  const latency: ObservedLatency = {};
  const ttft = meanOf(totals, 'ttftSum', 'ttftCount');
  if (ttft !== undefined) latency.ttft_ms = ttft * 1000;
  const itl = meanOf(totals, 'itlSum', 'itlCount');
  if (itl !== undefined) latency.itl_ms = itl * 1000;
  const queue = meanOf(totals, 'queueTimeSum', 'queueTimeCount');
  if (queue !== undefined) latency.queue_ms = queue * 1000;
  return latency;
}

function ratio(part: number | undefined, whole: number | undefined): number | undefined {
  return part !== undefined && whole !== undefined && whole > 0 ? part / whole : undefined;
}
