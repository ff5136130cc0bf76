// An incremental HTTP/1.1 response parser (RFC 9112) for one connection: the status line and headers, then the body
// framed by chunked transfer coding, by Content-Length, or by the connection's close. It keeps only what a streaming
// client needs from the head and hands the body over once per network read, however many HTTP chunks the read holds:
// vLLM sends one chunk per event, so a read under load holds hundreds.
//
// The body of a read is compacted in place, over the chunk framing, so a read costs no allocation. That requires the
// caller to own the bytes it pushes and to need them no more once push returns (a socket's read buffer qualifies).

const LF = 10;
const CR = 13;
const SEMICOLON = 59;
/** Larger heads are refused, as undici and Node's own client do (Node's default limit is 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk size past 2^53 cannot be counted exactly; no real stream comes near it. */
const MAX_CHUNK_SIZE_DIGITS = 13;

/** What a response's head says, as far as a streaming client acts on it. */
export interface ResponseHead {
  status: number;
  /** The Content-Type value, lower-cased; empty when absent. */
  contentType: string;
  /** The server lets the connection be reused once this response has ended. */
  keepAlive: boolean;
  /** How long the server keeps an idle connection open (`Keep-Alive: timeout=N`), when it says. */
  keepAliveTimeoutMs?: number;
}

export interface ResponseHandler {
  /** The head of the final response (interim 1xx responses are skipped). */
  onHead(head: ResponseHead): void;
  /** Body bytes; valid only during the call. */
  onBody(bytes: Buffer): void;
  /** The body ended as its framing says; `reusable`: the connection may carry another request. */
  onEnd(reusable: boolean): void;
  /** The bytes are not a valid HTTP/1.x response; the connection cannot be used any more. */
  onMalformed(reason: string): void;
}

const enum State {
  Head,
  /** Reading a Content-Length body. */
  Fixed,
  /** Reading the hex digits of a chunk size. */
  ChunkSize,
  /** Skipping chunk extensions (or whitespace) up to the end of the size line. */
  ChunkSizeLine,
  ChunkData,
  /** Expecting the line end after a chunk's data. */
  ChunkDataEnd,
  /** Reading trailer lines after the last chunk, up to an empty line. */
  Trailers,
  /** Reading everything until the connection closes. */
  UntilClose,
  Done,
  Failed,
}

export class Http1ResponseParser {
  private state = State.Done;
  /** Head bytes of a head that spans reads (copied: the pushed bytes are not ours to keep). */
  private partialHead: Buffer | undefined;
  private remaining = 0;
  private chunkSizeDigits = 0;
  /** Characters of the current trailer line (0 at a line start). */
  private trailerLineLength = 0;
  private reusable = false;
  /** Push stops at once when the handler gives up on the response (an aborted request). */
  private stopped = false;

  constructor(private readonly handler: ResponseHandler) {}

  /** Whether a response is being read. */
  get busy(): boolean {
    return this.state !== State.Done && this.state !== State.Failed;
  }

  /** Expect the response to a request just sent. */
  expectResponse(): void {
    this.state = State.Head;
    this.partialHead = undefined;
    this.stopped = false;
  }

  /** Stop handing anything over: the rest of the current read and every later one is ignored. */
  stop(): void {
    this.stopped = true;
    this.state = State.Failed;
  }

  push(bytes: Buffer): void {
    if (this.state === State.Done || this.state === State.Failed) {
      // Bytes nobody asked for: the connection is out of step with its requests.
      if (bytes.length > 0 && this.state === State.Done) this.fail('bytes arrived outside any response');
      return;
    }
    let at = 0;
    if (this.state === State.Head) {
      at = this.readHead(bytes);
      if (at === -1 || this.stopped) return;
      // parseHead moved the state on (a response without a body is already done).
      if ((this.state as State) === State.Done) {
        if (at < bytes.length) this.reusable = false;
        this.end();
        return;
      }
    }
    this.readBody(bytes, at);
  }

  /** The connection closed: ends a body framed by the close; any other unfinished response is cut short. */
  close(): void {
    if (this.state === State.UntilClose) {
      this.reusable = false;
      this.end();
    }
  }

