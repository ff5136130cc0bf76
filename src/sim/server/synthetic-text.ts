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

/** The text of output token `index` of the request seeded `requestSeed`: same inputs, same text. */
export function outputTokenText(requestSeed: number, index: number): string {
  return WORDS[mix32(requestSeed, index) % WORDS.length]!;
}
