// Prompts of exact token lengths. Without a tokenizer a prompt is one word per wanted token (an estimate); with
// one (the server's /tokenize) the word count is searched until the server counts exactly the target, in few
// round trips: the first guess comes from what earlier prompts measured, later ones from a secant between
// the measured counts, and a last short word settles the case where one more word adds two tokens.
import {fnv1a, mix32} from '../util/hash.js';
import {MOONCAKE_BLOCK_TOKENS} from './schedule.js';
import {type WordSequence, WordTexts} from './word-text.js';

/** How many tokens the target server makes of a text. */
export type TokenCounter = (text: string) => Promise<number>;

export interface PromptBuilderOptions {
  /** The truth about token counts; without it lengths are estimated at one token per word. */
  tokenize?: TokenCounter;
  /** Tokens per hash id block (Mooncake: 512). */
  blockTokens?: number;
  /** Most tokenizer calls per prompt; then the closest prompt found is returned. */
  maxRoundTrips?: number;
}

/** Leading text shared with other requests. Give at most one of the two. */
export interface SharedPrefix {
  /** Requests with the same id start with the same `tokens` words. */
  prefix?: {id: string | number; tokens: number};
  /**
   * Mooncake block ids: requests with the same leading ids start with the same blocks of text. The text then
   * depends on the ids alone, not on the seed, as equal ids mean equal content in a trace.
   */
  hashIds?: readonly number[];
}

export interface BuiltPrompt {
  text: string;
  /** The token count the tokenizer reported (it may miss the target when no word count hits it), or the estimate. */
  tokens: number;
  /** True when no tokenizer was given and `tokens` is the one-token-per-word estimate. */
  estimated: boolean;
}

// Short words of one to four letters, tried in place of the next word when it would overshoot.
const FILLERS = [' a', ' an', ' the', ' that'];
const BLOCK_SALT = 0x9b10c4;
const PREFIX_SALT = 0x7e3f1a;
const BODY_SALT = 0x2d4b8c;

interface Measured {
  words: number;
  tokens: number;
}

/** Builds many prompts against one tokenizer, learning its tokens per word as it goes. */
export class PromptBuilder {
  readonly #texts = new WordTexts();
  readonly #tokenize: TokenCounter | undefined;
  readonly #blockTokens: number;
  readonly #maxRoundTrips: number;
  readonly #fit = new LineFit();

  constructor(options: PromptBuilderOptions = {}) {
    this.#tokenize = options.tokenize;
    this.#blockTokens = options.blockTokens ?? MOONCAKE_BLOCK_TOKENS;
    this.#maxRoundTrips = options.maxRoundTrips ?? 10;
  }

