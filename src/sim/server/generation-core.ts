import {mix32, seededRandom} from '../../util/hash.js';
import type {EngineFinishReason, EngineRequestTimes, ServingEngine} from '../engine/serving-engine.js';
import type {EngineRole} from '../types.js';
import type {FaultPlanner, RequestFaultPlan} from './faults.js';
import type {EngineMetrics} from './metrics.js';
import {ProtocolError} from './openai-protocol.js';
import {outputWordIndex} from './synthetic-text.js';
import {blockHashes} from './tokenizer.js';

// What every front (HTTP, gRPC) does with a generation request, whatever its wire format: size it, decide its
// natural length and injected faults, run it through the engine after the frontend overhead, observe its metrics,
// and say which synthetic word each output token is.

export interface GenerationContext {
  engine: ServingEngine;
  metrics: EngineMetrics;
  faults: FaultPlanner;
  role: EngineRole;
  maxModelLen: number;
  blockSize: number;
  enablePrefixCaching: boolean;
  /** Frontend work before the engine sees a request (HTTP, tokenisation, routing), in seconds. */
  requestOverheadS: number;
  /** Mean length of a natural (EOS-terminated) output when the request does not set ignore_eos. */
  meanNaturalOutputTokens: number;
  seed: number;
  stallMs: number;
  /** See SimulatorOptions.onFirstTokenWritten. */
  onFirstTokenWritten?: (promptTokenIds: readonly number[], timeS: number) => void;
}

/** A request as a front parsed it from its wire format. */
export interface GenerationParams {
  promptTokenIds: readonly number[];
  /** undefined: generate until the natural end or max_model_len, as vLLM does. */
  maxTokens: number | undefined;
  minTokens: number;
  ignoreEos: boolean;
  seed: number | undefined;
}

export interface GeneratedToken {
  /** 0-based output token index. */
  index: number;
  /** Which synthetic word this token is (synthetic-text.ts). */
  word: number;
  isLast: boolean;
  finishReason: 'stop' | 'length' | null;
  /** An injected fault striking right after this token (never the last): the front fails the stream its way. */
  fault: 'in_band_error' | 'abort' | undefined;
}

export interface GenerationListener {
  onToken(token: GeneratedToken): void;
  onFinish(reason: EngineFinishReason, times: EngineRequestTimes): void;
}

/** What a stream says when the in-band error fault strikes. */
export const MID_STREAM_FAILURE = 'Injected fault: the engine failed mid-stream.';

let requestCounter = 0;

/** One generation request, planned when constructed and run by `start`. */
export class Generation {
  /** Unique across fronts; fronts build their request ids from it. */
  readonly sequence: number;
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly faults: RequestFaultPlan;
  private readonly requestSeed: number;
  private readonly eosAfter: number | undefined;
  private readonly expectedTokens: number;
  private id = '';
  private finished = false;
  private cancelled = false;

  /**
   * Throws a ProtocolError: 400 when the prompt and max_tokens do not fit max_model_len, 500 when an injected fault
   * refuses the request.
   */
  constructor(
    private readonly context: GenerationContext,
    private readonly params: GenerationParams,
  ) {
    this.promptTokens = params.promptTokenIds.length;
    this.maxTokens = resolveMaxTokens(context, params.maxTokens, this.promptTokens);
    this.sequence = ++requestCounter;
    this.requestSeed = mix32(context.seed, params.seed ?? this.sequence);
    this.eosAfter = params.ignoreEos ? undefined : naturalOutputLength(this.requestSeed, context.meanNaturalOutputTokens);
    this.expectedTokens = Math.min(this.maxTokens, this.eosAfter === undefined ? this.maxTokens : Math.max(this.eosAfter, params.minTokens));
    this.faults = context.faults.plan(this.expectedTokens);
    if (this.faults.refuse) throw new ProtocolError(500, 'Injected fault: internal server error.', 'InternalServerError');
  }

  /** Submit to the engine after the frontend overhead, unless aborted by then; tokens and the end go to `listener`. */
  start(id: string, listener: GenerationListener): void {
    const {engine, metrics} = this.context;
    this.id = id;
    const arrival = engine.now();
    let lastTokenTime = 0;
    const onToken = (time: number, index: number) => {
      if (index === 0) metrics.observeFirstToken(time - arrival);
      else metrics.observeInterTokenLatency(time - lastTokenTime);
      lastTokenTime = time;
      const isLast = index + 1 === this.expectedTokens;
      const fault = isLast ? undefined : this.faults.inBandErrorAtToken === index ? 'in_band_error' : this.faults.abortAtToken === index ? 'abort' : undefined;
      listener.onToken({index, word: outputWordIndex(this.requestSeed, index), isLast, finishReason: isLast ? this.finishReasonAt(index + 1) : null, fault});
    };
    const onFinish = (_time: number, reason: EngineFinishReason, times: EngineRequestTimes) => {
      this.finished = true;
      metrics.observeFinished(reason, {...times, arrival, promptTokens: this.promptTokens, maxTokens: this.maxTokens});
      listener.onFinish(reason, times);
    };
    const {context, params} = this;
    const hashes = context.enablePrefixCaching && context.role !== 'decode' ? blockHashes(params.promptTokenIds, context.blockSize) : undefined;
    engine.at(arrival + context.requestOverheadS, () => {
      if (this.cancelled) return;
      engine.submit({id, promptTokens: this.promptTokens, maxTokens: this.maxTokens, minTokens: params.minTokens, eosAfter: this.eosAfter, blockHashes: hashes}, {onToken, onFinish});
    });
  }

  /** The client went away or a fault cut the stream: free the slot and KV blocks, as vLLM aborts on disconnect. */
  abort(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    this.context.engine.abort(this.id);
  }

  private finishReasonAt(outputTokens: number): 'stop' | 'length' {
    return this.eosAfter !== undefined && outputTokens >= this.eosAfter && outputTokens < this.maxTokens ? 'stop' : 'length';
  }
}

function resolveMaxTokens(context: GenerationContext, requested: number | undefined, promptTokens: number): number {
  const room = context.maxModelLen - promptTokens;
  if (room <= 0 || (requested !== undefined && requested > room)) {
    const asked = requested ?? 0;
    throw new ProtocolError(
      400,
      `This model's maximum context length is ${context.maxModelLen} tokens. However, you requested ${promptTokens + asked} tokens ` +
        `(${promptTokens} in the messages, ${asked} in the completion). Please reduce the length of the messages or completion.`,
    );
  }
  // A disaggregated prefill worker only produces the first token; decode workers continue from there.
  if (context.role === 'prefill') return 1;
  return requested ?? room;
}

/** Output length at which the simulated model emits EOS: exponential around the mean, at least 1. */
function naturalOutputLength(requestSeed: number, mean: number): number {
  const u = seededRandom(requestSeed)();
  return Math.max(1, Math.round(-Math.log(1 - u) * mean));
}
