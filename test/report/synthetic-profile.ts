// Small profiles built from known latency functions, for checking what the report shows and leaves out.
import {fitItl, fitTtft} from '../../src/fit/index.js';
import type {EngineFacts, PointSet, Profile} from '../../src/profile/artifact.js';
import type {ProfileReportInput} from '../../src/report/index.js';
import {decodePoints, prefillPoints} from '../fit/synthetic.js';

export const UNKNOWN_ENGINE: EngineFacts = {
  model: null,
  backend: 'vllm',
  backendVersion: null,
  accelerator: null,
  tp: null,
  pp: null,
  dp: null,
  gpusPerEngine: null,
  role: null,
  maxNumSeqs: null,
  maxNumBatchedTokens: null,
  kvCapacityTokens: null,
  maxModelLen: null,
};

export function syntheticPoints(noise = 0.03): PointSet {
  return {
    prefill: prefillPoints((isl) => 15 + 0.018 * isl + 4e-7 * isl * isl, noise),
    decode: decodePoints((n, ctx) => 5 + 0.04 * n + 2e-6 * n * ctx, noise),
  };
}

export function syntheticProfile(points: PointSet, engine: Partial<EngineFacts> = {}): Profile {
  return {
    schemaVersion: 1,
    engine: {...UNKNOWN_ENGINE, ...engine},
    tool: {name: 'dynamo-plan', version: '0.1.0', createdAt: '2025-06-01T12:00:00.000Z'},
    source: {kind: 'dynamo-plan'},
    points,
  };
}

/** A profile with both kinds of points and both fits. */
export function fittedSyntheticInput(engine: Partial<EngineFacts> = {}): ProfileReportInput {
  const points = syntheticPoints();
  return {profile: syntheticProfile(points, engine), prefillModel: fitTtft(points.prefill).model, decodeModel: fitItl(points.decode).model};
}
