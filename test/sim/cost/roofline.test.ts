import {describe, expect, it} from 'vitest';
import {createStepCostModel, resolveEngineSpec, RooflineStepCost, type EngineSpec} from '../../../src/sim/cost/index.js';
import type {StepShape} from '../../../src/sim/types.js';

const EMPTY: StepShape = {prefillTokens: 0, prefillSeqs: 0, prefillAttention: 0, prefillKvTokens: 0, decodeSeqs: 0, decodeKvTokens: 0};

function prefill(tokens: number, offset = 0): StepShape {
  return {...EMPTY, prefillTokens: tokens, prefillSeqs: 1, prefillAttention: tokens * (offset + tokens / 2), prefillKvTokens: offset};
}

function decode(seqs: number, context: number): StepShape {
  return {...EMPTY, decodeSeqs: seqs, decodeKvTokens: seqs * context};
}

const BASES: Record<string, StepShape> = {
  'long prefill': prefill(8192),
  'decode batch': decode(64, 4096),
  mixed: {...prefill(2048, 4096), decodeSeqs: 32, decodeKvTokens: 32 * 2000},
};

// Each field is raised where it dominates something, so the step must get strictly slower.
const STRICT_CASES: [keyof StepShape, StepShape, number][] = [
  ['prefillTokens', prefill(4096), 1024],
  ['prefillSeqs', prefill(4096), 1],
  ['prefillAttention', prefill(8192), 8192 * 4096],
  ['prefillKvTokens', decode(64, 4096), 100_000],
  ['decodeSeqs', decode(64, 4096), 8],
  ['decodeKvTokens', decode(64, 4096), 100_000],
];

const FP8_LLAMA_ON_H200 = {model: 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu: 'h200_sxm', tp: 1};
const ENGINES = [
  FP8_LLAMA_ON_H200,
  {model: 'Qwen/Qwen3-30B-A3B', gpu: 'h100_sxm', tp: 2},
  {model: 'Qwen/Qwen3-8B', gpu: 'a100_sxm', tp: 1},
  {model: 'Qwen/Qwen3-0.6B', gpu: 'l4', tp: 1},
];

