import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {InfeasiblePanel} from '../../src/tui/InfeasiblePanel.js';
import {evaluateSizing} from '../../src/tui/outcome.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const candidates = candidatesOf(H200_8B_FP8);

function infeasible(sizing: ReturnType<typeof input>) {
  const outcome = evaluateSizing(sizing);
  if (outcome.kind !== 'infeasible') throw new Error(`expected infeasible, got ${outcome.kind}`);
  return outcome;
}

describe('InfeasiblePanel', () => {
  it('says INFEASIBLE in words, the best achievable latencies, the target to relax, and why each mode fails', () => {
    const sizing = input(candidates, {sla: {ttftMs: 200, itlMs: 3, percentile: 'p90'}});
    const outcome = infeasible(sizing);
    const lines = render(<InfeasiblePanel input={sizing} outcome={outcome} width={70} />).lastFrame()!.split('\n').map((line) => line.trim());
    expect(lines[0]).toBe('INFEASIBLE: no deployment meets this SLA');
    expect(lines[1]).toBe('Best achievable, unloaded:');
    expect(lines[2]).toMatch(/^TTFT p90 \d+\.\d ms {2}ITL p90 \d\.\d\d ms$/);
    const bestItl = lines[2]!.match(/ITL p90 ([\d.]+) ms/)![1];
    expect(lines[3]).toBe(`To fix: raise ITL p90 above ${bestItl} ms`);
    expect(lines.slice(4)).toEqual(['disagg: no decode config meets the ITL target', 'agg: no aggregated config meets the SLA']);
  });

  it('both targets too tight: both named', () => {
    const sizing = input(candidates, {sla: {ttftMs: 5, itlMs: 1, percentile: 'p90'}});
    const frame = render(<InfeasiblePanel input={sizing} outcome={infeasible(sizing)} width={100} />).lastFrame()!;
    expect(frame).toMatch(/To fix: raise TTFT p90 above [\d.]+ ms; raise ITL p90 above [\d.]+ ms/);
  });

  it('a GPU budget too small for one engine per role: raise max GPUs', () => {
    const sizing = input(candidates, {mode: 'disagg', limits: {minReplicas: 1, maxGpus: 1}});
    const outcome = infeasible(sizing);
    expect(render(<InfeasiblePanel input={sizing} outcome={outcome} width={100} />).lastFrame()).toContain('To fix: raise max GPUs');
  });
});
