// The one interface every transport implements: send one generation request, report timestamped events as bytes
// arrive, end with usage or a classified error. Times are nanoseconds from process.hrtime.bigint(), stamped when the
// bytes (or gRPC message) arrive, before any parsing.

export type ApiKind = 'completions' | 'chat' | 'kserve' | 'vllm-grpc';

export interface GenerationInput {
  /** Prompt text (completions, kserve, vllm-grpc text input) or the user message (chat). */
  prompt: string;
  /** Alternatively, prompt token ids (completions and vllm-grpc only). */
  promptTokenIds?: number[];
  maxTokens: number;
  minTokens?: number;
  ignoreEos?: boolean;
  /** Extra JSON fields merged into an HTTP request body. */
  extraBody?: Record<string, unknown>;
}

export type ErrorKind =
  | 'connection_refused'
  | 'dns'
  | 'connect_timeout'
  | 'http_4xx'
  | 'http_429'
  | 'http_5xx'
  | 'in_band_error'
  | 'disconnected'
  | 'stalled'
  | 'malformed_stream'
  | 'grpc_status'
  | 'aborted'
  | 'other';

export interface RequestError {
  kind: ErrorKind;
  message: string;
  /** HTTP status or gRPC status code, when there is one. */
  status?: number;
}

/** What one request yields, in order. `t` is hrtime nanoseconds at arrival of the bytes that carried it. */
export type StreamEvent =
  /** The first response bytes (HTTP status line and headers, or the first gRPC message). */
  | {type: 'response'; t: bigint}
  /** A chunk that carried output. `tokens` is how many tokens it carried when known (gRPC token ids), else 1. */
  | {type: 'content'; t: bigint; text: string; tokens: number; reasoning: boolean}
  /** A chunk without content (role-only deltas, usage, keep-alives): recorded as the first chunk if first. */
  | {type: 'chunk'; t: bigint};

export interface GenerationResult {
  /** Usage reported by the server (prompt and completion tokens), when it gave it. */
  usage?: {promptTokens: number; completionTokens: number};
  finishReason?: string;
  error?: RequestError;
}

export interface EngineClient {
  readonly api: ApiKind;
  /**
   * Send one request. Events are delivered through `onEvent` synchronously as they are parsed; the promise resolves
   * (never rejects) when the request ends, with usage or a classified error.
   */
  generate(input: GenerationInput, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<GenerationResult>;
  close(): Promise<void>;
}
