import {type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation} from '@grpc/grpc-js';
import type {GenerateRequest, GenerateResponse, GetModelInfoResponse, GetServerInfoResponse, HealthCheckResponse} from '../../engine/grpc/vllm-messages.js';
import {GrpcCallWriter} from './grpc-call-writer.js';
import type {GrpcFrontContext} from './grpc-server.js';
import {CUT_STREAM, grpcStatusOf, STARTING_UP} from './grpc-status.js';
import {Generation, type GenerationParams, MID_STREAM_FAILURE} from './generation-core.js';
import {ProtocolError} from './openai-protocol.js';
import {outputWord} from './synthetic-text.js';
import {tokenize} from './tokenizer.js';

type Unary<Response> = (call: ServerUnaryCall<object, Response>, callback: sendUnaryData<Response>) => void;

/** vLLM's `vllm.grpc.engine.VllmEngine`, driving the simulated engine. */
export function vllmService(front: GrpcFrontContext): UntypedServiceImplementation {
  const startedAt = performance.now();
  let lastReceive = 0;
  // Output tokens go out as ids: the id our tokenizer gives each synthetic word (each word is exactly one token).
  const wordTokenIds: number[] = [];
  const tokenIdOf = (word: number) => (wordTokenIds[word] ??= tokenize(outputWord(word), front.vocabSize)[0]!);

  const HealthCheck: Unary<HealthCheckResponse> = (_call, callback) =>
    callback(null, front.isReady() ? {healthy: true, message: 'Health check passed'} : {healthy: false, message: STARTING_UP.details});
  const GetModelInfo: Unary<GetModelInfoResponse> = (_call, callback) =>
    callback(null, {model_path: front.modelId, is_generation: true, max_context_length: front.maxModelLen, vocab_size: front.vocabSize, supports_vision: false});
  const GetServerInfo: Unary<GetServerInfoResponse> = (_call, callback) => {
    const gauges = front.generation.engine.gauges;
    callback(null, {
      active_requests: gauges.running() + gauges.waiting(),
      is_paused: false,
      last_receive_timestamp: lastReceive,
      uptime_seconds: (performance.now() - startedAt) / 1000,
      server_type: 'vllm-grpc',
    });
  };
  return {
    Generate(call: ServerWritableStream<GenerateRequest, GenerateResponse>) {
      lastReceive = Date.now() / 1000;
      generate(front, call, tokenIdOf);
    },
    HealthCheck,
    GetModelInfo,
    GetServerInfo,
  };
}

function generate(front: GrpcFrontContext, call: ServerWritableStream<GenerateRequest, GenerateResponse>, tokenIdOf: (word: number) => number): void {
  if (!front.isReady()) return void call.emit('error', STARTING_UP);
  const request = call.request;
  let generation: Generation;
  try {
    generation = new Generation(front.generation, generationParams(request, front.vocabSize));
  } catch (error) {
    return void call.emit('error', grpcStatusOf(error));
  }
  const {promptTokens} = generation;
  const writer = new GrpcCallWriter(front.generation.stallMs);
  const respond = (response: Omit<GenerateResponse, 'request_id'>) => writer.send(() => call.write({request_id: request.request_id, ...response}));
  const outputIds: number[] = [];

  generation.start(`vllm-grpc-sim${generation.sequence.toString(16).padStart(8, '0')}`, {
    onToken({index, word, fault}) {
      const tokenId = tokenIdOf(word);
      outputIds.push(tokenId);
      if (generation.faults.stallAtToken === index) writer.stall();
      if (request.stream) respond({chunk: {token_ids: [tokenId], prompt_tokens: promptTokens, completion_tokens: index + 1, cached_tokens: 0}});
      if (fault === 'in_band_error') {
        respond({error: {message: MID_STREAM_FAILURE, http_status_code: '500'}});
        writer.close(() => call.end());
        generation.abort();
      } else if (fault === 'abort') {
        writer.close(() => call.emit('error', CUT_STREAM));
        generation.abort();
      }
    },
    onFinish(reason, times) {
      const counts = {prompt_tokens: promptTokens, completion_tokens: times.outputTokens, cached_tokens: times.cachedTokens};
      respond({complete: {output_ids: outputIds, finish_reason: reason, ...counts}});
      writer.close(() => call.end());
    },
  });
  // A client that cancels frees its slot and KV blocks, as vLLM aborts the request.
  call.on('cancelled', () => {
    writer.cancel();
    generation.abort();
  });
}

/** The request's prompt and sampling parameters; throws a ProtocolError (INVALID_ARGUMENT) when they make no sense. */
function generationParams(request: GenerateRequest, vocabSize: number): GenerationParams {
  const sampling = request.sampling_params ?? {};
  if (request.input === undefined) throw new ProtocolError(400, 'Set either text or tokenized input.');
  if ((sampling.n ?? 0) > 1) throw new ProtocolError(400, 'Only n=1 is supported by the simulator.');
  const maxTokens = sampling.max_tokens;
  const minTokens = sampling.min_tokens ?? 0;
  if (maxTokens !== undefined && maxTokens < 1) throw new ProtocolError(400, `max_tokens must be at least 1, got ${maxTokens}.`);
  if (maxTokens !== undefined && minTokens > maxTokens) throw new ProtocolError(400, `min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`);
  const promptTokenIds = request.input === 'tokenized' ? request.tokenized!.input_ids : tokenize(request.text!, vocabSize);
  return {promptTokenIds, maxTokens, minTokens, ignoreEos: sampling.ignore_eos ?? false, seed: undefined};
}