describe('RooflineStepCost', () => {
  it('costs nothing for an empty step (no forward pass runs)', () => {
    const cost = createStepCostModel(resolveEngineSpec(FP8_LLAMA_ON_H200));
    expect(cost.stepSeconds(EMPTY)).toBe(0);
  });

  describe.each(ENGINES)('$model on $gpu TP $tp', (engine) => {
    const cost = createStepCostModel(resolveEngineSpec(engine));

    it.each(Object.entries(BASES))('never gets faster when any field of a %s step grows', (_name, base) => {
      const before = cost.stepSeconds(base);
      for (const field of Object.keys(EMPTY) as (keyof StepShape)[]) {
        expect(cost.stepSeconds({...base, [field]: base[field] + Math.max(1, base[field])}), field).toBeGreaterThanOrEqual(before);
      }
    });

    it.each(STRICT_CASES)('gets strictly slower when %s grows where it matters', (field, base, delta) => {
      expect(cost.stepSeconds({...base, [field]: base[field] + delta})).toBeGreaterThan(cost.stepSeconds(base));
    });
  });

  it('speeds a large prefill up with TP, though by less than the TP factor', () => {
    const model = 'meta-llama/Llama-3.1-70B-Instruct';
    const [tp4, tp8] = [4, 8].map((tp) => createStepCostModel(resolveEngineSpec({model, gpu: 'h100_sxm', tp})).stepSeconds(prefill(8192)));
    expect(tp8).toBeLessThan(tp4 ?? 0);
    expect(tp8).toBeGreaterThan((tp4 ?? 0) / 2);
    const fp8 = 'nvidia/Llama-3.1-8B-Instruct-FP8';
    const [tp1, tp2] = [1, 2].map((tp) => createStepCostModel(resolveEngineSpec({model: fp8, gpu: 'h100_sxm', tp})).stepSeconds(prefill(8192)));
    expect(tp2).toBeLessThan(tp1 ?? 0);
  });

  it('adds two all-reduces per layer when TP > 1: a fixed latency each plus a share that grows with tokens', () => {
    const spec = resolveEngineSpec({model: 'Qwen/Qwen3-8B', gpu: 'l40s', tp: 2});
    const withoutLatency = withEfficiency(spec, {allReduceLatencySeconds: 0});
    const shape = prefill(4096);
    const latencyShare = createStepCostModel(spec).stepSeconds(shape) - withoutLatency.stepSeconds(shape);
    expect(latencyShare).toBeCloseTo(2 * spec.model.layers * spec.efficiency.allReduceLatencySeconds, 12);
    // Ring all-reduce at TP 2 moves the whole payload (tokens x hidden x 2 bytes) once per direction.
    const fastLink = withEfficiency(spec, {linkEfficiency: 1});
    const slowLink = withEfficiency(spec, {linkEfficiency: 0.5});
    const oneDirection = (spec.accelerator.link.gbps / 2) * 1e9;
    const payloadSeconds = (2 * spec.model.layers * 4096 * spec.model.hidden * 2) / oneDirection;
    expect(slowLink.stepSeconds(shape) - fastLink.stepSeconds(shape)).toBeCloseTo(payloadSeconds, 9);
  });

  it('has no all-reduce term at TP 1', () => {
    const spec = resolveEngineSpec({model: 'Qwen/Qwen3-8B', gpu: 'l40s', tp: 1});
    const shape = prefill(4096);
    expect(withEfficiency(spec, {linkEfficiency: 0.01, allReduceLatencySeconds: 1}).stepSeconds(shape)).toBe(createStepCostModel(spec).stepSeconds(shape));
  });

  it('reads more MoE experts as the batch grows, while a dense model streams the same weights', () => {
    const moe = createStepCostModel(resolveEngineSpec({model: 'Qwen/Qwen3-30B-A3B', gpu: 'h100_sxm', tp: 1}));
    const dense = createStepCostModel(resolveEngineSpec({model: 'Qwen/Qwen3-32B', gpu: 'h100_sxm', tp: 1, maxModelLen: 8192}));
    expect(moe.stepSeconds(decode(16, 100)) / moe.stepSeconds(decode(1, 100))).toBeGreaterThan(3);
    expect(dense.stepSeconds(decode(16, 100)) / dense.stepSeconds(decode(1, 100))).toBeLessThan(1.1);
    // Past 16 tokens all 128 experts are touched already: only per-token costs remain.
    expect(moe.stepSeconds(decode(32, 100)) / moe.stepSeconds(decode(16, 100))).toBeLessThan(1.1);
  });

  it('uses FP8 tensor cores for FP8 weights only where the GPU has them', () => {
    const big = prefill(8192);
    const h100 = (model: string) => createStepCostModel(resolveEngineSpec({model, gpu: 'h100_sxm', tp: 1})).stepSeconds(big);
    const a100 = (model: string) => createStepCostModel(resolveEngineSpec({model, gpu: 'a100_sxm', tp: 1})).stepSeconds(big);
    expect(h100('nvidia/Llama-3.1-8B-Instruct-FP8')).toBeLessThan(0.8 * h100('meta-llama/Llama-3.1-8B-Instruct'));
    expect(a100('nvidia/Llama-3.1-8B-Instruct-FP8')).toBeCloseTo(a100('meta-llama/Llama-3.1-8B-Instruct'), 3);
  });

  it('evaluates a step in well under a microsecond on average', () => {
    const cost = createStepCostModel(resolveEngineSpec({model: 'Qwen/Qwen3-30B-A3B', gpu: 'h100_sxm', tp: 2}));
    const shape = {...BASES.mixed} as StepShape;
    let sink = 0;
    const start = performance.now();
    for (let i = 0; i < 200_000; i++) {
      shape.decodeSeqs = i & 255;
      sink += cost.stepSeconds(shape);
    }
    expect(sink).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(200);
  });
});

function withEfficiency(spec: EngineSpec, overrides: Partial<EngineSpec['efficiency']>): RooflineStepCost {
  return new RooflineStepCost({...spec, efficiency: {...spec.efficiency, ...overrides}});
}
