// Prompt and output lengths of synthetic requests, fixed or drawn from a range as vLLM's random dataset does
// (--random-range-ratio r: uniform integers in [floor(len * (1 - r)), ceil(len * (1 + r))]).
import {badInput} from '../errors/errors.js';
import {mix32, seededRandom} from '../util/hash.js';
import type {PlannedRequest} from './schedule.js';

export interface LengthSpec {
  /** Mean prompt length, tokens. */
  isl: number;
  /** Mean output length, tokens. */
  osl: number;
  /** 0 (the default) for fixed lengths; r in [0, 1) spreads both lengths uniformly over len * (1 +- r). */
  rangeRatio?: number;
}

export interface RequestLengths {
  isl: number;
  osl: number;
}

/**
 * Lengths of request `index`, a pure function of (seed, index): the same request gets the same lengths however
 * many requests are planned, which closed loops (whose count is not known up front) rely on.
 */
export function lengthSampler(spec: LengthSpec, seed: number): (index: number) => RequestLengths {
  const ratio = spec.rangeRatio ?? 0;
  for (const [name, value] of [['isl', spec.isl], ['osl', spec.osl]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw badInput(`The ${name === 'isl' ? 'input' : 'output'} length must be a positive integer, got ${value}.`, 'Give a length in tokens, e.g. 1024.', 'E_BAD_LOAD');
    }
  }
  if (!(ratio >= 0 && ratio < 1)) {
    throw badInput(`The range ratio must be in [0, 1), got ${ratio}.`, 'Use 0 for fixed lengths, or e.g. 0.1 for lengths within 10% of the mean.', 'E_BAD_LOAD');
  }
  const inputRange = lengthRange(spec.isl, ratio);
  const outputRange = lengthRange(spec.osl, ratio);
  return (index) => {
    const random = seededRandom(mix32(seed, index));
    return {isl: uniformInt(random, inputRange), osl: uniformInt(random, outputRange)};
  };
}

/** Attach lengths to send times, giving the schedule of an open-loop load. */
export function withLengths(sendTimes: readonly number[], lengths: (index: number) => RequestLengths): PlannedRequest[] {
  return sendTimes.map((sendAtS, index) => ({index, sendAtS, ...lengths(index)}));
}

function lengthRange(mean: number, ratio: number): [number, number] {
  return [Math.max(1, Math.floor(mean * (1 - ratio))), Math.ceil(mean * (1 + ratio))];
}

function uniformInt(random: () => number, [low, high]: [number, number]): number {
  return low + Math.floor(random() * (high - low + 1));
}
