import {randomUUID} from 'node:crypto';
import {type Client, type ClientReadableStream, credentials} from '@grpc/grpc-js';
import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../types.js';
import {grpcServices} from './proto.js';
import {streamGeneration} from './stream-generation.js';
import {unaryCall} from './unary-call.js';
import type {GenerateComplete, GenerateRequest, GenerateResponse, GetModelInfoResponse, HealthCheckResponse} from './vllm-messages.js';

export interface VllmGrpcClientOptions {
  /** host:port, or any grpc-js target (dns:host:port, unix:/path). Plaintext (no TLS). */
  target: string;
}

interface VllmStub extends Client {
  Generate(request: GenerateRequest): ClientReadableStream<GenerateResponse>;
}

/**
 * Streams generations over vLLM's native gRPC (`vllm.grpc.engine.VllmEngine/Generate`). The server streams token ids,
 * not text: each content event has `tokens` = the ids in its chunk and an empty `text`. Usage comes from the final
 * `complete` message.
 */
export class VllmGrpcClient implements EngineClient {
  readonly api = 'vllm-grpc' as const;
  private readonly stub: VllmStub;

  constructor(private readonly options: VllmGrpcClientOptions) {
    this.stub = new (grpcServices().vllm)(options.target, credentials.createInsecure()) as unknown as VllmStub;
  }

  generate(input: GenerationInput, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<GenerationResult> {
    const request = generateRequest(input);
    return streamGeneration(() => this.stub.Generate(request), this.stub, onEvent, signal, (message: GenerateResponse, t) => {
      if (message.response === 'chunk') {
        const tokens = message.chunk!.token_ids.length;
        onEvent(tokens > 0 ? {type: 'content', t, text: '', tokens, reasoning: false} : {type: 'chunk', t});
        return undefined;
      }
      if (message.response === 'complete') return completeResult(message.complete!);
      if (message.response === 'error') {
        const {message: text, http_status_code: code} = message.error!;
        return {error: {kind: 'in_band_error', message: text, status: Number(code) || undefined}};
      }
      return undefined;
    });
  }

  /** `HealthCheck`: whether the engine is up and can take requests. */
  healthCheck(): Promise<HealthCheckResponse> {
    return unaryCall(this.stub, 'HealthCheck', {}, this.options.target);
  }

  /** `GetModelInfo`: the model path, context length and vocabulary size the server reports. */
  modelInfo(): Promise<GetModelInfoResponse> {
    return unaryCall(this.stub, 'GetModelInfo', {}, this.options.target);
  }

  async close(): Promise<void> {
    this.stub.close();
  }
}

function generateRequest(input: GenerationInput): GenerateRequest {
  const prompt = input.promptTokenIds ? {tokenized: {original_text: input.prompt, input_ids: input.promptTokenIds}} : {text: input.prompt};
  return {
    request_id: randomUUID(),
    ...prompt,
    sampling_params: {max_tokens: input.maxTokens, min_tokens: input.minTokens ?? 0, ignore_eos: input.ignoreEos ?? false, n: 1},
    stream: true,
  };
}

function completeResult(complete: GenerateComplete): GenerationResult {
  const result: GenerationResult = {
    usage: {promptTokens: complete.prompt_tokens, completionTokens: complete.completion_tokens},
    finishReason: complete.finish_reason,
  };
  // vLLM completes a request it aborted (e.g. one that can never fit the KV cache) instead of failing the call.
  if (complete.finish_reason === 'abort') result.error = {kind: 'in_band_error', message: 'The engine aborted the request.'};
  return result;
}
