import {type Client, type ClientDuplexStream, type ClientReadableStream, credentials, type ServiceError} from '@grpc/grpc-js';
import {afterEach, describe, expect, it} from 'vitest';
import {KserveClient, VllmGrpcClient} from '../../../src/engine/grpc/index.js';
import type {ModelInferRequest, ModelStreamInferResponse} from '../../../src/engine/grpc/kserve-messages.js';
import {grpcServices} from '../../../src/engine/grpc/proto.js';
import type {GenerateRequest, GenerateResponse} from '../../../src/engine/grpc/vllm-messages.js';
import type {Simulator, SimulatorOptions} from '../../../src/sim/simulator.js';
import {outputWord} from '../../../src/sim/server/synthetic-text.js';
import {tokenize} from '../../../src/sim/server/tokenizer.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';
import {collect, contentEvents, MODEL, startGrpcSimulator} from '../../engine/grpc/grpc-test-helpers.js';

type Stub = Client & Record<string, (...args: unknown[]) => unknown>;

let sim: Simulator | undefined;
const stubs: Client[] = [];
afterEach(async () => {
  for (const stub of stubs.splice(0)) stub.close();
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startGrpcSimulator(options);
  return sim;
}

function stub(service: 'kserve' | 'vllm'): Stub {
  const client = new (grpcServices()[service])(sim!.info.grpcUrl!, credentials.createInsecure()) as unknown as Stub;
  stubs.push(client);
  return client;
}

function unary<T>(client: Stub, method: string, request: object = {}): Promise<T> {
  return new Promise((resolve, reject) => client[method]!(request, (error: ServiceError | null, response: T) => (error ? reject(error) : resolve(response))));
}

/** Every message of a stream, and its final status code. */
function drain<T>(call: ClientReadableStream<T> | ClientDuplexStream<unknown, T>): Promise<{messages: T[]; code: number}> {
  const messages: T[] = [];
  return new Promise((resolve) => {
    call.on('data', (message: T) => messages.push(message));
    // A non-OK status also arrives as 'error'; the status event reports it.
    call.on('error', () => {});
    call.on('status', (status: {code: number}) => resolve({messages, code: status.code}));
  });
}

function inferRequest(id: string, prompt: string, options: {model?: string; maxTokens?: number; streaming?: boolean} = {}): ModelInferRequest {
  return {
    model_name: options.model ?? MODEL,
    id,
    parameters: {max_tokens: {int64_param: options.maxTokens ?? 4}, ignore_eos: {bool_param: true}},
    inputs: [
      {name: 'text_input', datatype: 'BYTES', shape: [1], contents: {bytes_contents: [Buffer.from(prompt)]}},
      {name: 'streaming', datatype: 'BOOL', shape: [1], contents: {bool_contents: [options.streaming ?? true]}},
    ],
  };
}

const textOf = (response: ModelStreamInferResponse, name: string) =>
  response.infer_response!.outputs.find((output) => output.name === name)!.contents!.bytes_contents!.map((bytes) => bytes.toString()).join('');

describe('sim serve gRPC front', () => {
  it('answers the KServe and vLLM health and metadata RPCs', async () => {
    await start();
    const kserve = stub('kserve');
    expect(await unary(kserve, 'ServerLive')).toEqual({live: true});
    expect(await unary(kserve, 'ServerReady')).toEqual({ready: true});
    expect(await unary(kserve, 'ModelReady', {name: MODEL})).toEqual({ready: true});
    expect(await unary(kserve, 'ModelReady', {name: 'other'})).toEqual({ready: false});
    expect(await unary(kserve, 'ServerMetadata')).toMatchObject({name: 'dynamo-plan-sim'});
    await expect(unary(kserve, 'ModelMetadata', {name: 'other'})).rejects.toMatchObject({code: 5});
    const vllm = stub('vllm');
    expect(await unary(vllm, 'HealthCheck')).toMatchObject({healthy: true});
    const info = await unary<{active_requests: number; server_type: string; uptime_seconds: number}>(vllm, 'GetServerInfo');
    expect(info).toMatchObject({active_requests: 0, server_type: 'vllm-grpc'});
    expect(info.uptime_seconds).toBeGreaterThan(0);
  });

  it('is not ready until a startup delay has passed, and refuses generation with UNAVAILABLE meanwhile', async () => {
    await start({faults: {startupDelayS: 0.4}});
    expect(await unary(stub('kserve'), 'ServerReady')).toEqual({ready: false});
    expect(await unary(stub('vllm'), 'HealthCheck')).toMatchObject({healthy: false});
    const vllm = new VllmGrpcClient({target: sim!.info.grpcUrl!});
    const kserve = new KserveClient({target: sim!.info.grpcUrl!, model: MODEL});
    try {
      // The server answered, so this is a status, not a refused connection.
      expect((await collect(vllm, {prompt: 'x', maxTokens: 2})).result.error).toMatchObject({kind: 'grpc_status', status: 14});
      expect((await collect(kserve, {prompt: 'x', maxTokens: 2})).result.error).toMatchObject({kind: 'grpc_status', status: 14});
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await kserve.modelReady()).toBe(true);
      expect((await collect(vllm, {prompt: 'x', maxTokens: 2, ignoreEos: true})).result.finishReason).toBe('length');
    } finally {
      await vllm.close();
      await kserve.close();
    }
  });

  it('serves the requests of one KServe stream in order, answering a failed one in-band and going on', async () => {
    await start();
    const call = stub('kserve').ModelStreamInfer!() as ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;
    const drained = drain(call);
    call.write(inferRequest('first', 'one', {maxTokens: 3}));
    call.write(inferRequest('second', 'two', {model: 'no-such-model'}));
    call.write(inferRequest('third', 'three', {maxTokens: 2}));
    call.end();
    const {messages, code} = await drained;
    expect(code).toBe(0);
    const ids = messages.map((message) => message.infer_response?.id ?? `error: ${message.error_message}`);
    expect(ids).toEqual(['first', 'first', 'first', "error: Model 'no-such-model' not found.", 'third', 'third']);
    expect(messages.map((message) => (message.infer_response ? textOf(message, 'finish_reason') : '-'))).toEqual(['', '', 'length', '-', '', 'length']);
  });

  it('answers streaming=false with one response holding the whole text, and reads raw input contents', async () => {
    await start();
    const call = stub('kserve').ModelStreamInfer!() as ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;
    const drained = drain(call);
    const prompt = Buffer.from('hello raw');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(prompt.length);
    call.write({
      model_name: MODEL,
      parameters: {max_tokens: {int64_param: 5}, ignore_eos: {bool_param: true}},
      inputs: [{name: 'text_input', datatype: 'BYTES', shape: [1]}, {name: 'stream', datatype: 'BOOL', shape: [1]}],
      raw_input_contents: [Buffer.concat([length, prompt]), Buffer.from([0])],
    });
    call.end();
    const {messages, code} = await drained;
    expect(code).toBe(0);
    expect(messages).toHaveLength(1);
    expect(textOf(messages[0]!, 'finish_reason')).toBe('length');
    expect(tokenize(textOf(messages[0]!, 'text_output'), 1000)).toHaveLength(5);
  });

  it('ends a KServe stream with INVALID_ARGUMENT for inputs Dynamo does not accept', async () => {
    await start();
    const call = stub('kserve').ModelStreamInfer!() as ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;
    const drained = drain(call);
    const request = inferRequest('x', 'hello');
    request.inputs.push({name: 'max_tokens', datatype: 'INT32', shape: [1]});
    call.write(request);
    const {messages, code} = await drained;
    expect(messages).toHaveLength(0);
    expect(code).toBe(3);
  });

  it('streams vLLM token ids of the simulator tokenizer with running counts, and reuses cached prefix blocks', async () => {
    await start();
    const vllm = stub('vllm');
    const vocab = (await unary<{vocab_size: number}>(vllm, 'GetModelInfo')).vocab_size;
    const prompt = 'A long shared system prompt, repeated so that it fills many KV blocks. '.repeat(40);
    const run = (requestId: string) => {
      const request: GenerateRequest = {request_id: requestId, text: prompt, sampling_params: {max_tokens: 6, ignore_eos: true}, stream: true};
      return drain(vllm.Generate!(request) as ClientReadableStream<GenerateResponse>);
    };
    const first = await run('a');
    expect(first.code).toBe(0);
    const chunks = first.messages.filter((message) => message.response === 'chunk').map((message) => message.chunk!);
    expect(chunks.map((chunk) => chunk.completion_tokens)).toEqual([1, 2, 3, 4, 5, 6]);
    const complete = first.messages.at(-1)!;
    expect(complete).toMatchObject({request_id: 'a', response: 'complete'});
    expect(complete.complete!.output_ids).toEqual(chunks.flatMap((chunk) => chunk.token_ids));
    const wordIds = new Set(Array.from({length: 68}, (_, word) => tokenize(outputWord(word), vocab)[0]));
    expect(complete.complete!.output_ids.every((id) => wordIds.has(id))).toBe(true);
    const second = await run('b');
    expect(second.messages.at(-1)!.complete!.cached_tokens).toBeGreaterThan(0);
  });

  it('rejects vLLM sampling parameters it cannot honour with INVALID_ARGUMENT', async () => {
    await start();
    const vllm = stub('vllm');
    const attempt = (sampling: GenerateRequest['sampling_params']) => drain(vllm.Generate!({request_id: 'x', text: 'hi', sampling_params: sampling, stream: true}) as ClientReadableStream<GenerateResponse>);
    const calls = [attempt({max_tokens: 4, n: 2}), attempt({max_tokens: 4, min_tokens: 9}), attempt({max_tokens: 0})];
    for (const call of calls) expect((await call).code).toBe(3);
  });

  it('counts gRPC requests in the same /metrics as HTTP ones', async () => {
    await start();
    const vllm = new VllmGrpcClient({target: sim!.info.grpcUrl!});
    const kserve = new KserveClient({target: sim!.info.grpcUrl!, model: MODEL});
    try {
      await collect(vllm, {prompt: 'a', maxTokens: 7, ignoreEos: true});
      await collect(kserve, {prompt: 'b', maxTokens: 5, ignoreEos: true});
    } finally {
      await vllm.close();
      await kserve.close();
    }
    const metrics = await scrapeMetrics(sim!.url);
    expect(sampleValue(metrics, 'vllm:request_success_total', {finished_reason: 'length'})).toBe(2);
    expect(sampleValue(metrics, 'vllm:request_generation_tokens_sum')).toBe(12);
    expect(sampleValue(metrics, 'vllm:time_to_first_token_seconds_count')).toBe(2);
  });

  it('holds a stream back for the injected stall', async () => {
    await start({faults: {stallRate: 1, stallMs: 300}});
    const vllm = new VllmGrpcClient({target: sim!.info.grpcUrl!});
    try {
      const {events, result} = await collect(vllm, {prompt: 'x', maxTokens: 30, ignoreEos: true});
      expect(result.finishReason).toBe('length');
      const times = contentEvents(events).map((event) => Number(event.t / 1_000_000n));
      const longestGap = Math.max(...times.slice(1).map((time, i) => time - times[i]!));
      expect(longestGap).toBeGreaterThanOrEqual(250);
    } finally {
      await vllm.close();
    }
  });

  it('refuses a gRPC port already in use', async () => {
    await start();
    const taken = Number(sim!.info.grpcUrl!.split(':').at(-1));
    await expect(startGrpcSimulator({grpcPort: taken})).rejects.toMatchObject({code: 'E_PORT_IN_USE'});
    const free = await freePort();
    const other = await startGrpcSimulator({grpcPort: free});
    expect(other.info.grpcUrl).toBe(`127.0.0.1:${free}`);
    await other.close();
  });
});
