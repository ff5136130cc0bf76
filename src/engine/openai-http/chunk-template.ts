// Parsing each chunk's JSON is most of a streaming client's work, and the chunks of one stream are nearly all the
// same JSON text except for one string, the token's text. So after a chunk has been parsed in full, the text around
// that string is remembered; a later chunk that is exactly that text around one valid JSON string literal is the same
// object with another text, and needs no JSON.parse. This is exact, not a guess: replacing one string token of a valid
// JSON document by another string token leaves it valid and changes nothing else. Chunks that differ anywhere else
// (the finish reason, per-chunk usage, an error) miss the template and are parsed in full.
//
// The template also matches runs of whole SSE events (`data: ` + chunk + blank line) in the decoded text of a read,
// so the common event costs one string comparison and no line splitting.

import {detach} from './detach.js';

const QUOTE = 34;
const BACKSLASH = 92;
const EVENT_HEAD = 'data: ';
const EVENT_TAIL = '\n\n';

export class ChunkTemplate {
  private prefix = '';
  private suffix = '';
  /** The prefix as the start of an SSE event; undefined when the template spans lines. */
  private eventHead: string | undefined;
  /** The suffix as the end of an SSE event. */
  private eventTail = '';
  /** What lies between the texts of two consecutive matching events: one's tail and the next one's head. */
  private eventJoin = '';
  private learned = false;
  /** Whether the text in the template's slot is reasoning (chat `reasoning`/`reasoning_content`). */
  reasoning = false;

  /** The text of a chunk's JSON if it matches the template, else undefined. */
  match(data: string): string | undefined {
    if (!this.learned) return undefined;
    const literalStart = this.prefix.length;
    const literalEnd = data.length - this.suffix.length;
    // Comparing substrings with === is several times faster in V8 than startsWith/endsWith.
    if (literalEnd - literalStart < 2 || data.substring(0, literalStart) !== this.prefix || data.substring(literalEnd) !== this.suffix) return undefined;
    if (stringLiteralEnd(data, literalStart) !== literalEnd) return undefined;
    return decodeStringLiteral(data, literalStart, literalEnd);
  }

  /**
   * Consume the run of whole events matching the template that starts at `start` of `text`, handing each event's text
   * to `onText`; returns where the run ends, or -1 when no event there matches.
   */
  matchEvents(text: string, start: number, onText: (text: string) => void): number {
    const {eventHead, eventTail, eventJoin} = this;
    if (eventHead === undefined || text.substring(start, start + eventHead.length) !== eventHead) return -1;
    let runEnd = -1;
    let literalStart = start + eventHead.length;
    for (;;) {
      const literalEnd = stringLiteralEnd(text, literalStart);
      if (literalEnd === -1) return runEnd;
      const value = decodeStringLiteral(text, literalStart, literalEnd);
      if (value === undefined) return runEnd;
      // One comparison checks this event's end and the next one's start.
      if (text.substring(literalEnd, literalEnd + eventJoin.length) === eventJoin) {
        onText(value);
        runEnd = literalEnd + eventTail.length;
        literalStart = literalEnd + eventJoin.length;
        continue;
      }
      if (text.substring(literalEnd, literalEnd + eventTail.length) !== eventTail) return runEnd;
      onText(value);
      return literalEnd + eventTail.length;
    }
  }

  /**
   * Learn from a fully parsed chunk whose only output was `text` under the object key `key`. In valid JSON the
   * characters `"key":` can only be that key (a quote inside a string is escaped), so when they occur exactly once
   * and the string after them decodes to `text`, that string is the slot.
   */
  learn(data: string, key: string, text: string, reasoning: boolean): void {
    const needle = `"${key}":`;
    const at = data.indexOf(needle);
    if (at === -1 || data.lastIndexOf(needle) !== at) return;
    let start = at + needle.length;
    while (isJsonWhitespace(data.charCodeAt(start))) start++;
    const literalEnd = stringLiteralEnd(data, start);
    if (literalEnd === -1 || decodeStringLiteral(data, start, literalEnd) !== text) return;
    this.prefix = detach(data.slice(0, start));
    this.suffix = detach(data.slice(literalEnd));
    const multiLine = /[\r\n]/.test(this.prefix) || /[\r\n]/.test(this.suffix);
    this.eventHead = multiLine ? undefined : EVENT_HEAD + this.prefix;
    this.eventTail = this.suffix + EVENT_TAIL;
    this.eventJoin = this.eventTail + EVENT_HEAD + this.prefix;
    this.reasoning = reasoning;
    this.learned = true;
  }
}

/** The index just past the string literal starting at `start` (its first unescaped closing quote), or -1. */
function stringLiteralEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === QUOTE) return index + 1;
  }
  return -1;
}

/** The value of the string literal text[start, end), delimited by stringLiteralEnd; undefined if not valid JSON. */
function decodeStringLiteral(text: string, start: number, end: number): string | undefined {
  for (let index = start + 1; index < end - 1; index++) {
    const code = text.charCodeAt(index);
    // Escapes and control characters are rare: let the JSON parser judge those literals.
    if (code < 0x20 || code === BACKSLASH) return parseStringLiteral(text.slice(start, end));
  }
  return text.slice(start + 1, end - 1);
}

function parseStringLiteral(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isJsonWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
