import type {RequestError} from '../types.js';
import {type ConnectionOwner, type ConnectionSettings, Http1Connection, type ExchangeSink} from './http1-connection.js';

interface Waiter {
  request: string;
  sink: ExchangeSink;
  /** Set once a connection took the request. */
  connection?: Http1Connection;
}

const CLOSED: RequestError = {kind: 'other', message: 'The client is closed.'};

/**
 * Keep-alive HTTP/1.1 connections to one server, one exchange per connection at a time (a streamed response holds
 * its connection). A request takes the connection that was freed last (its socket is the warmest), else a new one:
 * by default there is no limit, so no request ever waits in the client for a connection. With a limit, requests
 * beyond it wait in order.
 */
export class Http1Pool implements ConnectionOwner {
  private readonly idle: Http1Connection[] = [];
  private readonly waiting: Waiter[] = [];
  private open = 0;
  private closing = false;
  private whenClosed: (() => void) | undefined;

  constructor(
    private readonly settings: ConnectionSettings,
    /** Most connections at once; null for no limit. */
    private readonly maxConnections: number | null = null,
  ) {}

  /** Send one request (its whole text); the sink sees the response. Returns what cancels the exchange. */
  send(request: string, sink: ExchangeSink): () => void {
    if (this.closing) {
      sink.onFailure(CLOSED);
      return () => {};
    }
    const connection = this.takeIdle() ?? (this.underLimit() ? this.connect() : undefined);
    if (connection !== undefined) {
      connection.send(request, sink);
      return () => connection.abort(sink);
    }
    const waiter: Waiter = {request, sink};
    this.waiting.push(waiter);
    return () => {
      if (waiter.connection !== undefined) waiter.connection.abort(sink);
      else this.waiting.splice(this.waiting.indexOf(waiter), 1);
    };
  }

  /** Resolves once the requests in flight have ended and every connection is closed. */
  close(): Promise<void> {
    this.closing = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
    if (this.open === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.whenClosed = resolve));
  }

  released(connection: Http1Connection): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) this.serve(waiter, connection);
    else if (this.closing) connection.destroy();
    else this.idle.push(connection);
  }

  closed(connection: Http1Connection): void {
    this.open--;
    const at = this.idle.lastIndexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    const waiter = this.waiting.length > 0 && this.underLimit() ? this.waiting.shift() : undefined;
    if (waiter !== undefined) this.serve(waiter, this.connect());
    else if (this.closing && this.open === 0 && this.waiting.length === 0) this.whenClosed?.();
  }

  private serve(waiter: Waiter, connection: Http1Connection): void {
    waiter.connection = connection;
    connection.send(waiter.request, waiter.sink);
  }

  private takeIdle(): Http1Connection | undefined {
    for (let connection = this.idle.pop(); connection !== undefined; connection = this.idle.pop()) {
      if (connection.usable) return connection;
      connection.destroy();
    }
    return undefined;
  }

  private underLimit(): boolean {
    return this.maxConnections === null || this.open < this.maxConnections;
  }

  private connect(): Http1Connection {
    this.open++;
    return new Http1Connection(this.settings, this);
  }
}
