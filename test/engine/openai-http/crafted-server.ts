// A server that answers with exactly the bytes a test scripts, with pauses between writes, to drive the client
// through stream shapes a real server rarely produces.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * One step of a scripted response: text or bytes to write (one HTTP chunk per write), a list of writes corked into one TCP
 * segment, a pause, waiting for something, or cutting the connection.
 */
export type Step = string | Buffer | {together: (string | Buffer)[]} | {pauseMs: number} | {until: Promise<unknown>} | 'destroy';

export interface Script {
  status?: number;
  headers?: Record<string, string>;
  steps: Step[];
  /** Leave the response open after the last step. */
  keepOpen?: boolean;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number;
  /** Resolves when the client goes away before the response was ended. */
  clientGone: Promise<void>;
}

export interface CraftedServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export const SSE_HEADERS = {'content-type': 'text/event-stream; charset=utf-8'};

export async function startCraftedServer(respond: (request: ReceivedRequest) => Script | undefined, tls?: {key: string; cert: string}): Promise<CraftedServer> {
  const received: ReceivedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const clientGone = new Promise<void>((resolve) => res.on('close', () => !res.writableEnded && resolve()));
      const request = {method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0, clientGone};
      received.push(request);
      const script = respond(request);
      // No script: never answer (a server that hangs before its headers).
      if (script) void play(res, script);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function play(res: ServerResponse, script: Script): Promise<void> {
  res.writeHead(script.status ?? 200, script.headers ?? SSE_HEADERS);
  res.flushHeaders();
  for (const step of script.steps) {
    if (res.destroyed) return;
    if (step === 'destroy') {
      res.socket?.destroy();
      return;
    }
    if (typeof step === 'string' || Buffer.isBuffer(step)) res.write(step);
    else if ('together' in step) {
      res.cork();
      for (const part of step.together) res.write(part);
      res.uncork();
    } else if ('until' in step) await step.until;
    else await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
  }
  if (!script.keepOpen) res.end();
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export function selfSignedCertificate(): {key: string; cert: string} {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {stdio: 'ignore'});
    return {key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8')};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** `data: <json>` events as vLLM formats them. */
export function completionChunk(text: string, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({id: 'cmpl-1', object: 'text_completion', created: 1, model: 'm', choices: [{index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null}], usage: null})}\n\n`;
}

export function chatChunk(delta: Record<string, string>, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{index: 0, delta, logprobs: null, finish_reason: finishReason}]})}\n\n`;
}

export function usageChunk(promptTokens: number, completionTokens: number): string {
  return `data: ${JSON.stringify({id: 'cmpl-1', object: 'text_completion', created: 1, model: 'm', choices: [], usage: {prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens, completion_tokens: completionTokens}})}\n\n`;
}

export const DONE = 'data: [DONE]\n\n';