  /** Reads head bytes; returns where the body starts in `bytes`, or -1 when the head is not complete yet. */
  private readHead(bytes: Buffer): number {
    let head = bytes;
    /** How many bytes of `head` came from earlier reads. */
    let carried = 0;
    if (this.partialHead !== undefined) {
      carried = this.partialHead.length;
      head = Buffer.concat([this.partialHead, bytes]);
      this.partialHead = undefined;
    }
    let start = 0;
    for (;;) {
      // Rescan a little before the new bytes: the blank line may straddle the boundary.
      const end = headEnd(head, Math.max(start, carried - 3));
      if (end === -1) {
        if (head.length - start > MAX_HEAD_BYTES) this.fail(`a response head longer than ${MAX_HEAD_BYTES} bytes`);
        else if (start < head.length) this.partialHead = Buffer.from(head.subarray(start));
        return -1;
      }
      const interim = this.parseHead(head.toString('latin1', start, end));
      if (this.state === State.Failed) return -1;
      // The head's end always lies in the new bytes: what was carried held no complete head.
      if (!interim) return end - carried;
      // A 1xx response (100 Continue, 103 Early Hints) precedes the real one on the same connection.
      start = end;
    }
  }

  /** Parses one head; returns true for an interim (1xx) response, after which another head follows. */
  private parseHead(text: string): boolean {
    const lines = text.split('\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?:[ \t][^\r]*)?\r?$/.exec(lines[0]!);
    if (statusLine === null) {
      this.fail(`the status line is ${JSON.stringify(lines[0]!.slice(0, 80))}`);
      return false;
    }
    const http10 = statusLine[1] === '0';
    const status = Number(statusLine[2]);
    let contentType = '';
    let contentLength: string | undefined;
    let transferEncoding: string | undefined;
    let connection = '';
    let keepAlive = '';
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index]!.replace(/\r$/, '');
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) {
        this.fail(`a header line is ${JSON.stringify(line.slice(0, 80))}`);
        return false;
      }
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      switch (name) {
        case 'content-type':
          contentType = value.toLowerCase();
          break;
        case 'content-length':
          if (contentLength !== undefined && contentLength !== value) {
            this.fail('it has conflicting Content-Length headers');
            return false;
          }
          contentLength = value;
          break;
        case 'transfer-encoding':
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
          break;
        case 'connection':
          connection = connection === '' ? value.toLowerCase() : `${connection}, ${value.toLowerCase()}`;
          break;
        case 'keep-alive':
          keepAlive = value.toLowerCase();
          break;
      }
    }
    if (status < 200) {
      if (status === 101) this.fail('the server switched protocols unasked');
      return status !== 101;
    }
    const tokens = connection.split(',').map((token) => token.trim());
    this.reusable = http10 ? tokens.includes('keep-alive') : !tokens.includes('close');
    const head: ResponseHead = {status, contentType, keepAlive: this.reusable};
    const timeout = /(?:^|[\s,])timeout=(\d+)/.exec(keepAlive);
    if (timeout !== null) head.keepAliveTimeoutMs = Number(timeout[1]) * 1000;
    this.frame(status, contentLength, transferEncoding);
    if (this.state === State.Failed) return false;
    this.handler.onHead(head);
    return false;
  }

  /** How the body is delimited (RFC 9112 section 6.3). */
  private frame(status: number, contentLength: string | undefined, transferEncoding: string | undefined): void {
    if (status === 204 || status === 304) {
      this.state = State.Done;
      return;
    }
    if (transferEncoding !== undefined) {
      // A message with both is suspect (request smuggling): read it, but never reuse its connection.
      if (contentLength !== undefined) this.reusable = false;
      const codings = transferEncoding.toLowerCase().split(',').map((coding) => coding.trim());
      if (codings.at(-1) === 'chunked') {
        this.state = State.ChunkSize;
        this.remaining = 0;
        this.chunkSizeDigits = 0;
      } else {
        this.state = State.UntilClose;
        this.reusable = false;
      }
      return;
    }
    if (contentLength !== undefined) {
      if (!/^\d{1,15}$/.test(contentLength)) {
        this.fail(`its Content-Length is ${JSON.stringify(contentLength.slice(0, 40))}`);
        return;
      }
      this.remaining = Number(contentLength);
      this.state = this.remaining === 0 ? State.Done : State.Fixed;
      return;
    }
    this.state = State.UntilClose;
    this.reusable = false;
  }

  /** Walks the body framing from `at`, moving the data of every chunk down to `out`, then hands it over at once. */
  private readBody(bytes: Buffer, at: number): void {
    const length = bytes.length;
    const bodyStart = at;
    let out = at;
    while (at < length) {
      switch (this.state) {
        case State.Fixed:
        case State.ChunkData: {
          const take = Math.min(this.remaining, length - at);
          if (out !== at) bytes.copyWithin(out, at, at + take);
          out += take;
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === State.Fixed ? State.Done : State.ChunkDataEnd;
          break;
        }
        case State.ChunkSize: {
          if (this.chunkSizeDigits === 0) {
            // The common case in one step: a whole chunk (size, CRLF, data, CRLF) inside this read. Anything else, a
            // chunk cut by the read's end or an unusual size line, goes byte by byte below.
            let sizeEnd = at;
            let size = 0;
            for (let digit = 0; sizeEnd < length && sizeEnd - at < MAX_CHUNK_SIZE_DIGITS; sizeEnd++) {
              digit = hexValue(bytes[sizeEnd]!);
              if (digit === -1) break;
              size = size * 16 + digit;
            }
            const dataStart = sizeEnd + 2;
            const dataEnd = dataStart + size;
            if (size > 0 && dataEnd + 2 <= length && bytes[sizeEnd] === CR && bytes[sizeEnd + 1] === LF && bytes[dataEnd] === CR && bytes[dataEnd + 1] === LF) {
              if (out !== dataStart) bytes.copyWithin(out, dataStart, dataEnd);
              out += size;
              at = dataEnd + 2;
              break;
            }
          }
          const code = bytes[at]!;
          const digit = hexValue(code);
          if (digit !== -1) {
            if (++this.chunkSizeDigits > MAX_CHUNK_SIZE_DIGITS) return this.fail('a chunk size is too large');
            this.remaining = this.remaining * 16 + digit;
            at++;
          } else if (this.chunkSizeDigits === 0) {
            return this.fail(`a chunk size starts with ${JSON.stringify(String.fromCharCode(code))}`);
          } else if (code === LF) {
            at++;
            this.endChunkSize();
          } else if (code === CR || code === SEMICOLON || code === 32 || code === 9) {
            this.state = State.ChunkSizeLine;
            at++;
          } else {
            return this.fail(`a chunk size is followed by ${JSON.stringify(String.fromCharCode(code))}`);
          }
          break;
        }
        case State.ChunkSizeLine: {
          const lf = bytes.indexOf(LF, at);
          if (lf === -1) {
            at = length;
          } else {
            at = lf + 1;
            this.endChunkSize();
          }
          break;
        }
        case State.ChunkDataEnd: {
          const code = bytes[at]!;
          at++;
          if (code === LF) this.state = State.ChunkSize;
          else if (code !== CR) return this.fail('a chunk is longer than its size');
          this.remaining = 0;
          this.chunkSizeDigits = 0;
          break;
        }
        case State.Trailers: {
          const code = bytes[at]!;
          at++;
          if (code === LF) {
            if (this.trailerLineLength === 0) this.state = State.Done;
            this.trailerLineLength = 0;
          } else if (code !== CR) {
            this.trailerLineLength++;
          }
          break;
        }
        case State.UntilClose: {
          if (out !== at) bytes.copyWithin(out, at, length);
          out += length - at;
          at = length;
          break;
        }
        default: // Done: the rest of the read follows the response
          if (out > bodyStart) this.handler.onBody(bytes.subarray(bodyStart, out));
          if (this.stopped) return;
          this.reusable = false;
          this.end();
          return;
      }
    }
    if (out > bodyStart) this.handler.onBody(bytes.subarray(bodyStart, out));
    if (this.state === State.Done && !this.stopped) this.end();
  }

  private endChunkSize(): void {
    if (this.remaining === 0) {
      this.state = State.Trailers;
      this.trailerLineLength = 0;
    } else {
      this.state = State.ChunkData;
    }
  }

  private end(): void {
    this.state = State.Done;
    this.handler.onEnd(this.reusable);
  }

  private fail(reason: string): void {
    this.state = State.Failed;
    this.partialHead = undefined;
    this.handler.onMalformed(reason);
  }
}

/** The index just past the blank line that ends a head (CRLF CRLF, or bare LFs), searching from `from`; or -1. */
function headEnd(bytes: Buffer, from: number): number {
  for (let lf = bytes.indexOf(LF, from); lf !== -1; lf = bytes.indexOf(LF, lf + 1)) {
    const next = bytes[lf + 1];
    if (next === LF) return lf + 2;
    if (next === CR && bytes[lf + 2] === LF) return lf + 3;
  }
  return -1;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
