import {describe, expect, it} from 'vitest';
import {Http1ResponseParser, type ResponseHead} from '../../../src/engine/openai-http/http1-parser.js';
import {seededRandom} from '../../../src/util/hash.js';

interface Parsed {
  heads: ResponseHead[];
  body: string;
  /** How many onBody calls: one per pushed read at most. */
  bodyCalls: number;
  ended?: {reusable: boolean};
  malformed?: string;
}

function parserFor(): {parser: Http1ResponseParser; parsed: Parsed} {
  const parsed: Parsed = {heads: [], body: '', bodyCalls: 0, ended: undefined, malformed: undefined};
  const parser = new Http1ResponseParser({
    onHead: (head) => parsed.heads.push(head),
    onBody: (bytes) => {
      parsed.body += bytes.toString('latin1');
      parsed.bodyCalls++;
    },
    onEnd: (reusable) => (parsed.ended = {reusable}),
    onMalformed: (reason) => (parsed.malformed = reason),
  });
  parser.expectResponse();
  return {parser, parsed};
}

/** Push `response` cut at the given offsets, each piece in a buffer of its own (the parser rewrites them). */
function parse(response: string, cuts: number[] = []): Parsed {
  const {parser, parsed} = parserFor();
  const bytes = Buffer.from(response, 'latin1');
  const ends = [...cuts, bytes.length];
  let start = 0;
  for (const end of ends) {
    parser.push(Buffer.from(bytes.subarray(start, end)));
    start = end;
  }
  return parsed;
}

function chunked(...payloads: string[]): string {
  return payloads.map((payload) => `${payload.length.toString(16)}\r\n${payload}\r\n`).join('') + '0\r\n\r\n';
}

const SSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
const EVENTS = ['data: {"text":"a"}\n\n', 'data: {"text":"bc"}\n\n', ': ping\n\n', 'data: [DONE]\n\n'];

