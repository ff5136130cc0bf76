import {mix32} from '../../util/hash.js';

// Every word is at most four letters with a leading space, so each is exactly one token of our tokenizer and the
// text of an output re-tokenizes to the count reported in `usage.completion_tokens`.
const WORDS = [
  ' the', ' of', ' and', ' to', ' in', ' is', ' that', ' for', ' it', ' as', ' with', ' was', ' on', ' be', ' at',
  ' by', ' this', ' had', ' not', ' are', ' but', ' from', ' or', ' have', ' an', ' they', ' one', ' you', ' were',
  ' her', ' all', ' she', ' when', ' your', ' can', ' said', ' each', ' do', ' how', ' will', ' up', ' out', ' many',
  ' then', ' them', ' so', ' some', ' make', ' like', ' time', ' has', ' look', ' two', ' more', ' go', ' see',
  ' way', ' no', ' than', ' been', ' call', ' who', ' its', ' now', ' find', ' long', ' down', ' day',
] as const;

// Streaming writes one JSON string per token: escape each word once, not once per token.
const WORDS_AS_JSON = WORDS.map((word) => JSON.stringify(word));

/** Which word output token `index` of the request seeded `requestSeed` is: same inputs, same word. */
export function outputWordIndex(requestSeed: number, index: number): number {
  return mix32(requestSeed, index) % WORDS.length;
}

export function outputWord(wordIndex: number): string {
  return WORDS[wordIndex]!;
}

export function outputWordJson(wordIndex: number): string {
  return WORDS_AS_JSON[wordIndex]!;
}
