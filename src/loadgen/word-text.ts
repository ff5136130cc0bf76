// Deterministic filler text, one short word per token: the prompt builder picks how many words, this file says
// which. A prompt is the first K words of a word sequence: segments shared with other requests (a common prefix,
// or Mooncake's 512-token blocks), then a tail that never ends, so a prompt grows or shrinks only at its end.
import {mix32} from '../util/hash.js';

// At most four letters with a leading space: one token in common BPE vocabularies and exactly one in the
// simulator's tokenizer (letters cut into pieces of up to four, whitespace riding on the next piece).
const WORDS = [
  ' time', ' year', ' work', ' day', ' life', ' hand', ' part', ' city', ' home', ' game', ' team', ' book', ' word',
  ' line', ' name', ' food', ' road', ' tree', ' fire', ' wind', ' rain', ' snow', ' star', ' moon', ' lake', ' hill',
  ' ship', ' door', ' room', ' wall', ' king', ' idea', ' plan', ' rule', ' test', ' data', ' code', ' file', ' list',
  ' note', ' song', ' film', ' art', ' car', ' bus', ' map', ' sun', ' sea', ' key', ' box', ' cup', ' bed', ' dog',
  ' cat', ' egg', ' oil', ' red', ' blue', ' gold', ' new', ' old', ' big', ' low', ' fast',
] as const;

/** A run of `words` words drawn from the stream seeded `seed`. */
export interface Segment {
  seed: number;
  words: number;
}

export interface WordSequence {
  /** Leading segments, each possibly shared with other prompts. */
  segments: readonly Segment[];
  /** The stream that continues after the segments, for as long as needed. */
  tailSeed: number;
}

/** Word `position` of the stream seeded `seed`. */
function word(seed: number, position: number): string {
  return WORDS[mix32(seed, position) % WORDS.length]!;
}

function streamText(seed: number, words: number): string {
  const parts = new Array<string>(words);
  for (let i = 0; i < words; i++) parts[i] = word(seed, i);
  return parts.join('');
}

/** Renders word sequences, remembering the texts of whole shared segments, which many prompts repeat. */
export class WordTexts {
  readonly #segments = new Map<string, string>();

  /** `capacity` bounds the memory: 4096 blocks of 512 words is about 10 MB. */
  constructor(private readonly capacity = 4096) {}

  /** The first `count` words of `sequence`. */
  text(sequence: WordSequence, count: number): string {
    const parts: string[] = [];
    let left = count;
    for (const segment of sequence.segments) {
      if (left === 0) break;
      const words = Math.min(left, segment.words);
      parts.push(words === segment.words ? this.#segment(segment) : streamText(segment.seed, words));
      left -= words;
    }
    if (left > 0) parts.push(streamText(sequence.tailSeed, left));
    return parts.join('');
  }

  #segment({seed, words}: Segment): string {
    const key = `${seed}:${words}`;
    let text = this.#segments.get(key);
    if (text === undefined) {
      text = streamText(seed, words);
      if (this.#segments.size >= this.capacity) this.#segments.delete(this.#segments.keys().next().value!);
    } else {
      // Re-inserting moves the entry to the back of the Map's order, so the oldest unused entry goes first.
      this.#segments.delete(key);
    }
    this.#segments.set(key, text);
    return text;
  }
}
