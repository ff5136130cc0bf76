import type {EngineGaugeSource} from '../server/metrics.js';
import type {StepSummary} from './engine-thread-protocol.js';

/** One generation request as the engine sees it: token counts only, the text lives in the server. */
export interface EngineRequest {
  id: string;
  promptTokens: number;
  maxTokens: number;
  minTokens: number;
  /** The model's natural end of output (EOS) after this many tokens; undefined with ignore_eos. */
  eosAfter: number | undefined;
  /** Hashes of the prompt's full KV blocks, for prefix caching. */
  blockHashes: readonly number[] | undefined;
}

export type EngineFinishReason = 'stop' | 'length' | 'abort';

export interface EngineRequestTimes {
  arrival: number;
  scheduled: number;
  firstToken: number;
  finished: number;
  outputTokens: number;
  cachedTokens: number;
}

export interface EngineListener {
  onToken(time: number, index: number): void;
  onFinish(time: number, reason: EngineFinishReason, times: EngineRequestTimes): void;
}

/** What the HTTP and gRPC fronts need from an engine. */
export interface ServingEngine {
  readonly gauges: EngineGaugeSource;
  now(): number;
  /** Run `fn` at absolute engine time `at` (used to add the per-request frontend overhead). */
  at(time: number, fn: () => void): void;
  submit(request: EngineRequest, listener: EngineListener): void;
  abort(id: string): void;
  onStep(listener: (step: StepSummary) => void): void;
  close(): void | Promise<void>;
}
