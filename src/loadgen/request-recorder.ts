// Turns one request's stream events into its record. Event times are hrtime nanoseconds stamped as the bytes
// arrived; the record keeps seconds from the start of the run, rounded to microseconds to keep the lines short.
import type {GenerationResult, StreamEvent} from '../engine/types.js';
import type {BenchRecord} from './records.js';

export interface RequestStart {
  index: number;
  /** When the plan meant to send it, seconds from the run start (for a closed loop, when its slot freed). */
  intendedSendS: number;
  /** process.hrtime.bigint() at the start of the run. */
  runStartNs: bigint;
  /** process.hrtime.bigint() just before the request was written. */
  sentNs: bigint;
  /** The prompt's token count as the prompt builder measured or estimated it, used when the server reports no usage. */
  promptTokens?: number;
}

/** Feed it every event of one request (`onEvent` fits EngineClient.generate), then `finish` with the result. */
export class RequestRecorder {
  #firstChunkNs: bigint | undefined;
  #lastContentNs: bigint | undefined;
  readonly #tokenTimesS: number[] = [];
  #countedTokens = 0;

  constructor(private readonly start: RequestStart) {}

  readonly onEvent = (event: StreamEvent): void => {
    if (event.type === 'response') return;
    this.#firstChunkNs ??= event.t;
    if (event.type !== 'content') return;
    this.#tokenTimesS.push(this.#seconds(event.t));
    this.#lastContentNs = event.t;
    this.#countedTokens += event.tokens;
  };

  /**
   * The record. `end_s` is the last content event, as vLLM ends E2E latency at the last token-bearing chunk
   * (the usage chunk and [DONE] do not extend it); a failed request, or one without content, ends at `endedNs`.
   */
  finish(result: GenerationResult, endedNs: bigint): BenchRecord {
    const {index, intendedSendS, sentNs, promptTokens} = this.start;
    return {
      index,
      intended_send_s: intendedSendS,
      actual_send_s: this.#seconds(sentNs),
      first_chunk_s: this.#firstChunkNs === undefined ? null : this.#seconds(this.#firstChunkNs),
      first_token_s: this.#tokenTimesS[0] ?? null,
      token_times_s: this.#tokenTimesS,
      end_s: this.#seconds((result.error ? undefined : this.#lastContentNs) ?? endedNs),
      prompt_tokens: result.usage?.promptTokens ?? promptTokens ?? null,
      output_tokens: result.usage?.completionTokens ?? this.#countedTokens,
      output_tokens_source: result.usage ? 'usage' : 'counted',
      error_kind: result.error?.kind ?? null,
      error_message: result.error?.message ?? null,
    };
  }

  #seconds(ns: bigint): number {
    return Math.round(Number(ns - this.start.runStartNs) / 1e3) / 1e6;
  }
}
