// The client's own HTTP/1.1 transport over real sockets: connection reuse and its limits, response framings node:http
// never sends, and what a client must not do (follow redirects, send a broken header).
import {createServer, type Server, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {OpenAiHttpClient, type OpenAiHttpClientOptions} from '../../../src/engine/openai-http/index.js';
import {collect} from './collect.js';
import {completionChunk, type CraftedServer, DONE, SSE_HEADERS, startCraftedServer, usageChunk} from './crafted-server.js';

/** A TCP server that answers each request (read up to its blank line and Content-Length body) with raw bytes. */
interface RawServer {
  url: string;
  /** Remote ports of the connections that carried a request, one entry per request. */
  requests: number[];
  sockets: Socket[];
  close(): Promise<void>;
}

async function startRawServer(answer: (socket: Socket, index: number) => void): Promise<RawServer> {
  const requests: number[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(pending.subarray(0, headEnd).toString())?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) return;
        pending = pending.subarray(headEnd + 4 + length);
        requests.push(socket.remotePort!);
        answer(socket, requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as {port: number}).port}`,
    requests,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const STREAM = completionChunk('a') + completionChunk('b', 'length') + usageChunk(2, 2) + DONE;

let raw: RawServer | undefined;
let crafted: CraftedServer | undefined;
let client: OpenAiHttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await raw?.close();
  await crafted?.close();
  client = raw = crafted = undefined;
});

function clientFor(url: string, options: Partial<OpenAiHttpClientOptions> = {}): OpenAiHttpClient {
  client = new OpenAiHttpClient({baseUrl: url, api: 'completions', model: 'm', ...options});
  return client;
}

describe('the HTTP/1.1 transport', () => {
  it('carries back-to-back requests on one kept-alive connection', async () => {
    crafted = await startCraftedServer(() => ({steps: [STREAM]}));
    clientFor(crafted.url);
    for (let request = 0; request < 5; request++) expect((await collect(client!)).result.error).toBeUndefined();
    expect(new Set(crafted.received.map((request) => request.remotePort)).size).toBe(1);
  });

  it('does not reuse a connection the server closes after its response', async () => {
    crafted = await startCraftedServer(() => ({headers: {...SSE_HEADERS, connection: 'close'}, steps: [STREAM]}));
    clientFor(crafted.url);
    for (let request = 0; request < 3; request++) expect((await collect(client!)).result.error).toBeUndefined();
    expect(new Set(crafted.received.map((request) => request.remotePort)).size).toBe(3);
  });

  it('drops an idle connection the server closed, and sends the next request on a new one', async () => {
    const closed: Promise<void>[] = [];
    raw = await startRawServer((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(STREAM)}\r\n\r\n${STREAM}`);
      closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
    });
    clientFor(raw.url);
    expect((await collect(client!)).result.error).toBeUndefined();
    // The server closed after a response that said nothing about it: the client learns it from the socket.
    await closed[0];
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await collect(client!);
    expect(second.result.error).toBeUndefined();
    expect(second.contents.map((event) => event.text)).toEqual(['a', 'b']);
    expect(new Set(raw.requests).size).toBe(2);
  });

  it('reads event streams framed by Content-Length and by the connection close', async () => {
    raw = await startRawServer((socket, index) => {
      if (index === 0) socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: ${Buffer.byteLength(STREAM)}\r\n\r\n${STREAM}`);
      else socket.end(`HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n${STREAM}`);
    });
    clientFor(raw.url);
    for (let request = 0; request < 2; request++) {
      const {contents, result} = await collect(client!);
      expect(contents.map((event) => event.text)).toEqual(['a', 'b']);
      expect(result).toEqual({usage: {promptTokens: 2, completionTokens: 2}, finishReason: 'length', error: undefined});
    }
    // The Content-Length response left its connection open for the second request.
    expect(new Set(raw.requests).size).toBe(1);
  });

  it('does not keep a connection the server will drop within a second of going idle', async () => {
    raw = await startRawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nKeep-Alive: timeout=1\r\nContent-Length: ${Buffer.byteLength(STREAM)}\r\n\r\n${STREAM}`);
    });
    clientFor(raw.url);
    for (let request = 0; request < 2; request++) expect((await collect(client!)).result.error).toBeUndefined();
    expect(new Set(raw.requests).size).toBe(2);
  });

  it('counts the stall timeout from the last read, not from the start of the response', async () => {
    const steps = Array.from({length: 8}, (_, index) => [completionChunk(String(index)), {pauseMs: 60}]).flat();
    crafted = await startCraftedServer(() => ({steps: [...steps, DONE]}));
    clientFor(crafted.url, {stallTimeoutMs: 250, requestTimeoutMs: 250});
    const {contents, result} = await collect(client!);
    expect(result.error).toBeUndefined();
    expect(contents).toHaveLength(8);
  });

  it('does not follow a redirect: a 3xx is that request\'s answer', async () => {
    crafted = await startCraftedServer(() => ({status: 307, headers: {location: '/elsewhere', 'content-type': 'text/plain'}, steps: ['moved']}));
    clientFor(crafted.url);
    const {events, result} = await collect(client!);
    expect(events.map((event) => event.type)).toEqual(['response']);
    expect(result.error).toEqual({kind: 'other', status: 307, message: 'HTTP 307: moved'});
    expect(crafted.received.map((request) => request.url)).toEqual(['/v1/completions']);
  });

  it('reports a response that is not HTTP as a malformed stream and closes the connection', async () => {
    raw = await startRawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    clientFor(raw.url);
    const {events, result} = await collect(client!);
    expect(events).toEqual([]);
    expect(result.error?.kind).toBe('malformed_stream');
    expect(result.error?.message).toMatch(/malformed HTTP response: the status line/);
    await new Promise<void>((resolve) => (raw!.sockets[0]!.destroyed ? resolve() : raw!.sockets[0]!.on('close', () => resolve())));
  });

  it('reports a chunked body cut mid-chunk as disconnected', async () => {
    const event = completionChunk('a');
    raw = await startRawServer((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${(event.length + 100).toString(16)}\r\n${event}`);
    });
    clientFor(raw.url);
    const {contents, result} = await collect(client!);
    expect(result.error?.kind).toBe('disconnected');
    expect(contents.map((event) => event.text)).toEqual(['a']);
  });

  it('honours a connection limit: requests beyond it wait for a free connection, and a waiting one can be cancelled', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    crafted = await startCraftedServer(() => ({steps: [{until: gate}, STREAM]}));
    clientFor(crafted.url, {connections: 2});
    const controller = new AbortController();
    const runs = Array.from({length: 5}, (_, index) => collect(client!, {}, index === 4 ? controller.signal : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(crafted.received).toHaveLength(2);
    controller.abort();
    release();
    const results = await Promise.all(runs);
    expect(results.map((run) => run.result.error?.kind)).toEqual([undefined, undefined, undefined, undefined, 'aborted']);
    expect(crafted.received).toHaveLength(4);
    expect(new Set(crafted.received.map((request) => request.remotePort)).size).toBe(2);
  });

  it('close() waits for the requests in flight, then refuses new ones', async () => {
    crafted = await startCraftedServer(() => ({steps: [completionChunk('a'), {pauseMs: 50}, DONE]}));
    clientFor(crafted.url);
    const run = collect(client!);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client!.close();
    expect((await run).result.error).toBeUndefined();
    expect((await collect(client!)).result.error).toEqual({kind: 'other', message: 'The client is closed.'});
  });

  it('refuses, when built, a header that would break the request', () => {
    expect(() => clientFor('http://127.0.0.1:1', {headers: {'x-id': 'a\r\nx-injected: 1'}})).toThrow(DynamoPlanError);
    expect(() => clientFor('http://127.0.0.1:1', {headers: {'bad name': 'x'}})).toThrow(/not a valid name/);
    client = undefined;
  });
});
