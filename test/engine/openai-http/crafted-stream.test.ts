import {afterEach, describe, expect, it} from 'vitest';
import {OpenAiHttpClient, type OpenAiHttpClientOptions} from '../../../src/engine/openai-http/index.js';
import {collect, isMonotonic} from './collect.js';
import {chatChunk, completionChunk, type CraftedServer, DONE, type Script, SSE_HEADERS, selfSignedCertificate, startCraftedServer, usageChunk} from './crafted-server.js';

let server: CraftedServer | undefined;
let client: OpenAiHttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function serve(script: Script | ((index: number) => Script | undefined), options: Partial<OpenAiHttpClientOptions> = {}): Promise<OpenAiHttpClient> {
  let count = 0;
  server = await startCraftedServer(() => (typeof script === 'function' ? script(count++) : script));
  client = new OpenAiHttpClient({baseUrl: server.url, api: 'completions', model: 'm', ...options});
  return client;
}

const MS = 1_000_000n;

describe('OpenAiHttpClient on crafted streams', () => {
  it('reassembles events split mid-prefix and mid-JSON, several per write, with comments and CRLF', async () => {
    const first = completionChunk('Hel');
    const second = completionChunk('lo');
    const crlf = completionChunk(' there').replace(/\n/g, '\r\n');
    await serve({steps: [
      ': ping\n\n',
      first.slice(0, 3), {pauseMs: 30}, first.slice(3, 40), {pauseMs: 30}, first.slice(40),
      second + crlf,
      completionChunk('!', 'length'), usageChunk(3, 4), DONE,
    ]});
    const {events, contents, result} = await collect(client!);
    expect(contents.map((event) => event.text)).toEqual(['Hel', 'lo', ' there', '!']);
    expect(result).toMatchObject({usage: {promptTokens: 3, completionTokens: 4}, finishReason: 'length', error: undefined});
    expect(events.map((event) => event.type)).toEqual(['response', 'content', 'content', 'content', 'content', 'chunk']);
    // Two events in one write arrived together; the first event waited for its last piece, two pauses after the
    // first (timers may fire a few ms early, so the bound is one pause and a half).
    expect(contents[1]!.t).toBe(contents[2]!.t);
    expect(contents[0]!.t - events[0]!.t).toBeGreaterThanOrEqual(45n * MS);
    expect(isMonotonic(events)).toBe(true);
  });

  it('reports the same texts whether chunks take the template shortcut or not, across reads and split characters', async () => {
    const texts = Array.from({length: 40}, (_, index) => [' plain', ' é', '"q"', 'a\\b', '\n', ' 漢字', ''][index % 7]! + index);
    const events = texts.map((text) => completionChunk(text));
    // Event 22 is cut inside the two bytes of its 'é': the first half ends one read, the second starts the next.
    const split = Buffer.from(events[22]!);
    const splitAt = split.indexOf(Buffer.from('é')) + 1;
    await serve({steps: [
      ...events.slice(0, 10), {together: [...events.slice(10, 22), split.subarray(0, splitAt)]},
      {pauseMs: 10}, split.subarray(splitAt),
      {together: events.slice(23)}, completionChunk('', 'length'), DONE,
    ]});
    const {contents, result} = await collect(client!);
    expect(result.error).toBeUndefined();
    expect(contents.map((event) => event.text)).toEqual(texts);
  });

  it('catches a malformed chunk shaped like the ones before it', async () => {
    await serve({steps: [{together: [completionChunk('a'), completionChunk('b'), completionChunk('c').replace('"c"', '"bad \\x"'), completionChunk('d')]}, DONE]});
    const {contents, result} = await collect(client!);
    expect(contents.map((event) => event.text)).toEqual(['a', 'b']);
    expect(result.error?.kind).toBe('malformed_stream');
  });

  it('gives every event out of one network read the same arrival time, even across HTTP chunks', async () => {
    await serve({steps: [{together: [completionChunk('a'), completionChunk('b'), completionChunk('c')]}, {pauseMs: 30}, completionChunk('d'), DONE]});
    const {contents} = await collect(client!);
    expect(contents.map((event) => event.text)).toEqual(['a', 'b', 'c', 'd']);
    expect(new Set(contents.slice(0, 3).map((event) => event.t)).size).toBe(1);
    expect(contents[3]!.t - contents[2]!.t).toBeGreaterThanOrEqual(20n * MS);
  });

  it('counts chat content and reasoning as output and a role-only delta as a plain chunk', async () => {
    await serve({steps: [
      chatChunk({role: 'assistant', content: ''}), chatChunk({reasoning_content: 'think'}), chatChunk({reasoning: 'more'}),
      chatChunk({content: 'answer'}), chatChunk({}, 'stop'), DONE,
    ]}, {api: 'chat'});
    const {events, result} = await collect(client!);
    expect(events.map((event) => (event.type === 'content' ? `${event.text}:${event.reasoning}` : event.type))).toEqual(
      ['response', 'chunk', 'think:true', 'more:true', 'answer:false', 'chunk']);
    // No usage chunk: not an error, and the count is left to the caller.
    expect(result).toEqual({usage: undefined, finishReason: 'stop', error: undefined});
  });

  it('reports an in-band error under HTTP 200 and keeps the events before it', async () => {
    await serve({steps: [completionChunk('a'), completionChunk('b'), `data: ${JSON.stringify({error: {message: 'engine died', type: 'InternalServerError', code: 500}})}\n\n`, DONE]});
    const {contents, result} = await collect(client!);
    expect(contents.map((event) => event.text)).toEqual(['a', 'b']);
    expect(result.error).toEqual({kind: 'in_band_error', message: 'engine died', status: 500});
  });

  it('reports unparseable JSON as a malformed stream, keeping the events before it', async () => {
    await serve({steps: [completionChunk('a'), 'data: {"choices": [\n\n', completionChunk('b'), DONE]});
    const {contents, result} = await collect(client!);
    expect(contents.map((event) => event.text)).toEqual(['a']);
    expect(result.error?.kind).toBe('malformed_stream');
  });

  it('reports a stream that ends, cleanly or by a cut connection, before [DONE] as disconnected', async () => {
    await serve((index) => ({steps: index === 0 ? [completionChunk('a')] : [completionChunk('a'), {pauseMs: 10}, 'destroy']}));
    for (let attempt = 0; attempt < 2; attempt++) {
      const {contents, result} = await collect(client!);
      expect(contents).toHaveLength(1);
      expect(result.error?.kind).toBe('disconnected');
    }
  });

  it('accepts a final [DONE] without its closing blank line', async () => {
    await serve({steps: [completionChunk('a'), 'data: [DONE]']});
    const {contents, result} = await collect(client!);
    expect(contents).toHaveLength(1);
    expect(result.error).toBeUndefined();
  });

  it('classifies HTTP errors by status, with the message from the JSON body', async () => {
    const responses: Script[] = [
      {status: 429, headers: {'content-type': 'application/json'}, steps: [JSON.stringify({error: {message: 'Too many requests, slow down', code: 429}})]},
      {status: 400, headers: {'content-type': 'application/json'}, steps: [JSON.stringify({object: 'error', message: 'max_tokens is too large', code: 400})]},
      {status: 502, headers: {'content-type': 'text/plain'}, steps: ['Bad gateway']},
    ];
    await serve((index) => responses[index]);
    const errors = [];
    for (let index = 0; index < responses.length; index++) {
      const {events, result} = await collect(client!);
      expect(events.map((event) => event.type)).toEqual(['response']);
      errors.push(result.error);
    }
    expect(errors).toEqual([
      {kind: 'http_429', status: 429, message: 'HTTP 429: Too many requests, slow down'},
      {kind: 'http_4xx', status: 400, message: 'HTTP 400: max_tokens is too large'},
      {kind: 'http_5xx', status: 502, message: 'HTTP 502: Bad gateway'},
    ]);
  });

  it('reports a JSON answer to a streaming request as a malformed stream', async () => {
    await serve({headers: {'content-type': 'application/json'}, steps: ['{"choices": []}']});
    expect((await collect(client!)).result.error?.kind).toBe('malformed_stream');
  });

  it('ends a stream that goes quiet for longer than the stall timeout as stalled', async () => {
    await serve({steps: [completionChunk('a'), {pauseMs: 2_000}, completionChunk('b'), DONE]}, {stallTimeoutMs: 300});
    const started = performance.now();
    const {contents, result} = await collect(client!);
    expect(contents).toHaveLength(1);
    expect(result.error?.kind).toBe('stalled');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('gives up on a server that sends no response headers within the request timeout', async () => {
    await serve(() => undefined, {requestTimeoutMs: 300});
    const {events, result} = await collect(client!);
    expect(events).toEqual([]);
    expect(result.error?.kind).toBe('stalled');
    expect(result.error?.message).toMatch(/No response .* within 300 ms/);
  });

  it('sends the request body vLLM bench sends, with extraBody merged, and the auth and custom headers', async () => {
    await serve({steps: [DONE]}, {apiKey: 'sk-test', headers: {'x-request-id': 'r1'}});
    await collect(client!, {prompt: 'p', promptTokenIds: [1, 2, 3], maxTokens: 7, minTokens: 2, ignoreEos: true, extraBody: {temperature: 0, stream: false, stream_options: {continuous_usage_stats: true}}});
    const request = server!.received[0]!;
    expect(request.url).toBe('/v1/completions');
    expect(request.headers).toMatchObject({authorization: 'Bearer sk-test', 'x-request-id': 'r1', 'content-type': 'application/json'});
    expect(JSON.parse(request.body)).toEqual({
      model: 'm', prompt: [1, 2, 3], max_tokens: 7, min_tokens: 2, ignore_eos: true, temperature: 0,
      stream: true, stream_options: {continuous_usage_stats: true, include_usage: true},
    });
  });

  it('sends chat requests with the prompt as the user message and both max-token fields, under a /v1 base URL', async () => {
    server = await startCraftedServer(() => ({steps: [DONE]}));
    client = new OpenAiHttpClient({baseUrl: `${server.url}/v1/`, api: 'chat', model: 'm'});
    await collect(client, {prompt: 'hi', maxTokens: 5});
    const request = server.received[0]!;
    expect(request.url).toBe('/v1/chat/completions');
    expect(JSON.parse(request.body)).toEqual({
      model: 'm', messages: [{role: 'user', content: 'hi'}], max_completion_tokens: 5, max_tokens: 5, stream: true, stream_options: {include_usage: true},
    });
  });

  it('keeps connections alive: back-to-back requests reuse one', async () => {
    await serve({steps: [completionChunk('a'), DONE]});
    for (let request = 0; request < 6; request++) await collect(client!);
    // A connection is back in the pool before its request's promise settles, so the next request finds it free.
    expect(server!.received).toHaveLength(6);
    expect(new Set(server!.received.map((request) => request.remotePort)).size).toBe(1);
  });

  it('opens a connection per concurrent request, with no hidden cap', async () => {
    const concurrency = 300;
    // The server answers nobody until every request has arrived: a capped pool would never get there.
    let arrived = 0;
    let allArrived!: () => void;
    const everyone = new Promise<void>((resolve) => (allArrived = resolve));
    await serve(() => {
      if (++arrived === concurrency) allArrived();
      return {steps: [{until: everyone}, completionChunk('a'), DONE]};
    });
    const runs = await Promise.all(Array.from({length: concurrency}, () => collect(client!)));
    expect(runs.every((run) => run.result.error === undefined && run.contents.length === 1)).toBe(true);
    expect(new Set(server!.received.map((request) => request.remotePort)).size).toBe(concurrency);
  });

  it('cancels a request mid-stream: the result says aborted and the server sees the client leave', async () => {
    await serve({steps: [completionChunk('a'), completionChunk('b'), {pauseMs: 5_000}, DONE]});
    const controller = new AbortController();
    const {contents, result} = await collect(client!, {}, controller.signal, (event, events) => {
      if (events.filter((seen) => seen.type === 'content').length === 2) controller.abort();
    });
    expect(contents).toHaveLength(2);
    expect(result.error?.kind).toBe('aborted');
    await server!.received[0]!.clientGone;
  });

  it('resolves at once for a signal that is already aborted, sending nothing', async () => {
    await serve({steps: [DONE]});
    const {events, result} = await collect(client!, {}, AbortSignal.abort());
    expect(events).toEqual([]);
    expect(result.error?.kind).toBe('aborted');
    expect(server!.received).toHaveLength(0);
  });

  it('streams over HTTPS from a self-signed server only when told to accept its certificate', async () => {
    server = await startCraftedServer(() => ({steps: [completionChunk('secure'), DONE]}), selfSignedCertificate());
    const strict = new OpenAiHttpClient({baseUrl: server.url, api: 'completions', model: 'm'});
    const refused = await collect(strict);
    await strict.close();
    expect(refused.result.error?.kind).toBe('other');
    expect(refused.result.error?.message).toMatch(/certificate/i);
    client = new OpenAiHttpClient({baseUrl: server.url, api: 'completions', model: 'm', insecureTls: true});
    const {contents, result} = await collect(client);
    expect(result.error).toBeUndefined();
    expect(contents.map((event) => event.text)).toEqual(['secure']);
  });
});
