// An incremental server-sent-events parser (WHATWG HTML, "Interpreting an event stream") reduced to what OpenAI-style
// streams use: only `data` fields matter, and each complete event is handed over as its data string.
import {isAscii} from 'node:buffer';
import {StringDecoder} from 'node:string_decoder';
import {detach} from './detach.js';

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = 0xfeff;

/**
 * Consumes, at an event boundary, whole events starting at `start` of `text` without line-by-line parsing; returns
 * where they end, or -1 to let the parser read them line by line.
 */
export type EventShortcut = (text: string, start: number) => number;

export class SseParser {
  // Bytes are decoded in stream mode, so a multi-byte character split across two reads survives. StringDecoder does
  // what TextDecoder's stream mode does, at a third of the cost per read.
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder may hold the first bytes of a character cut by the end of the last read. */
  private decoderHolds = false;
  private atStart = true;
  /** The start of a line whose end has not arrived yet. */
  private partialLine = '';
  /** The data of the event being assembled; undefined until its first data line. */
  private data: string | undefined;
  /** The last read ended in CR: if the next one starts with LF, that LF belongs to the same line ending. */
  private pendingCr = false;

  constructor(
    private readonly onData: (data: string) => void,
    private readonly shortcut?: EventShortcut,
  ) {}

  push(bytes: Buffer): void {
    // Most reads are all ASCII: with nothing held over, those decode as Latin-1, a plain copy at half the cost.
    if (!this.decoderHolds && isAscii(bytes)) {
      this.feed(bytes.toString('latin1'));
      return;
    }
    this.feed(this.decoder.write(bytes));
    // After an ASCII byte the decoder holds nothing: it has emitted any character that byte cut short.
    this.decoderHolds = bytes.length > 0 && bytes[bytes.length - 1]! >= 0x80;
  }

  /**
   * The stream ended. Unlike a browser, deliver a last event that lacks its closing blank line: servers that close
   * right after `data: [DONE]` are common, and vLLM's own benchmark client accepts it.
   */
  end(): void {
    this.feed(this.decoder.end());
    if (this.partialLine !== '') {
      this.line(this.partialLine);
      this.partialLine = '';
    }
    this.dispatch();
  }

  private feed(text: string): void {
    const length = text.length;
    if (length === 0) return;
    let start = 0;
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === BOM) start = 1;
    }
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Each search result is reused until the scan passes it, so a read with many lines is scanned once, not once
    // per line; -2 means not searched yet.
    let lf = -2;
    let cr = -2;
    while (start < length) {
      if (this.shortcut !== undefined && this.partialLine === '' && this.data === undefined) {
        const eventEnd = this.shortcut(text, start);
        if (eventEnd !== -1) {
          start = eventEnd;
          continue;
        }
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === length) this.pendingCr = true;
        next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      const piece = text.slice(start, end);
      const line = this.partialLine === '' ? piece : this.partialLine + piece;
      this.partialLine = '';
      this.line(line);
      start = next;
    }
    // What waits for the next read must not pin this read's text.
    if (start < length) this.partialLine = detach(this.partialLine + text.slice(start));
    if (this.data !== undefined) this.data = detach(this.data);
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === COLON) return; // a comment, e.g. a keep-alive ping
    const colon = line.indexOf(':');
    // event, id and retry carry nothing an OpenAI-style stream uses.
    const isData = colon === -1 ? line === 'data' : colon === 4 && line.startsWith('data');
    if (!isData) return;
    let value = '';
    if (colon !== -1) value = line.charCodeAt(colon + 1) === SPACE ? line.slice(colon + 2) : line.slice(colon + 1);
    this.data = this.data === undefined ? value : `${this.data}\n${value}`;
  }

  private dispatch(): void {
    const data = this.data;
    this.data = undefined;
    // The standard drops events whose data is empty.
    if (data !== undefined && data !== '') this.onData(data);
  }
}
