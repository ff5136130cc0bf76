import {describe, expect, it} from 'vitest';
import {SseParser} from '../../../src/engine/openai-http/sse-parser.js';

/** Feed `pieces` to a parser and return the data of every event, including what end() flushes. */
function parse(pieces: (string | Uint8Array)[]): string[] {
  const events: string[] = [];
  const parser = new SseParser((data) => events.push(data));
  for (const piece of pieces) parser.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
  parser.end();
  return events;
}

/** Every way of cutting `bytes` in two, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const cuts: Uint8Array[][] = [Array.from(bytes, (byte) => Uint8Array.of(byte))];
  for (let at = 0; at <= bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return cuts;
}

const STREAM = [
  ': ping\n',
  'data: {"text":"héllo ✓"}\n\n',
  'event: message\r\nid: 7\r\ndata:{"text":"crlf"}\r\n\r\n',
  'data: {"a":\ndata: 1}\n\n',
  'retry: 100\rdata: [DONE]\r\r',
].join('');
const EXPECTED = ['{"text":"héllo ✓"}', '{"text":"crlf"}', '{"a":\n1}', '[DONE]'];

describe('SseParser', () => {
  it('yields the same events however the bytes are split across reads, multi-byte characters included', () => {
    const bytes = new TextEncoder().encode(STREAM);
    expect(parse([bytes])).toEqual(EXPECTED);
    for (const pieces of splits(bytes)) expect(parse(pieces)).toEqual(EXPECTED);
  });

  it('handles LF, CRLF and lone CR line endings, including a CRLF split between two reads', () => {
    expect(parse(['data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r', '\n\r', '\n'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('skips comments, other fields and events without data, and drops empty data', () => {
    expect(parse([': keep-alive\n\nevent: ping\nid: 1\n\ndata:\n\ndata: x\n\n'])).toEqual(['x']);
  });

  it('joins multi-line data with LF, strips one space after the colon only, and takes "data" without a colon', () => {
    expect(parse(['data:  two spaces\ndata\ndata:tail\n\n'])).toEqual([' two spaces\n\ntail']);
  });

  it('delivers a last event that has no closing blank line when the stream ends', () => {
    expect(parse(['data: 1\n\ndata: [DONE]'])).toEqual(['1', '[DONE]']);
    expect(parse(['data: 1\n\ndata: [DONE]\n'])).toEqual(['1', '[DONE]']);
  });

  it('hands whole events to a shortcut at event boundaries only, in stream order', () => {
    const seen: string[] = [];
    const fast = 'data: fast\n\n';
    const shortcut = (text: string, start: number) => {
      if (text.substring(start, start + fast.length) !== fast) return -1;
      seen.push('shortcut');
      return start + fast.length;
    };
    const parser = new SseParser((data) => seen.push(data), shortcut);
    parser.push(Buffer.from(`${fast}data: slow\n\n${fast}data: fa`));
    // The rest of an event cut by the read boundary is parsed line by line, even though it reads like a fast one.
    parser.push(Buffer.from(`st\n\n${fast}`));
    parser.end();
    expect(seen).toEqual(['shortcut', 'slow', 'shortcut', 'fast', 'shortcut']);
  });

  it('delivers several events from one read in order, and each as soon as its blank line arrives', () => {
    const events: string[] = [];
    const parser = new SseParser((data) => events.push(data));
    parser.push(Buffer.from('data: 1\n\ndata: 2\n\ndata: 3\n'));
    expect(events).toEqual(['1', '2']);
    parser.push(Buffer.from('\n'));
    expect(events).toEqual(['1', '2', '3']);
  });
});
