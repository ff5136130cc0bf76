import type {IncomingHttpHeaders} from 'node:http';
import type {Dispatcher} from 'undici';
import type {GenerationResult, RequestError, StreamEvent} from '../types.js';
import {arrivalTime} from './arrival-clock.js';
import {httpStatusError, type TransportContext, transportError} from './errors.js';
import {joinPieces} from './join-pieces.js';
import {OpenAiStreamReader} from './openai-stream.js';
import type {OpenAiApi} from './request-body.js';
import {SseParser} from './sse-parser.js';

/** Enough of an error body to hold the server's message; the rest is dropped. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const CANCELLED = 'The request was cancelled.';

/**
 * One streaming request, as an undici dispatch handler: it sees each read the moment undici parses it, with no
 * stream or promise in between, so it stamps arrival times exactly and costs little per event.
 *
 * undici hands over one piece per HTTP chunk, and vLLM sends one event per chunk, so a read brings hundreds of pieces
 * under load. The read is stamped when its first piece comes, and its pieces are parsed together once it has been
 * handled (a microtask later, before any other I/O): one decode and one scan per read instead of one per event.
 */
export class StreamRequest implements Dispatcher.DispatchHandler {
  readonly result: Promise<GenerationResult>;
  private resolveResult!: (result: GenerationResult) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private finished = false;
  private cancelled = false;
  private status = 0;
  /** The body of a non-2xx response, collected for its error message. */
  private errorBody: Buffer[] | undefined;
  private errorBodyBytes = 0;
  /**
   * The body pieces of the network read being handled, not parsed yet. They are views of the socket's read buffer,
   * which Node never reuses (undici's own body streams hold on to them as well).
   */
  private unread: Buffer[] = [];
  private readonly reader: OpenAiStreamReader;
  private readonly parser: SseParser;

  constructor(
    api: OpenAiApi,
    private readonly onEvent: (event: StreamEvent) => void,
    private readonly context: TransportContext,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.reader = new OpenAiStreamReader(api, this.deliver);
    this.parser = new SseParser(this.reader.accept, this.reader.acceptEvents);
    if (signal?.aborted) this.cancel();
    else signal?.addEventListener('abort', this.cancel, {once: true});
  }

  /** Already settled before it was sent (aborted up front): nothing to dispatch. */
  get settled(): boolean {
    return this.finished;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Cancelled while waiting for a connection: undici only now has a request to cancel.
    if (this.cancelled) controller.abort(new Error(CANCELLED));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.finished) return;
    this.onEvent({type: 'response', t: arrivalTime()});
    this.status = statusCode;
    if (statusCode < 200 || statusCode >= 300) {
      this.errorBody = [];
      return;
    }
    const contentType = headers['content-type'];
    if (typeof contentType === 'string' && contentType.startsWith('application/json')) {
      this.failAndCancel({kind: 'malformed_stream', status: statusCode, message: `${this.context.origin} answered with a JSON body instead of an event stream.`});
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    if (this.errorBody !== undefined) {
      this.collectErrorBody(chunk);
      return;
    }
    if (this.unread.push(chunk) === 1) {
      this.reader.arrival = arrivalTime();
      queueMicrotask(this.parseRead);
    }
  }

  onResponseEnd(): void {
    if (this.finished) return;
    if (this.errorBody !== undefined) {
      this.finish(this.httpError());
      return;
    }
    this.parseRead();
    if (this.finished) return;
    this.reader.arrival = arrivalTime();
    this.parser.end();
    this.afterParse();
    const {done, error} = this.reader;
    this.finish(error ?? (done ? undefined : {kind: 'disconnected', message: `${this.context.origin} ended the stream without data: [DONE].`}));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.parseRead();
    if (this.finished) return;
    if (this.errorBody !== undefined) this.finish(this.httpError());
    // The stream had already said all it had to say; how the connection ended afterwards does not matter.
    else if (this.reader.done || this.reader.error !== undefined) this.finish(this.reader.error);
    else this.finish(transportError(error, this.context));
  }

  private readonly parseRead = (): void => {
    const pieces = this.unread;
    if (pieces.length === 0) return;
    this.unread = [];
    if (this.finished) return;
    this.parser.push(pieces.length === 1 ? pieces[0]! : joinPieces(pieces));
    this.afterParse();
  };

  /** Events reach the caller until the request ends; a read parsed after an abort delivers nothing. */
  private readonly deliver = (event: StreamEvent): void => {
    if (!this.finished) this.onEvent(event);
  };

  /**
   * A broken stream is cut at once. Otherwise the request ends with the response, not at [DONE] or an in-band error,
   * so that its connection is free again by the time the caller sends its next request.
   */
  private afterParse(): void {
    if (this.reader.error?.kind === 'malformed_stream') this.failAndCancel(this.reader.error);
  }

  private collectErrorBody(chunk: Buffer): void {
    if (this.errorBodyBytes >= MAX_ERROR_BODY_BYTES) return;
    this.errorBody!.push(chunk);
    this.errorBodyBytes += chunk.length;
  }

  private httpError(): RequestError {
    return httpStatusError(this.status, Buffer.concat(this.errorBody!).toString('utf8'));
  }

  private readonly cancel = (): void => {
    if (this.finished) return;
    this.cancelled = true;
    this.finish({kind: 'aborted', message: CANCELLED});
    // Destroys the socket, so the server sees the client go away and frees the request's resources.
    this.controller?.abort(new Error(CANCELLED));
  };

  private failAndCancel(error: RequestError): void {
    this.finish(error);
    this.controller?.abort(new Error(error.message));
  }

  private finish(error: RequestError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.signal?.removeEventListener('abort', this.cancel);
    const {usage, finishReason} = this.reader;
    this.resolveResult({usage, finishReason, error});
  }
}
