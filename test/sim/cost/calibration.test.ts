import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {calibrationMarkdown} from '../../../src/sim/cost/index.js';
import {h200CalibrationReport} from './calibration-fixture.js';

// Acceptance criterion of the cost model: the real Dynamo profile of vLLM serving Llama-3.1-8B-Instruct-FP8 on one
// H200, replayed through the model with the h200_sxm parameters and the dynamo deployment preset.
describe('calibration against the H200 Llama-3.1-8B FP8 profile', () => {
  const report = h200CalibrationReport();

  it('replays all 17 prefill and 41 decode points', () => {
    expect(report.points.filter((p) => p.phase === 'prefill')).toHaveLength(17);
    expect(report.points.filter((p) => p.phase === 'decode')).toHaveLength(41);
    expect(report.points.every((p) => Number.isFinite(p.errorPct))).toBe(true);
  });

  it('puts at least 90% of the points within 20% of the measurement', () => {
    expect(report.shareWithin20Pct).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the median absolute error under 10%', () => {
    expect(report.medianAbsErrorPct).toBeLessThan(10);
  });

  it('computes a KV capacity within 0.5% of the 945029 tokens vLLM reported', () => {
    expect(report.measuredKvTokens).toBe(945_029);
    expect(Math.abs(report.kvCapacityTokens / report.measuredKvTokens - 1)).toBeLessThan(0.005);
  });

  it('matches the table published in docs/simulator.md', () => {
    const docs = readFileSync(new URL('../../../docs/simulator.md', import.meta.url), 'utf8');
    expect(docs).toContain(calibrationMarkdown(report));
  });
});
