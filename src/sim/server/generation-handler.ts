import type {IncomingMessage, ServerResponse} from 'node:http';
import {mix32, seededRandom} from '../../util/hash.js';
import type {EngineFinishReason, EngineRequestTimes, ServingEngine} from '../engine/serving-engine.js';
import type {EngineRole} from '../types.js';
import type {FaultPlanner, RequestFaultPlan} from './faults.js';
import type {EngineMetrics} from './metrics.js';
import {type GenerationRequest, ProtocolError, ResponseFormatter, usage} from './openai-protocol.js';
import {outputWord, outputWordIndex, outputWordJson} from './synthetic-text.js';
import {blockHashes} from './tokenizer.js';

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
}

let requestCounter = 0;

/** Serve one /v1/completions or /v1/chat/completions request, streaming or not, through the engine. */
export function handleGeneration(context: GenerationContext, request: GenerationRequest, req: IncomingMessage, res: ServerResponse): void {
  const {engine, metrics} = context;
  const promptTokens = request.promptTokenIds.length;
  const maxTokens = resolveMaxTokens(context, request, promptTokens);
  const sequence = ++requestCounter;
  const requestSeed = mix32(context.seed, request.seed ?? sequence);
  const eosAfter = request.ignoreEos ? undefined : naturalOutputLength(requestSeed, context.meanNaturalOutputTokens);
  const expectedTokens = Math.min(maxTokens, eosAfter === undefined ? maxTokens : Math.max(eosAfter, request.minTokens));
  const faults = context.faults.plan(expectedTokens);
  if (faults.refuse) throw new ProtocolError(500, 'Injected fault: internal server error.', 'InternalServerError');

  const id = `${request.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-sim${sequence.toString(16).padStart(8, '0')}`;
  const formatter = new ResponseFormatter(request.kind, id, request.model, Math.floor(Date.now() / 1000));
  const arrival = engine.now();
  const output = request.stream ? new SseOutput(res, faults, context.stallMs) : new BufferedOutput();
  let lastTokenTime = 0;
  let finished = false;

  if (request.stream) res.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive'});

  const onToken = (time: number, index: number) => {
    if (index === 0) metrics.observeFirstToken(time - arrival);
    else metrics.observeInterTokenLatency(time - lastTokenTime);
    lastTokenTime = time;
    const word = outputWordIndex(requestSeed, index);
    const isLast = index + 1 === expectedTokens;
    const finishReason = isLast ? finishReasonFor(index + 1, eosAfter, maxTokens) : null;
    if (index === 0 && request.kind === 'chat') output.event(formatter.roleChunk());
    const chunkUsage = request.continuousUsage ? usage(promptTokens, index + 1) : undefined;
    output.token(index, outputWord(word), formatter.tokenChunk(outputWordJson(word), finishReason, chunkUsage), isLast);
    if (faults.inBandErrorAtToken === index && !isLast) {
      output.event(JSON.stringify(new ProtocolError(500, 'Injected fault: the engine failed mid-stream.', 'InternalServerError').body()));
      output.end();
      engine.abort(id);
    } else if (faults.abortAtToken === index && !isLast) {
      res.destroy();
      engine.abort(id);
    }
  };

  const onFinish = (_time: number, reason: EngineFinishReason, times: EngineRequestTimes) => {
    finished = true;
    metrics.observeFinished(reason, {...times, arrival, promptTokens, maxTokens});
    if (output.closed) return;
    if (reason === 'abort') {
      output.end();
      return;
    }
    if (!output.sentFinish) output.event(formatter.tokenChunk('""', reason, undefined));
    if (request.stream) {
      if (request.includeUsage) output.event(formatter.usageChunk(usage(promptTokens, times.outputTokens)));
      output.end();
    } else {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify(formatter.fullResponse(output.text(), reason, usage(promptTokens, times.outputTokens))));
    }
  };

  // A client that goes away mid-request frees its slot and KV blocks, as vLLM aborts on disconnect.
  res.on('close', () => {
    output.closed = true;
    if (!finished) engine.abort(id);
  });
  req.on('error', () => engine.abort(id));

  const hashes = context.enablePrefixCaching && context.role !== 'decode' ? blockHashes(request.promptTokenIds, context.blockSize) : undefined;
  engine.at(arrival + context.requestOverheadS, () => {
    if (output.closed) return;
    engine.submit({id, promptTokens, maxTokens, minTokens: request.minTokens, eosAfter, blockHashes: hashes}, {onToken, onFinish});
  });
}

function resolveMaxTokens(context: GenerationContext, request: GenerationRequest, promptTokens: number): number {
  const room = context.maxModelLen - promptTokens;
  if (room <= 0 || (request.maxTokens !== undefined && request.maxTokens > room)) {
    const asked = request.maxTokens ?? 0;
    throw new ProtocolError(
      400,
      `This model's maximum context length is ${context.maxModelLen} tokens. However, you requested ${promptTokens + asked} tokens ` +
        `(${promptTokens} in the messages, ${asked} in the completion). Please reduce the length of the messages or completion.`,
    );
  }
  // A disaggregated prefill worker only produces the first token; decode workers continue from there.
  if (context.role === 'prefill') return 1;
  return request.maxTokens ?? room;
}

/** Output length at which the simulated model emits EOS: exponential around the mean, at least 1. */
function naturalOutputLength(requestSeed: number, mean: number): number {
  const u = seededRandom(requestSeed)();
  return Math.max(1, Math.round(-Math.log(1 - u) * mean));
}

function finishReasonFor(outputTokens: number, eosAfter: number | undefined, maxTokens: number): 'stop' | 'length' {
  return eosAfter !== undefined && outputTokens >= eosAfter && outputTokens < maxTokens ? 'stop' : 'length';
}

interface Output {
  closed: boolean;
  sentFinish: boolean;
  token(index: number, text: string, chunk: string, isLast: boolean): void;
  event(json: string): void;
  end(): void;
  text(): string;
}

/** Server-sent events, with an optional injected stall that holds events back for a while. */
class SseOutput implements Output {
  closed = false;
  sentFinish = false;
  /** Events held back by an injected stall; undefined while streaming normally. */
  private held: string[] | undefined;
  private endAfterStall = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly faults: RequestFaultPlan,
    private readonly stallMs: number,
  ) {}

  token(index: number, _text: string, chunk: string, isLast: boolean): void {
    if (this.faults.stallAtToken === index && !this.held) {
      this.held = [];
      setTimeout(() => this.release(), this.stallMs);
    }
    this.event(chunk);
    if (isLast) this.sentFinish = true;
  }

  event(json: string): void {
    if (this.closed) return;
    const line = `data: ${json}\n\n`;
    if (this.held) this.held.push(line);
    else this.res.write(line);
  }

  end(): void {
    if (this.closed) return;
    if (this.held) {
      this.held.push('data: [DONE]\n\n');
      this.endAfterStall = true;
      return;
    }
    this.closed = true;
    this.res.end('data: [DONE]\n\n');
  }

  text(): string {
    return '';
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    if (this.closed) return;
    this.res.write(held.join(''));
    if (this.endAfterStall) {
      this.closed = true;
      this.res.end();
    }
  }
}

class BufferedOutput implements Output {
  closed = false;
  sentFinish = false;
  private readonly parts: string[] = [];

  token(_index: number, text: string, _chunk: string, isLast: boolean): void {
    this.parts.push(text);
    if (isLast) this.sentFinish = true;
  }

  event(): void {}

  end(): void {}

  text(): string {
    return this.parts.join('');
  }
}
