// Byte and parameter counts derived from a catalog model: what it occupies in memory and what a step streams.

import type {Dtype} from '../types.js';
import type {ModelEntry} from './catalog-types.js';

const DTYPE_BYTES: Readonly<Record<Dtype, number>> = {bf16: 2, fp16: 2, fp8: 1};

// Quantised checkpoints (FP8 and the like) leave the embedding and lm_head matrices in 16-bit.
const EMBEDDING_BYTES = 2;

export function dtypeBytes(dtype: Dtype): number {
  return DTYPE_BYTES[dtype];
}

/** Parameters of the input embedding and lm_head matrices (one shared matrix when tied). */
export function embeddingParams(model: ModelEntry): number {
  return model.vocab * model.hidden * (model.tieWordEmbeddings ? 1 : 2);
}

/** The lm_head projection: applied once per sampled position, not per token. */
export function lmHeadParams(model: ModelEntry): number {
  return model.vocab * model.hidden;
}

/** Linear-layer parameters outside the embeddings, all experts included: the part stored at weightDtype. */
export function bodyParams(model: ModelEntry): number {
  return model.params - embeddingParams(model);
}

/** Linear-layer parameters one token passes through (its routed experts only, for MoE). */
export function activeBodyParams(model: ModelEntry): number {
  return model.activeParams - embeddingParams(model);
}

/**
 * Routed-expert parameters over all layers. A token uses k of E experts, so params - activeParams is the (E-k)/E
 * share of them; deriving it this way needs no assumption about the expert MLP's shape.
 */
export function expertParams(model: ModelEntry): number {
  if (!model.moe) return 0;
  const {experts, activeExperts} = model.moe;
  return ((model.params - model.activeParams) * experts) / (experts - activeExperts);
}

/** Bytes of weights resident on all GPUs together. */
export function weightBytes(model: ModelEntry): number {
  return bodyParams(model) * dtypeBytes(model.weightDtype) + embeddingParams(model) * EMBEDDING_BYTES;
}

/** Bytes of weights read by every step regardless of batch: the non-expert body plus lm_head (the input
 * embedding is a row lookup, so it is not streamed). */
export function denseStreamedWeightBytes(model: ModelEntry): number {
  return (bodyParams(model) - expertParams(model)) * dtypeBytes(model.weightDtype) + lmHeadParams(model) * EMBEDDING_BYTES;
}

export function expertWeightBytes(model: ModelEntry): number {
  return expertParams(model) * dtypeBytes(model.weightDtype);
}

/** vLLM replicates KV heads when TP exceeds their count, so each GPU holds at least one. */
export function kvHeadsPerGpu(model: ModelEntry, tp: number): number {
  return Math.max(1, model.kvHeads / tp);
}

/** K and V of one token on one GPU, all layers. */
export function kvBytesPerTokenPerGpu(model: ModelEntry, tp: number, kvCacheDtype: Dtype): number {
  return 2 * model.layers * kvHeadsPerGpu(model, tp) * model.headDim * dtypeBytes(kvCacheDtype);
}
