// The GPU budget (Dynamo's _apply_global_budget, same arithmetic as G1's _apply_global_gpu_budget): when the wanted
// replicas need more GPUs than the budget, shrink both roles in proportion, never below min_endpoint, and give
// nothing at all when even min_endpoint of each does not fit.

/** Prefill and decode replicas clamped to `budget` GPUs; a negative budget means no budget. */
export function clampPairToBudget(prefill: number, decode: number, prefillGpus: number, decodeGpus: number, budget: number, minEndpoint: number): {prefill: number; decode: number} {
  const total = prefill * prefillGpus + decode * decodeGpus;
  if (budget < 0 || total <= budget) return {prefill, decode};
  if (budget < minEndpoint * (prefillGpus + decodeGpus)) return {prefill: 0, decode: 0};
  const scale = budget / total;
  const clampedPrefill = Math.max(minEndpoint, Math.min(Math.floor((budget - minEndpoint * decodeGpus) / prefillGpus), Math.floor(prefill * scale)));
  const clampedDecode = Math.max(minEndpoint, Math.floor((budget - clampedPrefill * prefillGpus) / decodeGpus));
  return {prefill: clampedPrefill, decode: clampedDecode};
}

/** One role's replicas clamped to `budget` GPUs; 0 when min_endpoint replicas do not fit. */
export function clampSingleToBudget(replicas: number, gpusPerReplica: number, budget: number, minEndpoint: number): number {
  if (budget < 0 || replicas * gpusPerReplica <= budget) return replicas;
  if (budget < minEndpoint * gpusPerReplica) return 0;
  return Math.max(minEndpoint, Math.floor(budget / gpusPerReplica));
}
