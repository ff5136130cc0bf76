import type {GenerationResult, RequestError, StreamEvent} from '../types.js';
import {httpStatusError, type TransportContext} from './errors.js';
import type {ExchangeSink} from './http1-connection.js';
import type {ResponseHead} from './http1-parser.js';
import {OpenAiStreamReader} from './openai-stream.js';
import type {OpenAiApi} from './request-body.js';
import {SseParser} from './sse-parser.js';

/** Enough of an error body to hold the server's message; the rest is dropped. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const CANCELLED = 'The request was cancelled.';

/**
 * One streaming request, seeing its response the moment each network read is parsed: the whole body of a read (every
 * HTTP chunk in it) comes as one piece, stamped with the read's arrival, and is decoded and scanned in one go.
 */
export class StreamRequest implements ExchangeSink {
  readonly result: Promise<GenerationResult>;
  private resolveResult!: (result: GenerationResult) => void;
  /** Cancels the exchange on its connection (or in the pool's queue); set once the request is sent. */
  private cancelExchange: (() => void) | undefined;
  private finished = false;
  private status = 0;
  /** The body of a non-2xx response, collected for its error message. */
  private errorBody: Buffer[] | undefined;
  private errorBodyBytes = 0;
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

  /** Already settled before it was sent (aborted up front): nothing to send. */
  get settled(): boolean {
    return this.finished;
  }

  /** Hand over what cancels the exchange, once sent. */
  sent(cancel: () => void): void {
    this.cancelExchange = cancel;
  }

  onHead(head: ResponseHead, t: bigint): void {
    if (this.finished) return;
    this.onEvent({type: 'response', t});
    this.status = head.status;
    if (head.status < 200 || head.status >= 300) {
      this.errorBody = [];
      return;
    }
    if (head.contentType.startsWith('application/json')) {
      this.failAndCancel({kind: 'malformed_stream', status: head.status, message: `${this.context.origin} answered with a JSON body instead of an event stream.`});
    }
  }

  onBody(bytes: Buffer, t: bigint): void {
    if (this.finished) return;
    if (this.errorBody !== undefined) {
      this.collectErrorBody(bytes);
      return;
    }
    this.reader.arrival = t;
    this.parser.push(bytes);
    // A broken stream is cut at once. Otherwise the request ends with the response, not at [DONE] or an in-band
    // error, so that its connection is free again by the time the caller sends its next request.
    if (this.reader.error?.kind === 'malformed_stream') this.failAndCancel(this.reader.error);
  }

  onEnd(t: bigint): void {
    if (this.finished) return;
    if (this.errorBody !== undefined) {
      this.finish(this.httpError());
      return;
    }
    this.reader.arrival = t;
    this.parser.end();
    const {done, error} = this.reader;
    this.finish(error ?? (done ? undefined : {kind: 'disconnected', message: `${this.context.origin} ended the stream without data: [DONE].`}));
  }

  onFailure(error: RequestError): void {
    if (this.finished) return;
    if (this.errorBody !== undefined) this.finish(this.httpError());
    // The stream had already said all it had to say; how the connection ended afterwards does not matter.
    else if (this.reader.done || this.reader.error !== undefined) this.finish(this.reader.error);
    else this.finish(error);
  }

  /** Events reach the caller until the request ends; nothing is delivered after an abort. */
  private readonly deliver = (event: StreamEvent): void => {
    if (!this.finished) this.onEvent(event);
  };

  private collectErrorBody(bytes: Buffer): void {
    if (this.errorBodyBytes >= MAX_ERROR_BODY_BYTES) return;
    // A copy: the bytes are the socket's read buffer, reused by the next read.
    this.errorBody!.push(Buffer.from(bytes));
    this.errorBodyBytes += bytes.length;
  }

  private httpError(): RequestError {
    return httpStatusError(this.status, Buffer.concat(this.errorBody!).toString('utf8'));
  }

  /** Destroys the connection, so the server sees the client go away and frees the request's resources. */
  private readonly cancel = (): void => {
    this.failAndCancel({kind: 'aborted', message: CANCELLED});
  };

  private failAndCancel(error: RequestError): void {
    if (this.finished) return;
    this.finish(error);
    this.cancelExchange?.();
  }

  private finish(error: RequestError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.signal?.removeEventListener('abort', this.cancel);
    const {usage, finishReason} = this.reader;
    this.resolveResult({usage, finishReason, error});
  }
}
