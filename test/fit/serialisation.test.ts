import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../src/errors/errors.js';
import {
  fitItl,
  fitTtft,
  ITL_FORM_NAMES,
  itlAt,
  parseItlModel,
  parseTtftModel,
  TTFT_FORM_NAMES,
  ttftAt,
} from '../../src/fit/index.js';
import {H200_MAX_NUM_SEQS, h200DecodePoints, h200PrefillPoints} from './h200-profile.js';
import {decodePoints, prefillPoints, SWEEP_BATCHES, SWEEP_CONTEXTS} from './synthetic.js';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function exitCodeOf(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DynamoPlanError) return error.exitCode;
    throw error;
  }
  return undefined;
}

describe('stored models', () => {
  it('a TTFT model read back from JSON predicts exactly as the fitted one', () => {
    const {model} = fitTtft(h200PrefillPoints());
    const stored = parseTtftModel(roundTrip(model), 'profile.json#/fits/prefill');
    expect(stored).toEqual(model);
    for (let isl = 1; isl <= 32768; isl += 97) expect(ttftAt(stored, isl)).toBe(ttftAt(model, isl));
  });

  it('the chunked TTFT form keeps its chunk size through JSON', () => {
    const {model} = fitTtft(prefillPoints((isl) => 10 + 0.014 * isl + 4e-7 * isl ** 2 + 3 * Math.ceil(isl / 2048)), {maxNumBatchedTokens: 2048});
    const stored = parseTtftModel(roundTrip(model), 'test');
    expect(stored.maxNumBatchedTokens).toBe(2048);
    for (const isl of [2048, 2049, 4096, 4097, 9000]) expect(ttftAt(stored, isl)).toBe(ttftAt(model, isl));
  });

  it('an ITL model read back from JSON predicts exactly as the fitted one', () => {
    const {model} = fitItl(h200DecodePoints(), {maxNumSeqs: H200_MAX_NUM_SEQS});
    const stored = parseItlModel(roundTrip(model), 'test');
    for (const ctx of SWEEP_CONTEXTS) for (const n of SWEEP_BATCHES) expect(itlAt(stored, n, ctx)).toBe(itlAt(model, n, ctx));
  });

  it('is exactly the documented JSON shape', () => {
    const {model} = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx));
    expect(Object.keys(model)).toEqual(['form', 'features', 'coefficients', 'quality']);
    expect(Object.keys(model.quality)).toEqual(['r2', 'mape', 'maxApe', 'cvMape', 'cvMaxApe', 'points']);
  });

  it('refuses a model of the other kind, features that are not its form\'s, and a chunked form without its chunk size', () => {
    const {model} = fitTtft(h200PrefillPoints());
    expect(exitCodeOf(() => parseItlModel(roundTrip(model), 'test'))).toBe(3);
    expect(() => parseTtftModel({...model, features: ['1', 'isl', 'isl^3']}, 'profile.json')).toThrow(
      'profile.json: a ttft-quadratic model has features [1, isl, isl^2] with one coefficient each, not [1, isl, isl^3] with 3.',
    );
    expect(exitCodeOf(() => parseTtftModel({...model, coefficients: [1, 2]}, 'test'))).toBe(3);
    expect(() => parseTtftModel({...model, form: 'ttft-quadratic-chunked', features: [...model.features, 'ceil(isl/maxNumBatchedTokens)'], coefficients: [...model.coefficients, 1]}, 'test')).toThrow(/maxNumBatchedTokens/);
    expect(() => parseTtftModel({...model, extra: 1}, 'test')).toThrow(/additional properties/);
  });

  it('the schema lists exactly the forms the code knows', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/fitted-model.schema.json', import.meta.url), 'utf8')) as {properties: {form: {enum: string[]}}};
    expect(schema.properties.form.enum).toEqual([...TTFT_FORM_NAMES, ...ITL_FORM_NAMES]);
  });
});
