import {randomUUID} from 'node:crypto';
import {type Client, type ClientDuplexStream, credentials} from '@grpc/grpc-js';
import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../types.js';
import {bytesElements, type InferParameter, type ModelInferRequest, type ModelMetadataResponse, type ModelStreamInferResponse} from './kserve-messages.js';
import {grpcServices} from './proto.js';
import {streamGeneration} from './stream-generation.js';
import {unaryCall} from './unary-call.js';

export interface KserveClientOptions {
  /** host:port, or any grpc-js target (dns:host:port, unix:/path). Plaintext (no TLS). */
  target: string;
  /** The model name the server serves (Dynamo: the served model name). */
  model: string;
}

interface KserveStub extends Client {
  ModelStreamInfer(): ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;
}

/**
 * Streams generations over KServe v2 gRPC (`inference.GRPCInferenceService/ModelStreamInfer`), as Dynamo's frontend
 * serves it with --kserve-grpc-server. Each request gets its own bidi stream, because Dynamo serves the requests of
 * one stream one after another. Every response carries one delta of text, so each content event counts 1 token;
 * KServe reports no usage, so `result.usage` stays undefined.
 *
 * Dynamo accepts only the `text_input` and `streaming` input tensors, so max_tokens, min_tokens and ignore_eos travel
 * as request `parameters` (int64_param, bool_param). Dynamo ignores them (it takes them from its --request-template);
 * the dynamo-plan simulator honours them.
 */
export class KserveClient implements EngineClient {
  readonly api = 'kserve' as const;
  private readonly stub: KserveStub;

  constructor(private readonly options: KserveClientOptions) {
    this.stub = new (grpcServices().kserve)(options.target, credentials.createInsecure()) as unknown as KserveStub;
  }

  generate(input: GenerationInput, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<GenerationResult> {
    const request = inferRequest(this.options.model, input);
    const open = () => {
      const call = this.stub.ModelStreamInfer();
      call.write(request);
      return call;
    };
    return streamGeneration(open, this.stub, onEvent, signal, (message: ModelStreamInferResponse, t) => {
      if (message.error_message) return {error: {kind: 'in_band_error', message: message.error_message}};
      const response = message.infer_response;
      if (!response) return undefined;
      const text = bytesElements(response.outputs, response.raw_output_contents, 'text_output')?.join('') ?? '';
      onEvent(text ? {type: 'content', t, text, tokens: 1, reasoning: false} : {type: 'chunk', t});
      const finishReason = bytesElements(response.outputs, response.raw_output_contents, 'finish_reason')?.[0];
      return finishReason ? {finishReason} : undefined;
    });
  }

  /** Whether the server has the model loaded and ready (`ModelReady`). */
  async modelReady(): Promise<boolean> {
    const response = await unaryCall<object, {ready: boolean}>(this.stub, 'ModelReady', {name: this.options.model}, this.options.target);
    return response.ready;
  }

  /** The model's inputs and outputs (`ModelMetadata`); rejects when the server does not serve the model. */
  modelMetadata(): Promise<ModelMetadataResponse> {
    return unaryCall(this.stub, 'ModelMetadata', {name: this.options.model}, this.options.target);
  }

  async close(): Promise<void> {
    this.stub.close();
  }
}

function inferRequest(model: string, input: GenerationInput): ModelInferRequest {
  const parameters: Record<string, InferParameter> = {max_tokens: {int64_param: input.maxTokens}};
  if (input.minTokens !== undefined) parameters.min_tokens = {int64_param: input.minTokens};
  if (input.ignoreEos !== undefined) parameters.ignore_eos = {bool_param: input.ignoreEos};
  return {
    model_name: model,
    // Dynamo adopts a UUID id as its own request id, which lines up its logs and traces with ours.
    id: randomUUID(),
    parameters,
    inputs: [
      {name: 'text_input', datatype: 'BYTES', shape: [1], contents: {bytes_contents: [Buffer.from(input.prompt, 'utf8')]}},
      {name: 'streaming', datatype: 'BOOL', shape: [1], contents: {bool_contents: [true]}},
    ],
  };
}