  /**
   * A prompt of `targetTokens` tokens: always the first words of the sequence that the seed and the shared
   * prefix define, so without a tokenizer the same arguments give the same text.
   */
  async build(targetTokens: number, seed: number, shared: SharedPrefix = {}): Promise<BuiltPrompt> {
    if (!Number.isInteger(targetTokens) || targetTokens < 1) throw new RangeError(`prompt length must be a positive integer, got ${targetTokens}`);
    const sequence = this.#sequence(seed, shared);
    if (!this.#tokenize) return {text: this.#texts.text(sequence, targetTokens), tokens: targetTokens, estimated: true};
    return this.#search(targetTokens, sequence, this.#tokenize);
  }

  #sequence(seed: number, {prefix, hashIds}: SharedPrefix): WordSequence {
    if (prefix && hashIds) throw new TypeError('a prompt takes a prefix id or hash ids, not both');
    if (hashIds && hashIds.length > 0) {
      // The last block is usually partial, and any words past the blocks continue it, so they stay shared too.
      const segments = hashIds.slice(0, -1).map((id) => ({seed: mix32(BLOCK_SALT, id), words: this.#blockTokens}));
      return {segments, tailSeed: mix32(BLOCK_SALT, hashIds.at(-1)!)};
    }
    const body = mix32(BODY_SALT, seed);
    if (prefix) return {segments: [{seed: fnv1a(String(prefix.id), PREFIX_SALT), words: prefix.tokens}], tailSeed: body};
    return {segments: [], tailSeed: body};
  }

  async #search(target: number, sequence: WordSequence, tokenize: TokenCounter): Promise<BuiltPrompt> {
    const measured: Measured[] = [];
    let best: {text: string; tokens: number} | undefined;
    let trips = 0;
    const measure = async (text: string): Promise<number> => {
      trips++;
      const tokens = await tokenize(text);
      if (!best || isCloser(tokens, best.tokens, target)) best = {text, tokens};
      return tokens;
    };

    const {slope, intercept} = this.#fit.line();
    let words: number | undefined = Math.max(1, Math.round((target - intercept) / slope));
    while (words !== undefined && trips < this.#maxRoundTrips) {
      const tokens = await measure(this.#texts.text(sequence, words));
      measured.push({words, tokens});
      if (tokens === target) break;
      words = nextWordCount(measured, target, slope);
    }
    const [below, above] = bracket(measured, target);
    if (best!.tokens !== target && below && above && above.words === below.words + 1) {
      const base = this.#texts.text(sequence, below.words);
      for (const filler of FILLERS) {
        if (trips >= this.#maxRoundTrips || (await measure(base + filler)) === target) break;
      }
    }
    const closest = measured.reduce((a, b) => (isCloser(b.tokens, a.tokens, target) ? b : a));
    this.#fit.add(closest.words, closest.tokens);
    return {text: best!.text, tokens: best!.tokens, estimated: false};
  }
}

/**
 * tokens ~ slope * words + intercept, least squares over one point per prompt built so far. Prompts of many
 * lengths pin the slope down far better than two neighbouring word counts of one prompt, whose token counts
 * differ by whole tokens; the intercept absorbs special tokens such as BOS. When the lengths barely vary (a
 * fixed-length workload) the slope is noise, and tokens proportional to words predicts those lengths best.
 */
class LineFit {
  #n = 0;
  #meanWords = 0;
  #meanTokens = 0;
  // Running sums of squared and cross deviations (Welford), free of the cancellation of raw sums of squares.
  #wordsSpread = 0;
  #coSpread = 0;

  add(words: number, tokens: number): void {
    this.#n++;
    const wordsDelta = words - this.#meanWords;
    this.#meanWords += wordsDelta / this.#n;
    this.#meanTokens += (tokens - this.#meanTokens) / this.#n;
    this.#wordsSpread += wordsDelta * (words - this.#meanWords);
    this.#coSpread += wordsDelta * (tokens - this.#meanTokens);
  }

  line(): {slope: number; intercept: number} {
    const variesEnough = this.#wordsSpread / this.#n > (0.1 * this.#meanWords) ** 2;
    const slope = variesEnough ? this.#coSpread / this.#wordsSpread : 0;
    if (slope > 0) return {slope, intercept: this.#meanTokens - slope * this.#meanWords};
    return {slope: this.#n > 0 ? this.#meanTokens / this.#meanWords : 1, intercept: 0};
  }
}

/** One prompt; build many through one PromptBuilder, which learns the tokenizer and caches shared text. */
export function buildPrompt(targetTokens: number, seed: number, options: PromptBuilderOptions & SharedPrefix = {}): Promise<BuiltPrompt> {
  return new PromptBuilder(options).build(targetTokens, seed, options);
}

/** The next word count to measure, or undefined when no untried count can get closer. */
function nextWordCount(measured: readonly Measured[], target: number, learnedSlope: number): number | undefined {
  const [below, above] = bracket(measured, target);
  let next: number;
  if (below && above) {
    if (above.words - below.words <= 1) return undefined;
    const slope = (above.tokens - below.tokens) / (above.words - below.words);
    next = Math.min(above.words - 1, Math.max(below.words + 1, below.words + Math.round((target - below.tokens) / slope)));
  } else {
    const nearest = below ?? above;
    if (!nearest) return undefined;
    const step = Math.round((target - nearest.tokens) / learnedSlope);
    next = Math.max(1, nearest.words + (step === 0 ? Math.sign(target - nearest.tokens) : step));
  }
  return measured.some((m) => m.words === next) ? undefined : next;
}

/** The measurements just under and just over the target (under: most words; over: fewest). */
function bracket(measured: readonly Measured[], target: number): [Measured | undefined, Measured | undefined] {
  let below: Measured | undefined;
  let above: Measured | undefined;
  for (const m of measured) {
    if (m.tokens < target && (!below || m.words > below.words)) below = m;
    if (m.tokens > target && (!above || m.words < above.words)) above = m;
  }
  // A tokenizer that counts more tokens for fewer words gives no usable bracket.
  return below && above && below.words >= above.words ? [undefined, undefined] : [below, above];
}

/** Nearer the target, and on a tie the shorter (a prompt over the target may not fit the context). */
function isCloser(tokens: number, than: number, target: number): boolean {
  const distance = Math.abs(tokens - target);
  const otherDistance = Math.abs(than - target);
  return distance < otherDistance || (distance === otherDistance && tokens < than);
}
