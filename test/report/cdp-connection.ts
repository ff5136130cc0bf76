// A minimal Chrome DevTools Protocol client over undici's WebSocket (undici is already a dependency, and Node 20 has
// no WebSocket of its own), so driving Chromium needs no browser-automation package.
import {WebSocket} from 'undici';

export type CdpEventListener = (method: string, params: Record<string, unknown>, sessionId?: string) => void;

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: unknown;
  error?: {message: string};
}

export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, {resolve: (result: unknown) => void; reject: (error: Error) => void}>();
  private readonly listeners: CdpEventListener[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as CdpMessage));
    socket.addEventListener('close', () => this.failPending(new Error('The DevTools connection closed.')));
  }

  static open(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(new CdpConnection(socket)), {once: true});
      socket.addEventListener('error', () => reject(new Error(`Cannot connect to ${url}.`)), {once: true});
    });
  }

  /** Send a command (to a page when `sessionId` is given) and resolve with its result. */
  send<Result = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Result> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({id, method, params, ...(sessionId && {sessionId})}));
    return new Promise((resolve, reject) => this.pending.set(id, {resolve: (result) => resolve(result as Result), reject}));
  }

  onEvent(listener: CdpEventListener): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.socket.close();
  }

  private receive(message: CdpMessage): void {
    if (message.id === undefined) {
      for (const listener of this.listeners) listener(message.method!, message.params ?? {}, message.sessionId);
      return;
    }
    const waiter = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(`DevTools: ${message.error.message}`));
    else waiter?.resolve(message.result);
  }

  private failPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