describe('Http1ResponseParser', () => {
  it('decodes a chunked body the same however the reads cut it, including every single-byte cut', () => {
    const response = SSE_HEAD + chunked(...EVENTS);
    const whole = parse(response);
    expect(whole).toMatchObject({body: EVENTS.join(''), bodyCalls: 1, ended: {reusable: true}, malformed: undefined});
    expect(whole.heads).toEqual([{status: 200, contentType: 'text/event-stream', keepAlive: true}]);
    for (let cut = 1; cut < response.length; cut++) {
      expect(parse(response, [cut])).toMatchObject({body: EVENTS.join(''), ended: {reusable: true}, malformed: undefined});
    }
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const cuts = Array.from({length: 1 + Math.floor(random() * 12)}, () => 1 + Math.floor(random() * (response.length - 1))).sort((a, b) => a - b);
      const parsed = parse(response, [...new Set(cuts)]);
      expect(parsed.body).toBe(EVENTS.join(''));
      expect(parsed.ended).toEqual({reusable: true});
      expect(parsed.heads).toHaveLength(1);
    }
  });

  it('hands over the body once per read, however many chunks the read holds', () => {
    const parsed = parse(SSE_HEAD + chunked(...Array.from({length: 50}, (_, index) => `data: ${index}\n\n`)));
    expect(parsed.bodyCalls).toBe(1);
    expect(parsed.body.split('\n\n')).toHaveLength(51);
  });

  it('accepts chunk extensions, upper-case hex, bare LF line ends and trailers', () => {
    const payload = 'x'.repeat(26);
    const body = `1A;name=value\r\n${payload}\r\n3\n${'abc'}\n0\r\nExpires: never\r\nX-Trailer: 1\r\n\r\n`;
    const parsed = parse(`HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n${body}`);
    expect(parsed).toMatchObject({body: `${payload}abc`, ended: {reusable: true}, malformed: undefined});
  });

  it('reads a Content-Length body, across reads, and a body that ends with the connection', () => {
    const fixed = parse('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 11\r\ncontent-type: application/json\r\n\r\n{"a":"bcd"}', [40, 70]);
    expect(fixed).toMatchObject({body: '{"a":"bcd"}', ended: {reusable: true}});
    expect(fixed.heads[0]).toMatchObject({status: 500, contentType: 'application/json'});

    const {parser, parsed} = parserFor();
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: 1\n\n'));
    parser.push(Buffer.from('data: 2\n\n'));
    expect(parsed.ended).toBeUndefined();
    parser.close();
    expect(parsed).toMatchObject({body: 'data: 1\n\ndata: 2\n\n', ended: {reusable: false}});
  });

  it('ends bodiless responses at once: 204, 304 and Content-Length 0', () => {
    for (const head of ['HTTP/1.1 204 No Content\r\n\r\n', 'HTTP/1.1 304 Not Modified\r\ncontent-length: 99\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']) {
      expect(parse(head)).toMatchObject({body: '', ended: {reusable: true}});
    }
  });

  it('skips interim 1xx responses before the real one, even in the same read', () => {
    const parsed = parse(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${SSE_HEAD}${chunked('data: x\n\n')}`, [10]);
    expect(parsed.heads.map((head) => head.status)).toEqual([200]);
    expect(parsed).toMatchObject({body: 'data: x\n\n', ended: {reusable: true}});
  });

  it('reads keep-alive from Connection and Keep-Alive headers, by HTTP version', () => {
    const head = (text: string) => parse(`${text}\r\ncontent-length: 0\r\n\r\n`);
    expect(head('HTTP/1.1 200 OK\r\nConnection: Close')).toMatchObject({heads: [{keepAlive: false}], ended: {reusable: false}});
    expect(head('HTTP/1.1 200 OK\r\nconnection: upgrade\r\nConnection: close')).toMatchObject({ended: {reusable: false}});
    expect(head('HTTP/1.0 200 OK')).toMatchObject({ended: {reusable: false}});
    expect(head('HTTP/1.0 200 OK\r\nConnection: keep-alive')).toMatchObject({ended: {reusable: true}});
    expect(head('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100').heads[0]).toEqual({status: 200, contentType: '', keepAlive: true, keepAliveTimeoutMs: 5000});
  });

  it('never reuses a connection after a suspect or over-long response', () => {
    // Both framings at once (a smuggling pattern): the chunked framing wins, the connection is not reused.
    expect(parse(`HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('abc')}`)).toMatchObject({body: 'abc', ended: {reusable: false}});
    // Bytes after the end of the response.
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA')).toMatchObject({body: 'ok', ended: {reusable: false}});
    expect(parse(`${SSE_HEAD}${chunked('a')}junk`)).toMatchObject({body: 'a', ended: {reusable: false}});
    // A coding other than chunked last: the body runs to the close.
    const {parser, parsed} = parserFor();
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz'));
    parser.close();
    expect(parsed).toMatchObject({body: 'zz', ended: {reusable: false}});
  });

  it('reports malformed heads and framing, and stops there', () => {
    const cases: [string, RegExp][] = [
      ['SSH-2.0-OpenSSH\r\n\r\n', /status line/],
      ['HTTP/2 200\r\n\r\n', /status line/],
      ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /header line/],
      ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', /header line/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', /conflicting Content-Length/],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /Content-Length/],
      ['HTTP/1.1 101 Switching Protocols\r\n\r\n', /switched protocols/],
      [`${SSE_HEAD}zz\r\nhello\r\n`, /chunk size starts with "z"/],
      [`${SSE_HEAD}3\r\nhello\r\n`, /longer than its size/],
      [`${SSE_HEAD}3x\r\nabc\r\n`, /followed by "x"/],
      [`${SSE_HEAD}${'f'.repeat(14)}\r\n`, /too large/],
    ];
    for (const [response, reason] of cases) {
      const parsed = parse(response);
      expect(parsed.malformed, response).toMatch(reason);
      expect(parsed.ended).toBeUndefined();
    }
    const long = parse(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`, [30_000]);
    expect(long.malformed).toMatch(/head longer than/);
  });

  it('hands over nothing more once stopped, and flags bytes outside any response', () => {
    const parsed: string[] = [];
    const parser: Http1ResponseParser = new Http1ResponseParser({
      onHead: () => parser.stop(),
      onBody: () => parsed.push('body'),
      onEnd: () => parsed.push('end'),
      onMalformed: (reason) => parsed.push(reason),
    });
    parser.expectResponse();
    parser.push(Buffer.from(`${SSE_HEAD}${chunked('abc')}`));
    expect(parsed).toEqual([]);
    expect(parser.busy).toBe(false);

    const idle = parserFor();
    idle.parser.push(Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n`));
    idle.parser.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
    expect(idle.parsed.malformed).toMatch(/outside any response/);
  });
});
