import type {BlockHash, FinishReason, RequestListener, RequestStats, SimRequest} from './request.js';

export type SequenceStatus = 'waiting' | 'running' | 'finished';

/** The scheduler's mutable state for one request. One object per request for its whole life, so steps allocate nothing. */
export class Sequence {
  readonly id: string;
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly minTokens: number;
  /** Infinity when the request never stops naturally, so the stop test is a plain comparison. */
  readonly eosAfter: number;
  readonly blockHashes: readonly BlockHash[];
  /** Leading prompt blocks that can be cached by hash (0 when prefix caching does not apply). */
  readonly hashLimit: number;
  status: SequenceStatus = 'waiting';
  /** Tokens whose KV is in the cache. */
  computedTokens = 0;
  /** Tokens below this position are computed as prefill chunks; the prompt, or prompt + output after a preemption. */
  prefillEnd: number;
  outputTokens = 0;
  /** Tokens in the step now running; 0 when not in it. */
  scheduledTokens = 0;
  readonly blocks: number[] = [];
  /** Leading blocks already registered in (or taken from) the prefix cache. */
  cachedBlocks = 0;
  firstScheduledTime: number | undefined = undefined;
  firstTokenTime: number | undefined = undefined;
  lastTokenTime = 0;
  finishTime = 0;
  finishReason: FinishReason = 'abort';
  cachedTokens = 0;
  transferredTokens = 0;
  preemptions = 0;
  // Listener calls owed: the scheduler changes state first and tells listeners after the next step has started.
  scheduledNoticeDue = false;
  tokenNoticeDue = false;
  finishNoticeSent = false;

  constructor(
    request: SimRequest,
    readonly listener: RequestListener,
    readonly arrivalTime: number,
    maxTokens: number,
    hashableBlocks: number,
  ) {
    this.id = request.id;
    this.promptTokens = request.promptTokens;
    this.maxTokens = maxTokens;
    this.minTokens = request.minTokens ?? 0;
    this.eosAfter = request.eosAfter ?? Infinity;
    this.blockHashes = request.blockHashes ?? [];
    this.hashLimit = Math.min(hashableBlocks, this.blockHashes.length);
    this.prefillEnd = request.promptTokens;
  }

  /** Prompt plus output so far: what a recompute after preemption has to prefill. */
  get totalTokens(): number {
    return this.promptTokens + this.outputTokens;
  }

  stats(): RequestStats {
    return {
      arrivalTime: this.arrivalTime,
      firstScheduledTime: this.firstScheduledTime,
      firstTokenTime: this.firstTokenTime,
      finishTime: this.finishTime,
      promptTokens: this.promptTokens,
      outputTokens: this.outputTokens,
      cachedTokens: this.cachedTokens,
      preemptions: this.preemptions,
    };
  }
}
