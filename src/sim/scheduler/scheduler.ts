import {badInput} from '../../errors/errors.js';
import type {Clock, StepCostModel, StepShape, TimerHandle} from '../types.js';
import {requestProblem, validateSchedulerConfig, type SchedulerConfig} from './config.js';
import {KvCache} from './kv-cache.js';
import type {FinishReason, RequestListener, SchedulerCounters, SimRequest, StepInfo} from './request.js';
import {RequestQueue} from './request-queue.js';
import {Sequence} from './sequence.js';

export interface SchedulerOptions {
  /** Called at the start of every step, after the batch is built and its duration known. */
  onStep?: (info: StepInfo) => void;
}

/**
 * A vLLM V1-style engine scheduler driven entirely by the injected Clock: continuous batching, decode first, chunked
 * prefill, paged KV with recompute preemption, and prefix caching. Pure: no I/O and no time source but the clock.
 *
 * Listeners hear about a step's tokens and finishes only after the next step has started: in vLLM the engine core does
 * not wait for the frontend's output processing, so per-token work in listeners (writing SSE chunks) must not delay
 * the next step either. Event times are those of the step end and start, whenever the call is made.
 *
 * Admission limits: submit() throws for requests vLLM rejects with HTTP 400 (see requestProblem). A request that
 * cannot fit in the whole KV cache even with nothing else running is finished with reason 'abort' when that becomes
 * evident, rather than being preempted and retried forever.
 *
 * Role 'decode': on first admission the prompt's KV is taken as transferred from a prefill engine: its blocks are
 * allocated at once and the first P-1 tokens count as computed. The first step computes the last prompt token as a
 * decode token (no prefill in the step shape) and emits the first output token, as vLLM recomputes the last token of a
 * fully transferred prompt. Prefix caching does not apply on that role. After a preemption the transferred KV is gone
 * and the request re-prefills locally.
 */
export class Scheduler {
  readonly counters: SchedulerCounters = {
    promptTokens: 0,
    promptTokensCached: 0,
    promptTokensTransferred: 0,
    prefillTokensComputed: 0,
    generationTokens: 0,
    preemptions: 0,
    prefixCacheQueries: 0,
    prefixCacheHits: 0,
    finished: {stop: 0, length: 0, abort: 0},
    steps: 0,
  };

  private readonly kv: KvCache;
  private readonly blockSize: number;
  private readonly maxNumSeqs: number;
  private readonly maxNumBatchedTokens: number;
  private readonly prefillChunkCap: number;
  private readonly prefixCaching: boolean;
  private readonly onStep: ((info: StepInfo) => void) | undefined;

  /** Admission order, so the last element is the one vLLM preempts first. May hold finished entries until compacted. */
  private readonly running: Sequence[] = [];
  private readonly waiting = new RequestQueue<Sequence>();
  private readonly live = new Map<string, Sequence>();
  /** Sequences with listener calls owed, delivered once the current clock event has done its scheduling work. */
  private readonly notices: Sequence[] = [];
  private runningCount = 0;
  private waitingCount = 0;
  private runningNeedsCompaction = false;

  /** Token budget left while a batch is being built. */
  private budget = 0;
  private preemptedThisStep = false;
  /** A step end or a wake-up is pending: the engine is not idle. */
  private timer: TimerHandle | undefined;
  private wakeRequestedAt = 0;
  private stepEndAt = 0;
  private closed = false;

  constructor(
    readonly config: Readonly<SchedulerConfig>,
    private readonly costModel: StepCostModel,
    private readonly clock: Clock,
    options: SchedulerOptions = {},
  ) {
    validateSchedulerConfig(config);
    this.kv = new KvCache(config.numGpuBlocks);
    this.blockSize = config.blockSize;
    this.maxNumSeqs = config.maxNumSeqs;
    this.maxNumBatchedTokens = config.maxNumBatchedTokens;
    this.prefillChunkCap = config.longPrefillTokenThreshold || Infinity;
    this.prefixCaching = config.enablePrefixCaching && config.role !== 'decode';
    this.onStep = options.onStep;
  }

  get numRunning(): number {
    return this.runningCount;
  }

  get numWaiting(): number {
    return this.waitingCount;
  }

  /** Held KV blocks over usable blocks, 0..1; cached blocks nobody holds count as free (vLLM's kv_cache_usage_perc). */
  get kvCacheUsage(): number {
    return this.kv.usage;
  }

