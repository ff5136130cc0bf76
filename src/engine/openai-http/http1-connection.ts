// One keep-alive HTTP/1.1 connection carrying one streamed exchange at a time, straight on a node:net or node:tls
// socket: each read is stamped the moment the socket hands it over, then parsed in the same turn, with no stream,
// promise or per-chunk callback in between. This is what undici's per-request machinery cost the client under load.
import {connect as connectTcp, isIP, type Socket} from 'node:net';
import {connect as connectTls} from 'node:tls';
import type {RequestError} from '../types.js';
import {
  connectTimeoutError,
  disconnectedError,
  malformedResponseError,
  requestTimeoutError,
  stallTimeoutError,
  type TransportContext,
  transportError,
} from './errors.js';
import {Http1ResponseParser, type ResponseHandler, type ResponseHead} from './http1-parser.js';

/** Where a connection goes and how long each of its phases may take (ms; 0 disables a limit). */
export interface ConnectionSettings {
  tls: boolean;
  hostname: string;
  port: number;
  /** Accept certificates that do not verify. */
  insecureTls: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  context: TransportContext;
}

/** Whoever sent a request on the connection: it sees the response as it arrives, `t` being the read's arrival. */
export interface ExchangeSink {
  onHead(head: ResponseHead, t: bigint): void;
  /** Body bytes, valid only during the call. */
  onBody(bytes: Buffer, t: bigint): void;
  /** The response ended as framed. */
  onEnd(t: bigint): void;
  /** The exchange failed before the response ended: connection, timeout or malformed HTTP. */
  onFailure(error: RequestError): void;
}

/** The pool a connection reports to. */
export interface ConnectionOwner {
  /** The connection ended a response cleanly and may carry another request. */
  released(connection: Http1Connection): void;
  /** The connection is gone. Called once. */
  closed(connection: Http1Connection): void;
}

const enum Phase {
  Connecting,
  AwaitingHead,
  Body,
  Idle,
  Closed,
}

/** undici's default: an idle connection is dropped before a server with an unstated limit would drop it. */
const DEFAULT_IDLE_MS = 4_000;
/** Margin under a server's stated keep-alive timeout, so a request is never sent as the server closes. */
const IDLE_MARGIN_MS = 1_000;

/**
 * Plain-TCP reads all land in this one buffer: each is parsed, decoded and done with before the callback returns, so
 * reads need no buffer of their own (Node would allocate 64 KiB per read, and the collector would reclaim it).
 */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

export class Http1Connection implements ResponseHandler {
  private readonly socket: Socket;
  private readonly parser = new Http1ResponseParser(this);
  private phase = Phase.Connecting;
  private sink: ExchangeSink | undefined;
  /** When the read being parsed arrived. */
  private arrival = 0n;
  private idleMs = DEFAULT_IDLE_MS;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly owner: ConnectionOwner,
  ) {
    const {hostname, port} = settings;
    if (settings.tls) {
      // SNI takes a host name only; Node warns when given an address.
      const servername = isIP(hostname) === 0 ? hostname : undefined;
      this.socket = connectTls({host: hostname, port, servername, rejectUnauthorized: !settings.insecureTls});
      this.socket.once('secureConnect', this.connected);
      this.socket.on('data', this.read);
    } else {
      this.socket = connectTcp({host: hostname, port, onread: {buffer: sharedReadBuffer, callback: this.readShared}});
      this.socket.once('connect', this.connected);
    }
    this.socket.setNoDelay(true);
    this.socket.setTimeout(settings.connectTimeoutMs);
    this.socket.on('timeout', this.timedOut);
    this.socket.on('error', this.failed);
    this.socket.on('close', this.closed);
  }

  /** Free for a request: idle, and the server has not closed it. */
  get usable(): boolean {
    return this.phase === Phase.Idle && !this.socket.destroyed && this.socket.readable;
  }

  /** Send a request; `request` is its whole text, head and body. */
  send(request: string, sink: ExchangeSink): void {
    this.sink = sink;
    this.parser.expectResponse();
    this.socket.ref();
    // While connecting, the socket queues the write and the request timeout starts once connected.
    if (this.phase !== Phase.Connecting) this.enter(Phase.AwaitingHead);
    this.socket.write(request);
  }

  /** Drop the exchange of `sink`, if this connection still carries it, and the connection with it. */
  abort(sink: ExchangeSink): void {
    if (this.sink !== sink) return;
    this.sink = undefined;
    this.destroy();
  }

  destroy(): void {
    if (this.phase === Phase.Closed) return;
    this.phase = Phase.Closed;
    this.parser.stop();
    this.socket.destroy();
    this.owner.closed(this);
  }

  onHead(head: ResponseHead): void {
    if (head.keepAliveTimeoutMs !== undefined) this.idleMs = Math.min(DEFAULT_IDLE_MS, head.keepAliveTimeoutMs - IDLE_MARGIN_MS);
    this.enter(Phase.Body);
    this.sink?.onHead(head, this.arrival);
  }

  onBody(bytes: Buffer): void {
    this.sink?.onBody(bytes, this.arrival);
  }

  onEnd(reusable: boolean): void {
    const sink = this.sink;
    this.sink = undefined;
    if (reusable && this.idleMs > 0 && this.phase !== Phase.Closed) {
      this.enter(Phase.Idle);
      this.socket.unref();
      this.owner.released(this);
    } else {
      this.destroy();
    }
    sink?.onEnd(this.arrival);
  }

  onMalformed(reason: string): void {
    this.fail(malformedResponseError(this.settings.context, reason));
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    const {requestTimeoutMs, stallTimeoutMs} = this.settings;
    this.socket.setTimeout(phase === Phase.AwaitingHead ? requestTimeoutMs : phase === Phase.Body ? stallTimeoutMs : this.idleMs);
  }

  private fail(error: RequestError): void {
    const sink = this.sink;
    this.sink = undefined;
    this.destroy();
    sink?.onFailure(error);
  }

  private readonly connected = (): void => {
    if (this.phase !== Phase.Connecting) return;
    if (this.sink === undefined) this.enter(Phase.Idle);
    else this.enter(this.parser.busy ? Phase.AwaitingHead : Phase.Idle);
  };

  private readonly readShared = (length: number): boolean => {
    this.read(sharedReadBuffer.subarray(0, length));
    // Keep reading: returning false would pause the socket.
    return true;
  };

  private readonly read = (bytes: Buffer): void => {
    // Stamped before anything else looks at the bytes.
    this.arrival = process.hrtime.bigint();
    // Bytes on an idle connection answer nothing we asked: the connection is out of step.
    if (this.sink === undefined) this.destroy();
    else this.parser.push(bytes);
  };

  private readonly timedOut = (): void => {
    const {context} = this.settings;
    switch (this.phase) {
      case Phase.Connecting:
        return this.fail(connectTimeoutError(context));
      case Phase.AwaitingHead:
        return this.fail(requestTimeoutError(context));
      case Phase.Body:
        return this.fail(stallTimeoutError(context));
      default:
        this.destroy();
    }
  };

  private readonly failed = (error: Error): void => {
    this.fail(transportError(error, this.settings.context));
  };

  private readonly closed = (): void => {
    // A body framed by the connection's close ends here; any other response was cut short.
    if (this.sink !== undefined) this.parser.close();
    this.fail(disconnectedError(this.settings.context));
  };
}
