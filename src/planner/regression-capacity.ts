// Engine capacity read off the online step-time regression (Dynamo G2's find_best_engine_*_rps): what the throughput
// loop falls back to for a role no profile covers, once live steps have trained the regression.
import type {DecodeCapacityQuery, EngineCapacities, EngineRate} from './capacity.js';
import {type LinearFit, predictStepTime} from './regression.js';
import type {WorkerCapability} from './tick.js';

/** Dynamo's batch bound when neither the KV cache nor max_num_seqs is known. */
const FALLBACK_MAX_BATCH = 256;

export function capacitiesFromRegression(fits: {prefill?: LinearFit; decode?: LinearFit}, prefillCapability: WorkerCapability | undefined): EngineCapacities {
  const {prefill, decode} = fits;
  return {
    ...(prefill ? {prefill: (isl: number) => prefillRate(prefill, isl, prefillCapability?.max_num_batched_tokens)} : {}),
    ...(decode ? {decode: (query: DecodeCapacityQuery) => decodeRate(decode, query)} : {}),
    source: {...(prefill ? {prefill: 'online regression'} : {}), ...(decode ? {decode: 'online regression'} : {})},
  };
}

/** One prompt's prefill, chunked by max_num_batched_tokens so each pass stays in the regression's range. */
function prefillRate(fit: LinearFit, isl: number, mbt: number | undefined): EngineRate {
  let wallS: number;
  if (mbt && mbt > 0 && isl > mbt) {
    const chunks = Math.ceil(isl / mbt);
    wallS = (chunks - 1) * predictStepTime(fit, [mbt]) + predictStepTime(fit, [isl - (chunks - 1) * mbt]);
  } else {
    wallS = predictStepTime(fit, [isl]);
  }
  return {requestsPerSecond: 1 / wallS, latencyMs: wallS * 1000};
}

/** The largest batch whose step meets the ITL target, binary searched; Little's law turns it into requests/s. */
function decodeRate(fit: LinearFit, query: DecodeCapacityQuery): EngineRate {
  const context = query.isl + query.osl / 2;
  const kvCap = query.maxKvTokens && query.maxKvTokens > 0 ? Math.max(1, Math.floor(query.maxKvTokens / context)) : FALLBACK_MAX_BATCH;
  const maxBatch = Math.max(1, Math.min(kvCap, query.maxNumSeqs && query.maxNumSeqs > 0 ? query.maxNumSeqs : kvCap));
  let best = 1;
  let bestWall = predictStepTime(fit, [1, context]);
  // Even one sequence misses the target: scale on the batch-of-one rate rather than not at all (as Dynamo).
  if (bestWall * 1000 <= query.itlTargetMs) {
    let low = 1;
    let high = maxBatch;
    while (low <= high) {
      const mid = Math.floor((low + high) / 2);
      const wall = predictStepTime(fit, [mid, mid * context]);
      if (wall * 1000 <= query.itlTargetMs) {
        best = mid;
        bestWall = wall;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
  }
  return {requestsPerSecond: best / (query.osl * bestWall), latencyMs: bestWall * 1000};
}