  /** Queues a request; throws a DynamoPlanError (bad input) when vLLM would reject it, or when its id is in use. */
  submit(request: SimRequest, listener: RequestListener): void {
    if (this.closed) throw new Error('Scheduler.submit: the scheduler is closed');
    const problem = requestProblem(this.config, request);
    if (problem !== undefined) throw badInput(problem);
    if (this.live.has(request.id)) throw badInput(`request id ${request.id} is already in flight`);
    const hashableBlocks = this.prefixCaching ? Math.floor(request.promptTokens / this.blockSize) : 0;
    const maxTokens = this.config.role === 'prefill' ? 1 : request.maxTokens;
    const now = this.clock.now();
    const sequence = new Sequence(request, listener, now, maxTokens, hashableBlocks);
    this.live.set(sequence.id, sequence);
    this.waiting.push(sequence);
    this.waitingCount++;
    if (this.timer === undefined) {
      // Start through the clock rather than inline, so every request submitted at this instant joins the first batch.
      this.wakeRequestedAt = now;
      this.timer = this.clock.schedule(now, this.wake);
    }
  }

  /** Client disconnect: drops a waiting or running request and frees its KV now. Returns false for unknown ids. */
  abort(id: string): boolean {
    const sequence = this.live.get(id);
    if (sequence === undefined) return false;
    this.retire(sequence, 'abort', this.clock.now());
    this.notify(sequence);
    return true;
  }

  /** Stops the engine: cancels its pending timer and aborts every request it holds. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    const now = this.clock.now();
    const sequences = [...this.live.values()];
    for (const sequence of sequences) this.retire(sequence, 'abort', now);
    for (const sequence of sequences) this.notify(sequence);
  }

  private readonly wake = (): void => {
    this.startStep(this.wakeRequestedAt);
    this.deliverNotices();
  };

  private readonly endStep = (): void => {
    const now = this.clock.now();
    const running = this.running;
    for (let i = 0; i < running.length; i++) {
      const sequence = running[i]!;
      const tokens = sequence.scheduledTokens;
      if (tokens === 0) continue;
      sequence.scheduledTokens = 0;
      if (sequence.status !== 'running') continue; // aborted while the step ran
      if (sequence.computedTokens < sequence.prefillEnd) this.counters.prefillTokensComputed += tokens;
      sequence.computedTokens += tokens;
      if (sequence.cachedBlocks < sequence.hashLimit) this.cacheComputedBlocks(sequence);
      // A chunk that stops short of the last known token samples nothing.
      if (sequence.computedTokens === sequence.totalTokens) this.emitToken(sequence, now);
    }
    if (this.runningCount > 0 || this.waitingCount > 0) this.startStep(this.stepEndAt);
    else this.timer = undefined;
    this.deliverNotices();
  };

  private startStep(plannedStart: number): void {
    const now = this.clock.now();
    if (this.runningNeedsCompaction) this.compactRunning();
    this.budget = this.maxNumBatchedTokens;
    this.preemptedThisStep = false;
    this.scheduleDecodes();
    this.schedulePartialPrefills();
    // As in vLLM, a step that had to preempt admits nothing new, unless nothing at all got scheduled.
    if (!this.preemptedThisStep || this.budget === this.maxNumBatchedTokens) this.admitWaiting(now);

    const shape = this.batchShape();
    const scheduledTokens = shape.prefillTokens + shape.decodeSeqs;
    if (scheduledTokens === 0) {
      this.timer = undefined;
      return;
    }
    const duration = this.costModel.stepSeconds(shape);
    if (!(duration >= 0)) throw new RangeError(`step cost model returned ${duration} s`);
    const end = now + duration;
    this.stepEndAt = end;
    this.timer = this.clock.schedule(end, this.endStep);
    this.counters.steps++;
    this.onStep?.({
      plannedStart,
      start: now,
      end,
      shape,
      scheduledTokens,
      numRunning: this.runningCount,
      numWaiting: this.waitingCount,
    });
  }

  /** Decode first: one token for every running sequence past its prefill. */
  private scheduleDecodes(): void {
    const running = this.running;
    for (let i = 0; i < running.length && this.budget > 0; i++) {
      const sequence = running[i]!;
      if (sequence.computedTokens < sequence.prefillEnd) continue;
      if (!this.growBlocks(sequence, 1)) continue;
      sequence.scheduledTokens = 1;
      this.budget--;
    }
  }

