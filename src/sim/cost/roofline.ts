// The step-time model: a roofline per kernel class (weight GEMMs, attention) plus tensor-parallel all-reduces and the
// engine's fixed and per-sequence costs. docs/simulator.md derives each term and shows the calibration.

import type {StepCostModel, StepShape} from '../types.js';
import type {AcceleratorEntry, EfficiencyParameters, ModelEntry} from './catalog-types.js';
import {activeBodyParams, denseStreamedWeightBytes, expertWeightBytes, lmHeadParams} from './model-footprint.js';

export type StepCostInput = {
  model: ModelEntry;
  accelerator: AcceleratorEntry;
  tp: number;
  kvBytesPerTokenPerGpu: number;
  efficiency: EfficiencyParameters;
};

const TERA = 1e12;
const GIGA = 1e9;
const ACTIVATION_BYTES = 2;

/**
 * Every per-GPU constant is folded in at construction so that stepSeconds is a handful of multiply-adds: the
 * scheduler calls it once per simulated step, about 10^5 times per wall second.
 */
export class RooflineStepCost implements StepCostModel {
  private readonly gemmFlopsPerToken: number;
  private readonly gemmFlopsPerSampledRow: number;
  private readonly gemmFlopsPerSecond: number;
  private readonly attentionFlopsPerPair: number;
  private readonly attentionFlopsPerSecond: number;
  private readonly denseWeightBytes: number;
  private readonly expertWeightBytes: number;
  private readonly experts: number;
  private readonly activeExperts: number;
  private readonly kvBytesPerToken: number;
  private readonly bytesPerSecond: number;
  private readonly allReduceSecondsPerStep: number;
  private readonly allReduceSecondsPerToken: number;
  private readonly stepOverheadSeconds: number;
  private readonly perSequenceSeconds: number;

  constructor(input: StepCostInput) {
    const {model, accelerator: gpu, tp, efficiency} = input;
    // FP8 weights use FP8 tensor cores where they exist; elsewhere (A100) vLLM dequantises into BF16 GEMMs.
    const gemmPeakTflops = model.weightDtype === 'fp8' && gpu.fp8Tflops !== null ? gpu.fp8Tflops : gpu.bf16Tflops;
    this.gemmFlopsPerToken = (2 * activeBodyParams(model)) / tp;
    // vLLM computes logits only at the last scheduled position of each sequence.
    this.gemmFlopsPerSampledRow = (2 * lmHeadParams(model)) / tp;
    this.gemmFlopsPerSecond = gemmPeakTflops * TERA * efficiency.mfu;
    // QK^T and PV: 2 FLOPs per multiply-add, 2 matmuls, per layer, per query head, per head dimension.
    this.attentionFlopsPerPair = (4 * model.layers * model.heads * model.headDim) / tp;
    // Attention reads 16-bit activations and (by default) KV, so it runs on BF16 tensor cores even for FP8 weights.
    this.attentionFlopsPerSecond = gpu.bf16Tflops * TERA * efficiency.attentionEfficiency;
    this.denseWeightBytes = denseStreamedWeightBytes(model) / tp;
    this.expertWeightBytes = expertWeightBytes(model) / tp;
    this.experts = model.moe?.experts ?? 1;
    this.activeExperts = model.moe?.activeExperts ?? 1;
    this.kvBytesPerToken = input.kvBytesPerTokenPerGpu;
    this.bytesPerSecond = gpu.hbmBandwidthTBps * TERA * efficiency.mbu;
    // Two all-reduces per layer (after attention and after the MLP). A ring all-reduce moves 2(tp-1)/tp of the
    // payload through each GPU's link in one direction; spec sheets quote both directions together.
    const allReduces = tp > 1 ? 2 * model.layers : 0;
    const linkBytesPerSecond = (gpu.link.gbps / 2) * GIGA * efficiency.linkEfficiency;
    const ringShare = (2 * (tp - 1)) / tp;
    this.allReduceSecondsPerStep = allReduces * efficiency.allReduceLatencySeconds;
    this.allReduceSecondsPerToken = (allReduces * ringShare * model.hidden * ACTIVATION_BYTES) / linkBytesPerSecond;
    this.stepOverheadSeconds = efficiency.stepOverheadSeconds;
    this.perSequenceSeconds = efficiency.perSequenceStepSeconds;
  }

  stepSeconds(shape: StepShape): number {
    const tokens = shape.prefillTokens + shape.decodeSeqs;
    if (tokens <= 0) return 0;
    const sequences = shape.prefillSeqs + shape.decodeSeqs;
    // MoE: each token visits activeExperts experts, so at most activeExperts x tokens distinct experts are read.
    const expertShareRead = Math.min(this.experts, this.activeExperts * tokens) / this.experts;
    const weightBytes = this.denseWeightBytes + this.expertWeightBytes * expertShareRead;
    const gemmFlops = this.gemmFlopsPerToken * tokens + this.gemmFlopsPerSampledRow * sequences;
    const gemmSeconds = Math.max(gemmFlops / this.gemmFlopsPerSecond, weightBytes / this.bytesPerSecond);
    const attentionFlops = this.attentionFlopsPerPair * (shape.prefillAttention + shape.decodeKvTokens);
    // KV read by decode and by prefill chunks over their cached prefix, plus the KV written for every new token.
    const kvBytes = this.kvBytesPerToken * (shape.decodeKvTokens + shape.prefillKvTokens + tokens);
    const attentionSeconds = Math.max(attentionFlops / this.attentionFlopsPerSecond, kvBytes / this.bytesPerSecond);
    return (
      this.stepOverheadSeconds +
      this.perSequenceSeconds * sequences +
      gemmSeconds +
      attentionSeconds +
      this.allReduceSecondsPerStep +
      this.allReduceSecondsPerToken * tokens
    );
  }
}

export function createStepCostModel(spec: StepCostInput): StepCostModel {
  return new RooflineStepCost(spec);
}
