import type {IncomingMessage, ServerResponse} from 'node:http';
import type {EngineFinishReason, EngineRequestTimes} from '../engine/serving-engine.js';
import type {RequestFaultPlan} from './faults.js';
import {Generation, type GeneratedToken, type GenerationContext, MID_STREAM_FAILURE} from './generation-core.js';
import {type GenerationRequest, ProtocolError, ResponseFormatter, usage} from './openai-protocol.js';
import {outputWord, outputWordJson} from './synthetic-text.js';

export type {GenerationContext} from './generation-core.js';

/** Serve one /v1/completions or /v1/chat/completions request, streaming or not, through the engine. */
export function handleGeneration(context: GenerationContext, request: GenerationRequest, req: IncomingMessage, res: ServerResponse): void {
  const generation = new Generation(context, request);
  const {promptTokens} = generation;
  const id = `${request.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-sim${generation.sequence.toString(16).padStart(8, '0')}`;
  const formatter = new ResponseFormatter(request.kind, id, request.model, Math.floor(Date.now() / 1000));
  const output = request.stream ? new SseOutput(res, generation.faults, context.stallMs) : new BufferedOutput();

  if (request.stream) res.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive'});

  const onToken = ({index, word, isLast, finishReason, fault}: GeneratedToken) => {
    if (index === 0 && request.kind === 'chat') output.event(formatter.roleChunk());
    const chunkUsage = request.continuousUsage ? usage(promptTokens, index + 1) : undefined;
    output.token(index, outputWord(word), formatter.tokenChunk(outputWordJson(word), finishReason, chunkUsage), isLast);
    if (index === 0) context.onFirstTokenWritten?.(request.promptTokenIds, (performance.timeOrigin + performance.now()) / 1000);
    if (fault === 'in_band_error') {
      output.event(JSON.stringify(new ProtocolError(500, MID_STREAM_FAILURE, 'InternalServerError').body()));
      output.end();
      generation.abort();
    } else if (fault === 'abort') {
      res.destroy();
      generation.abort();
    }
  };

  const onFinish = (reason: EngineFinishReason, times: EngineRequestTimes) => {
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

  res.on('close', () => {
    output.closed = true;
    generation.abort();
  });
  req.on('error', () => generation.abort());
  generation.start(id, {onToken, onFinish});
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