  /** Then running sequences still in (chunked) prefill, in admission order. */
  private schedulePartialPrefills(): void {
    const running = this.running;
    for (let i = 0; i < running.length && this.budget > 0; i++) {
      const sequence = running[i]!;
      if (sequence.computedTokens >= sequence.prefillEnd) continue;
      const tokens = Math.min(sequence.prefillEnd - sequence.computedTokens, this.budget, this.prefillChunkCap);
      if (!this.growBlocks(sequence, tokens)) continue;
      sequence.scheduledTokens = tokens;
      this.budget -= tokens;
    }
  }

  /** Then waiting requests, first come first served (preempted ones were put back at the front). */
  private admitWaiting(now: number): void {
    const waiting = this.waiting;
    while (this.budget > 0 && this.runningCount < this.maxNumSeqs) {
      const sequence = waiting.peek();
      if (sequence === undefined) break;
      if (sequence.status === 'finished') {
        waiting.shift(); // aborted while waiting; removed lazily
        continue;
      }
      if (!this.admit(sequence, now)) break;
    }
  }

  /** Returns false when the head of the queue must keep waiting for blocks. */
  private admit(sequence: Sequence, now: number): boolean {
    const firstAdmission = sequence.firstScheduledTime === undefined;
    const transferred = firstAdmission && this.config.role === 'decode';
    let computed = 0;
    let cachedBlocks = 0;
    let idleCachedBlocks = 0;
    if (transferred) {
      computed = sequence.promptTokens - 1;
      sequence.prefillEnd = computed;
    } else if (sequence.hashLimit > 0) {
      // At least the last token is always computed, so a full hit still produces logits.
      const maxBlocks = Math.min(sequence.hashLimit, Math.floor((sequence.totalTokens - 1) / this.blockSize));
      cachedBlocks = this.kv.findCachedPrefix(sequence.blockHashes, maxBlocks, sequence.blocks);
      for (let i = 0; i < cachedBlocks; i++) if (this.kv.isIdle(sequence.blocks[i]!)) idleCachedBlocks++;
      computed = cachedBlocks * this.blockSize;
    }
    const tokens = transferred ? 1 : Math.min(sequence.totalTokens - computed, this.budget, this.prefillChunkCap);
    const newBlocks = Math.ceil((computed + tokens) / this.blockSize) - cachedBlocks;
    if (this.kv.numFree - idleCachedBlocks < newBlocks) {
      sequence.blocks.length = 0;
      if (this.runningCount > 0) return false;
      // Nothing else holds KV, so waiting cannot help: this request does not fit in the cache at all.
      this.retire(sequence, 'abort', now);
      this.notices.push(sequence);
      return true;
    }
    this.kv.retain(sequence.blocks, 0, cachedBlocks);
    this.kv.allocate(newBlocks, sequence.blocks);
    this.waiting.shift();
    this.waitingCount--;
    sequence.status = 'running';
    this.running.push(sequence);
    this.runningCount++;
    sequence.computedTokens = computed;
    sequence.cachedBlocks = cachedBlocks;
    sequence.scheduledTokens = tokens;
    this.budget -= tokens;
    if (firstAdmission) {
      sequence.firstScheduledTime = now;
      if (transferred) sequence.transferredTokens = computed;
      if (this.prefixCaching) {
        sequence.cachedTokens = computed;
        this.counters.prefixCacheQueries += sequence.promptTokens;
        this.counters.prefixCacheHits += computed;
      }
      sequence.scheduledNoticeDue = true;
      this.notices.push(sequence);
    }
    return true;
  }

  /**
   * Makes room for `tokens` more tokens of `sequence`, preempting the most recently admitted running requests when
   * blocks run out. Returns false when `sequence` itself was preempted or aborted instead.
   */
  private growBlocks(sequence: Sequence, tokens: number): boolean {
    const needed = Math.ceil((sequence.computedTokens + tokens) / this.blockSize) - sequence.blocks.length;
    if (needed <= 0) return true;
    while (this.kv.numFree < needed) {
      const victim = this.running.pop()!;
      if (victim.status !== 'running') continue;
      if (victim === sequence && this.runningCount === 1) {
        // Alone and still short of blocks: it can never fit, and preempting would retry forever.
        this.retire(sequence, 'abort', this.clock.now());
        this.notices.push(sequence);
        return false;
      }
      this.preempt(victim);
      if (victim === sequence) return false;
    }
    this.kv.allocate(needed, sequence.blocks);
    return true;
  }

  /** Recompute preemption: drop all KV and requeue at the front; the request re-prefills prompt + output so far. */
  private preempt(sequence: Sequence): void {
    this.budget += sequence.scheduledTokens;
    sequence.scheduledTokens = 0;
    this.kv.release(sequence.blocks);
    sequence.blocks.length = 0;
    sequence.cachedBlocks = 0;
    sequence.computedTokens = 0;
    sequence.prefillEnd = sequence.totalTokens;
    sequence.preemptions++;
    sequence.status = 'waiting';
    this.runningCount--;
    this.waitingCount++;
    this.waiting.unshift(sequence);
    this.counters.preemptions++;
    this.preemptedThisStep = true;
  }

