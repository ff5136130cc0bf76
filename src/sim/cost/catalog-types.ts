// Shapes of the shipped catalogs (profiles/*.json) and of --catalog files. The JSON Schemas in schemas/ are the
// authority; these types mirror them so validated data can be used without casts.

import type {Dtype} from '../types.js';

/** Roofline efficiencies and fixed costs of one GPU (or overrides of them); see docs/simulator.md. */
export interface EfficiencyParameters {
  mfu: number;
  attentionEfficiency: number;
  mbu: number;
  linkEfficiency: number;
  allReduceLatencySeconds: number;
  stepOverheadSeconds: number;
  perSequenceStepSeconds: number;
  activationReserveGiB: number;
}

export type GpuGeneration = 'ampere' | 'ada' | 'hopper' | 'blackwell';

export interface AcceleratorEntry {
  sku: string;
  name: string;
  generation: GpuGeneration;
  memoryGB: number;
  driverMemoryMiB: number;
  hbmBandwidthTBps: number;
  bf16Tflops: number;
  fp8Tflops: number | null;
  link: {kind: 'nvlink' | 'pcie'; gbps: number};
  calibrated: boolean;
  efficiency: EfficiencyParameters;
}

export interface ModelEntry {
  id: string;
  params: number;
  activeParams: number;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  maxContext: number;
  weightDtype: Dtype;
  tieWordEmbeddings: boolean;
  moe?: {experts: number; activeExperts: number};
}

export interface AcceleratorCatalogFile {
  accelerators: AcceleratorEntry[];
}

export interface ModelCatalogFile {
  models: ModelEntry[];
}

export interface CustomCatalogFile {
  accelerators?: unknown[];
  models?: unknown[];
}
