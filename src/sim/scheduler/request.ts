// What the scheduler's callers (the HTTP servers, the load simulator) hand in and get back. All times are seconds on
// the scheduler's clock.

import type {StepShape} from '../types.js';

export type BlockHash = string | number;

export interface SimRequest {
  /** Unique among the requests the scheduler currently holds. */
  id: string;
  promptTokens: number;
  maxTokens: number;
  /** No natural stop before this many output tokens (vLLM's min_tokens). */
  minTokens?: number;
  /** The output token count at which the model would emit EOS; undefined = never (runs to maxTokens). */
  eosAfter?: number;
  /**
   * Hashes of the prompt's consecutive full blocks of blockSize tokens, for prefix caching. Each hash must identify
   * the whole prefix up to the end of its block (chained, as vLLM hashes blocks), because a hit on block i is taken to
   * mean blocks 0..i all match.
   */
  blockHashes?: readonly BlockHash[];
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface RequestStats {
  arrivalTime: number;
  /** First time the request entered the batch; queue time = firstScheduledTime - arrivalTime. */
  firstScheduledTime: number | undefined;
  firstTokenTime: number | undefined;
  finishTime: number;
  promptTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the prefix cache at first admission (vLLM's num_cached_tokens). */
  cachedTokens: number;
  preemptions: number;
}

/** Callbacks are made synchronously from the scheduler's clock events; they may call submit() and abort(). */
export interface RequestListener {
  onScheduled?(t: number): void;
  onFirstToken?(t: number): void;
  /** One call per output token, at the end of the step that produced it; outputIndex counts from 0, never repeats. */
  onToken?(t: number, outputIndex: number): void;
  onFinish(t: number, reason: FinishReason, stats: RequestStats): void;
}

export interface StepInfo {
  /** When the step should have started: the previous step's end, or the submit that woke an idle engine. */
  plannedStart: number;
  /** When it did start per clock.now(); start - plannedStart measures timer lateness under a real clock. */
  start: number;
  /** Planned end: start + the cost model's duration. */
  end: number;
  shape: StepShape;
  /** Tokens in the batch (prefill + decode), what vLLM's iteration_tokens histogram observes. */
  scheduledTokens: number;
  numRunning: number;
  numWaiting: number;
}

/** Cumulative counters, named after the vLLM metrics they feed. */
export interface SchedulerCounters {
  /** vllm:prompt_tokens_total: each request's prompt length, counted when its first token is produced. */
  promptTokens: number;
  /** The part of promptTokens served from the local prefix cache (prompt_tokens_by_source local_cache_hit). */
  promptTokensCached: number;
  /** The part of promptTokens whose KV a decode-role engine received from a prefill engine (external_kv_transfer). */
  promptTokensTransferred: number;
  /** Tokens computed in prefill chunks, including recomputation after preemption: the prefill work actually done. */
  prefillTokensComputed: number;
  generationTokens: number;
  preemptions: number;
  /** Prefix cache lookups in tokens; like vLLM, only first admissions count, not readmissions after preemption. */
  prefixCacheQueries: number;
  prefixCacheHits: number;
  finished: Record<FinishReason, number>;
  steps: number;
}
