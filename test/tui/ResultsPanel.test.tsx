import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {sizeDeployment} from '../../src/sizing/index.js';
import {ResultsPanel} from '../../src/tui/ResultsPanel.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const candidates = candidatesOf(H200_8B_FP8);
const lines = (frame: string | undefined) => frame!.split('\n').map((line) => line.trimEnd());
const headroom = (predicted: number, target: number) => `${(((target - predicted) / target) * 100).toFixed(0)}% headroom`;

describe('ResultsPanel', () => {
  it('disaggregated: each role with config, replicas x GPUs, what binds, predicted vs target and headroom', () => {
    const result = sizeDeployment(input(candidates, {rate: 50, mode: 'disagg'}));
    const [prefill, decode] = result.roles;
    expect([prefill!.role, decode!.role]).toEqual(['prefill', 'decode']);
    expect(lines(render(<ResultsPanel result={result} width={60} />).lastFrame())).toEqual([
      'Deployment',
      `DISAGG  ${result.total_gpus} GPUs  ${result.throughput_per_gpu.toFixed(0)} tok/s/GPU  max ${result.capacity_rps.toFixed(1)} req/s`,
      `prefill h200_sxm-tp1  ${prefill!.replicas} x 1 GPU  binds: ${prefill!.binding}`,
      `  TTFT p90 ${prefill!.predicted_ttft_ms!.toFixed(0)} ms vs 200 target: ${headroom(prefill!.predicted_ttft_ms!, 200)}`,
      `decode  h200_sxm-tp1  ${decode!.replicas} x 1 GPU  binds: ${decode!.binding}`,
      `  ITL p90 ${decode!.predicted_itl_ms!.toFixed(2)} ms vs 20.0 target: ${headroom(decode!.predicted_itl_ms!, 20)}`,
      'disagg only (mode set); auto compares both',
    ]);
    expect(prefill!.predicted_ttft_ms!).toBeGreaterThan(100);
    expect(decode!.predicted_itl_ms!).toBeLessThan(10);
  });

  it('aggregated: one role with both latencies; the other mode compared', () => {
    const result = sizeDeployment(input(candidates, {rate: 10}));
    expect(result.mode).toBe('agg');
    const alt = result.alternative!;
    const saved = result.advantage!.gpus_saved;
    const frame = lines(render(<ResultsPanel result={result} width={70} />).lastFrame());
    expect(frame[2]).toMatch(/^agg {5}h200_sxm-tp1 {2}\d+ x 1 GPU {2}binds: \S+$/);
    expect(frame[3]).toMatch(/^ {2}TTFT p90 [\d.]+ ms vs 200 target: \d+% headroom$/);
    expect(frame[4]).toMatch(/^ {2}ITL p90 [\d.]+ ms vs 20\.0 target: \d+% headroom$/);
    expect(frame[5]).toBe(`vs disagg: ${alt.total_gpus} GPUs, ${alt.throughput_per_gpu!.toFixed(0)} tok/s/GPU; ${saved > 0 ? `agg saves ${saved}` : 'same GPUs'}`);
  });

  it('says when the GPU budget serves only part of the load', () => {
    const budget = sizeDeployment(input(candidates, {rate: 50, limits: {minReplicas: 1, maxGpus: 3}}));
    expect(budget.load_served_fraction).toBeLessThan(1);
    expect(render(<ResultsPanel result={budget} width={70} />).lastFrame()).toContain(`GPU budget serves ${(budget.load_served_fraction * 100).toFixed(1)}% of the load`);
  });
});
