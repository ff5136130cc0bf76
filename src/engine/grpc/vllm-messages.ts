// The vLLM gRPC messages dynamo-plan reads or writes, as proto-loader presents them (see proto.ts).

export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  /** Absent when unset (proto3 optional): generate until EOS or the context is full. */
  max_tokens?: number;
  min_tokens?: number;
  ignore_eos?: boolean;
  n?: number;
}

export interface GenerateRequest {
  request_id: string;
  text?: string;
  tokenized?: {original_text?: string; input_ids: number[]};
  /** Which input is set (decoded messages only). */
  input?: 'text' | 'tokenized';
  sampling_params?: SamplingParams | null;
  stream: boolean;
}

export interface GenerateStreamChunk {
  token_ids: number[];
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
}

export interface GenerateComplete {
  output_ids: number[];
  finish_reason: string;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
}

export interface GenerateError {
  message: string;
  http_status_code: string;
  details?: string;
}

export interface GenerateResponse {
  request_id: string;
  chunk?: GenerateStreamChunk;
  complete?: GenerateComplete;
  error?: GenerateError;
  /** Which member of the `response` oneof is set (decoded messages only). */
  response?: 'chunk' | 'complete' | 'error';
}

export interface HealthCheckResponse {
  healthy: boolean;
  message: string;
}

export interface GetModelInfoResponse {
  model_path: string;
  is_generation: boolean;
  max_context_length: number;
  vocab_size: number;
  supports_vision: boolean;
}

export interface GetServerInfoResponse {
  active_requests: number;
  is_paused: boolean;
  last_receive_timestamp: number;
  uptime_seconds: number;
  server_type: string;
}
