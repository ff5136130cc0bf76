import {type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, status as GrpcStatus, type UntypedServiceImplementation} from '@grpc/grpc-js';
import type {ModelInferRequest, ModelMetadataResponse, ModelStreamInferResponse} from '../../engine/grpc/kserve-messages.js';
import {GrpcCallWriter} from './grpc-call-writer.js';
import {type KserveGeneration, parseInferRequest} from './grpc-kserve-request.js';
import type {GrpcFrontContext} from './grpc-server.js';
import {type CallStatus, CUT_STREAM, grpcStatusOf, STARTING_UP} from './grpc-status.js';
import {Generation, MID_STREAM_FAILURE} from './generation-core.js';
import {ProtocolError} from './openai-protocol.js';
import {outputWord} from './synthetic-text.js';

type Unary<Request, Response> = (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void;

/**
 * KServe v2 `inference.GRPCInferenceService` as Dynamo's frontend serves an LLM: ModelStreamInfer streams text
 * deltas, metadata describes the text_input/streaming inputs and text_output/finish_reason outputs. The unary
 * ModelInfer is not served (UNIMPLEMENTED).
 */
export function kserveService(front: GrpcFrontContext): UntypedServiceImplementation {
  const ServerLive: Unary<object, {live: boolean}> = (_call, callback) => callback(null, {live: true});
  const ServerReady: Unary<object, {ready: boolean}> = (_call, callback) => callback(null, {ready: front.isReady()});
  const ModelReady: Unary<{name: string}, {ready: boolean}> = (call, callback) =>
    callback(null, {ready: front.isReady() && call.request.name === front.servedModelName});
  const ServerMetadata: Unary<object, {name: string; version: string; extensions: string[]}> = (_call, callback) =>
    callback(null, {name: 'dynamo-plan-sim', version: '1', extensions: []});
  const ModelMetadata: Unary<{name: string}, ModelMetadataResponse> = (call, callback) => {
    if (call.request.name !== front.servedModelName) return callback({code: GrpcStatus.NOT_FOUND, details: `Model '${call.request.name}' not found.`});
    callback(null, {
      name: front.servedModelName,
      versions: ['1'],
      platform: 'dynamo',
      inputs: [{name: 'text_input', datatype: 'BYTES', shape: [1]}, {name: 'streaming', datatype: 'BOOL', shape: [1]}],
      outputs: [{name: 'text_output', datatype: 'BYTES', shape: [-1]}, {name: 'finish_reason', datatype: 'BYTES', shape: [-1]}],
    });
  };
  return {
    ServerLive,
    ServerReady,
    ModelReady,
    ServerMetadata,
    ModelMetadata,
    ModelStreamInfer(call: ServerDuplexStream<ModelInferRequest, ModelStreamInferResponse>) {
      new InferStream(front, call);
    },
  };
}

/**
 * One ModelStreamInfer stream. Like Dynamo, it serves its requests one after another, so clients open a stream per
 * concurrent request. A request that fails (unknown model, too long a prompt) is answered in-band with
 * `error_message` and the stream goes on; a malformed one or an injected refusal ends the stream with a status.
 */
class InferStream {
  private readonly queue: ModelInferRequest[] = [];
  private readonly writer: GrpcCallWriter;
  private current: Generation | undefined;
  private busy = false;
  private clientDone = false;

  constructor(
    private readonly front: GrpcFrontContext,
    private readonly call: ServerDuplexStream<ModelInferRequest, ModelStreamInferResponse>,
  ) {
    this.writer = new GrpcCallWriter(front.generation.stallMs);
    call.on('data', (request: ModelInferRequest) => {
      this.queue.push(request);
      this.next();
    });
    call.on('end', () => {
      this.clientDone = true;
      this.next();
    });
    // A client that cancels frees the slot and KV blocks of its request, as Dynamo cancels the engine request.
    call.on('cancelled', () => {
      this.writer.cancel();
      this.queue.length = 0;
      this.current?.abort();
    });
  }

  private next(): void {
    while (!this.busy && !this.writer.isClosed) {
      const request = this.queue.shift();
      if (!request) {
        if (this.clientDone) this.writer.close(() => this.call.end());
        return;
      }
      this.serve(request);
    }
  }

  private serve(request: ModelInferRequest): void {
    const {front, writer, call} = this;
    if (!front.isReady()) return this.fail(STARTING_UP);
    let parsed: KserveGeneration;
    try {
      parsed = parseInferRequest(request, front.vocabSize);
    } catch (error) {
      return this.fail(grpcStatusOf(error));
    }
    if (parsed.model !== front.servedModelName) return this.inBandError(`Model '${parsed.model}' not found.`);
    let generation: Generation;
    try {
      generation = new Generation(front.generation, parsed.params);
    } catch (error) {
      // A request that cannot fit fails alone; an injected refusal fails the stream, as a crashed frontend would.
      return error instanceof ProtocolError && error.status < 500 ? this.inBandError(error.message) : this.fail(grpcStatusOf(error));
    }
    const {id, streaming} = parsed;
    const respond = (text: string, finishReason: string) => writer.send(() => call.write({error_message: '', infer_response: inferResponse(front.servedModelName, id, text, finishReason)}));
    const text: string[] = [];
    let sentFinish = false;
    let over = false;
    this.busy = true;
    this.current = generation;
    const done = () => {
      over = true;
      this.busy = false;
      this.current = undefined;
      this.next();
    };

    generation.start(`kserve-sim${generation.sequence.toString(16).padStart(8, '0')}`, {
      onToken: ({index, word, isLast, finishReason, fault}) => {
        if (generation.faults.stallAtToken === index) writer.stall();
        if (streaming) respond(outputWord(word), finishReason ?? '');
        else text.push(outputWord(word));
        sentFinish = streaming && isLast;
        if (fault === 'in_band_error') this.inBandError(MID_STREAM_FAILURE);
        else if (fault === 'abort') this.fail(CUT_STREAM);
        if (fault) {
          generation.abort();
          done();
        }
      },
      onFinish: (reason) => {
        if (over) return;
        if (reason === 'abort') this.inBandError('The engine aborted the request.');
        else if (!sentFinish) respond(text.join(''), reason);
        done();
      },
    });
  }

  private inBandError(message: string): void {
    this.writer.send(() => this.call.write({error_message: message, infer_response: null}));
  }

  /** End the stream with a status; requests still queued on it are dropped. */
  private fail(status: CallStatus): void {
    this.queue.length = 0;
    this.writer.close(() => this.call.emit('error', status));
  }
}

function inferResponse(model: string, id: string, text: string, finishReason: string): ModelStreamInferResponse['infer_response'] {
  return {
    model_name: model,
    model_version: '1',
    id,
    outputs: [
      {name: 'text_output', datatype: 'BYTES', shape: [1], contents: {bytes_contents: [Buffer.from(text, 'utf8')]}},
      {name: 'finish_reason', datatype: 'BYTES', shape: [1], contents: {bytes_contents: [Buffer.from(finishReason, 'utf8')]}},
    ],
  };
}