  private batchShape(): StepShape {
    let prefillTokens = 0;
    let prefillSeqs = 0;
    let prefillAttention = 0;
    let prefillKvTokens = 0;
    let decodeSeqs = 0;
    let decodeKvTokens = 0;
    const running = this.running;
    for (let i = 0; i < running.length; i++) {
      const sequence = running[i]!;
      const tokens = sequence.scheduledTokens;
      if (tokens === 0 || sequence.status !== 'running') continue;
      const offset = sequence.computedTokens;
      if (offset >= sequence.prefillEnd) {
        decodeSeqs++;
        decodeKvTokens += offset + 1;
      } else {
        prefillTokens += tokens;
        prefillSeqs++;
        prefillAttention += tokens * (offset + tokens / 2);
        prefillKvTokens += offset;
      }
    }
    return {prefillTokens, prefillSeqs, prefillAttention, prefillKvTokens, decodeSeqs, decodeKvTokens};
  }

  /** Registers the sequence's newly completed full prompt blocks under their hashes. */
  private cacheComputedBlocks(sequence: Sequence): void {
    const full = Math.min(Math.floor(sequence.computedTokens / this.blockSize), sequence.hashLimit);
    for (let i = sequence.cachedBlocks; i < full; i++) this.kv.cache(sequence.blocks[i]!, sequence.blockHashes[i]!);
    if (full > sequence.cachedBlocks) sequence.cachedBlocks = full;
  }

  private emitToken(sequence: Sequence, now: number): void {
    const output = ++sequence.outputTokens;
    this.counters.generationTokens++;
    sequence.lastTokenTime = now;
    if (output === 1) {
      sequence.firstTokenTime = now;
      this.counters.promptTokens += sequence.promptTokens;
      this.counters.promptTokensCached += sequence.cachedTokens;
      this.counters.promptTokensTransferred += sequence.transferredTokens;
    }
    sequence.tokenNoticeDue = true;
    this.notices.push(sequence);
    // vLLM's order: no stop before min_tokens, then EOS, then the length cap.
    if (output >= sequence.minTokens && output >= sequence.eosAfter) this.retire(sequence, 'stop', now);
    else if (output >= sequence.maxTokens) this.retire(sequence, 'length', now);
  }

  /** The state half of finishing: frees the KV at once; the listener hears of it through notify(). */
  private retire(sequence: Sequence, reason: FinishReason, now: number): void {
    if (sequence.status === 'running') {
      this.runningCount--;
      this.runningNeedsCompaction = true;
    } else if (sequence.status === 'waiting') {
      this.waitingCount--;
    }
    sequence.status = 'finished';
    sequence.finishReason = reason;
    sequence.finishTime = now;
    this.kv.release(sequence.blocks);
    sequence.blocks.length = 0;
    this.live.delete(sequence.id);
    this.counters.finished[reason]++;
  }

  private deliverNotices(): void {
    const notices = this.notices;
    for (let i = 0; i < notices.length; i++) this.notify(notices[i]!);
    notices.length = 0;
  }

  /** Makes the listener calls a sequence is owed, in event order; safe to repeat, and listeners may re-enter. */
  private notify(sequence: Sequence): void {
    const listener: RequestListener = sequence.listener;
    if (sequence.scheduledNoticeDue) {
      sequence.scheduledNoticeDue = false;
      listener.onScheduled?.(sequence.firstScheduledTime!);
    }
    if (sequence.tokenNoticeDue) {
      sequence.tokenNoticeDue = false;
      const index = sequence.outputTokens - 1;
      if (index === 0) listener.onFirstToken?.(sequence.lastTokenTime);
      listener.onToken?.(sequence.lastTokenTime, index);
    }
    if (sequence.status === 'finished' && !sequence.finishNoticeSent) {
      sequence.finishNoticeSent = true;
      listener.onFinish(sequence.finishTime, sequence.finishReason, sequence.stats());
    }
  }

  private compactRunning(): void {
    const running = this.running;
    let kept = 0;
    for (let i = 0; i < running.length; i++) {
      const sequence = running[i]!;
      if (sequence.status === 'running') running[kept++] = sequence;
    }
    running.length = kept;
    this.runningNeedsCompaction = false;
  }
}
