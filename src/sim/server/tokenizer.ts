import {fnv1a, mix32} from '../../util/hash.js';

/**
 * A deterministic stand-in for a real tokenizer. English BPE vocabularies average about four characters per
 * token, so letters are cut into pieces of up to four, digits into groups of up to three, every other visible
 * character is its own token, and white space rides on the piece after it (as in GPT/Llama vocabularies).
 * It is exposed through POST /tokenize, so a client can build prompts of exact token lengths.
 */
const PIECE = /\s*(?:[A-Za-z]{1,4}|\d{1,3}|[^\sA-Za-z\d])|\s+/gu;

export function tokenize(text: string, vocabSize: number, into: number[] = []): number[] {
  for (const match of text.matchAll(PIECE)) into.push(fnv1a(match[0]) % vocabSize);
  return into;
}

export interface ChatMessage {
  role: string;
  content: string;
}

// Llama-3 style framing: <|begin_of_text|>, then per message a header (start, role, end, "\n\n") and an
// end-of-turn token, then the assistant header that prompts the reply. Special tokens get small fixed ids.
const BEGIN_OF_TEXT = 1;
const START_HEADER = 2;
const END_HEADER = 3;
const HEADER_NEWLINES = 4;
const END_OF_TURN = 5;

export function tokenizeChat(messages: readonly ChatMessage[], vocabSize: number, addGenerationPrompt = true): number[] {
  const ids: number[] = [BEGIN_OF_TEXT];
  for (const message of messages) {
    ids.push(START_HEADER);
    tokenize(message.role, vocabSize, ids).push(END_HEADER, HEADER_NEWLINES);
    tokenize(message.content, vocabSize, ids).push(END_OF_TURN);
  }
  if (addGenerationPrompt) {
    ids.push(START_HEADER);
    tokenize('assistant', vocabSize, ids).push(END_HEADER, HEADER_NEWLINES);
  }
  return ids;
}

/** Chained hashes of each full block of `blockSize` token ids, as vLLM's prefix cache keys blocks. */
export function blockHashes(tokenIds: readonly number[], blockSize: number): number[] {
  const hashes: number[] = [];
  let parent = 0;
  for (let start = 0; start + blockSize <= tokenIds.length; start += blockSize) {
    let hash = parent;
    for (let i = start; i < start + blockSize; i++) hash = mix32(hash, tokenIds[i]!);
    hashes.push(hash);
    parent = hash;
  }
  return hashes;
}
