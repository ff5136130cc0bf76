// Fits of the real Dynamo profile (Llama-3.1-8B FP8, one H200). Bounds sit just above the measured figures
// (TTFT CV MAPE 3.91%, ITL 3.92%), so a change that makes either fit worse fails here.
import {describe, expect, it} from 'vitest';
import {fitItl, fitTtft, prefillTokensPerSecondPerGpu} from '../../src/fit/index.js';
import {H200_MAX_NUM_SEQS, h200DecodePoints, h200PrefillPoints} from './h200-profile.js';

describe('the H200 Llama-3.1-8B FP8 profile', () => {
  it('fits TTFT with the quadratic form to 4% cross-validated MAPE', () => {
    const {model, candidates} = fitTtft(h200PrefillPoints());
    expect(model.form).toBe('ttft-quadratic');
    expect(model.quality.points).toBe(17);
    expect(model.quality.cvMape).toBeLessThan(4.2);
    expect(model.quality.cvMaxApe).toBeLessThan(19);
    expect(model.quality.mape).toBeLessThan(2.8);
    expect(model.quality.r2).toBeGreaterThan(0.997);
    // The attention term is real: a straight line is off by about 11% on held-out ISLs.
    expect(candidates.find((candidate) => candidate.form === 'ttft-linear')?.quality?.cvMape).toBeGreaterThan(10);
  });

  it('reproduces the profile\'s own prefill throughput per GPU', () => {
    const {model} = fitTtft(h200PrefillPoints());
    // prefill_thpt_per_gpu at ISL 8236 is 48155.5 tokens/s on this single-GPU engine.
    expect(prefillTokensPerSecondPerGpu(model, 8236, 1) / 48155.5).toBeCloseTo(1, 1);
  });

  it('fits ITL with the batch and KV-token form to 4% cross-validated MAPE once batches above max_num_seqs are left out', () => {
    const fit = fitItl(h200DecodePoints(), {maxNumSeqs: H200_MAX_NUM_SEQS});
    expect(fit.excludedPoints).toBe(3);
    expect(fit.model.form).toBe('itl-batch-kv');
    expect(fit.model.quality.points).toBe(38);
    expect(fit.model.quality.cvMape).toBeLessThan(4.2);
    expect(fit.model.quality.cvMaxApe).toBeLessThan(19);
    expect(fit.model.quality.r2).toBeGreaterThan(0.985);
    const [fixed, perSequence, perKvToken] = fit.model.coefficients;
    expect(fixed).toBeGreaterThan(4); // the one-sequence ITL is about 4.4 ms
    expect(perSequence).toBeGreaterThan(0);
    expect(perKvToken).toBeGreaterThan(0);
  });

  it('would fit worse with the queued points in, and rejects the knee forms that bend down over them', () => {
    const fit = fitItl(h200DecodePoints());
    expect(fit.model.quality.cvMape).toBeGreaterThan(7);
    const knees = fit.candidates.filter((candidate) => candidate.form.endsWith('knee'));
    expect(knees.map((candidate) => candidate.rejected)).toEqual([
      expect.stringMatching(/decreases as the batch grows, at n \d+, ctx 350/),
      expect.stringMatching(/decreases as the batch grows, at n \d+, ctx 350/),
    ]);
  });
});
