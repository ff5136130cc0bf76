// The baseline of client-capacity.bench.ts: the least work that still reads a stream, a bare socket that sends a
// request and counts `data: ` markers in the bytes, with no HTTP or SSE parsing and no decoding.
import {connect, type Socket} from 'node:net';

const MARKER = Buffer.from('data: ');

/** One kept-alive connection; `stream()` sends a request and resolves with the markers in its response. */
export class RawStreamReader {
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  private markers = 0;
  private received = 0;
  /** The last bytes of the previous read, to catch a marker split across two reads. */
  private tail: Buffer = Buffer.alloc(0);
  private done: ((markers: number) => void) | undefined;

  constructor(
    port: number,
    private readonly request: Buffer,
    /** Every response has the same length, so a byte count tells where one ends. */
    private readonly responseBytes: number,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve) => this.socket.once('connect', resolve));
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
  }

  async stream(): Promise<number> {
    await this.ready;
    this.markers = 0;
    this.received = 0;
    this.tail = Buffer.alloc(0);
    return new Promise((resolve) => {
      this.done = resolve;
      this.socket.write(this.request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.tail.length > 0) this.markers += count(Buffer.concat([this.tail, chunk.subarray(0, MARKER.length - 1)]));
    this.markers += count(chunk);
    this.tail = chunk.subarray(Math.max(0, chunk.length - (MARKER.length - 1)));
    this.received += chunk.length;
    if (this.received >= this.responseBytes) this.done?.(this.markers);
  }
}

function count(bytes: Buffer): number {
  let found = 0;
  for (let at = bytes.indexOf(MARKER); at !== -1; at = bytes.indexOf(MARKER, at + MARKER.length)) found++;
  return found;
}
