import {type ItlModel, parseItlModel, parseTtftModel, type TtftModel} from '../fit/index.js';
import type {PointSet, Profile, ProfileDecodePoint, ProfilePrefillPoint} from '../profile/artifact.js';
import type {ProfileReportInput, ReportExtra} from './types.js';

/** The report's input resolved: points in hand, fits parsed, decode points split at max_num_seqs. */
export interface ReportData {
  profile: Profile;
  prefill: ProfilePrefillPoint[];
  /** Decode points the ITL fit can describe: concurrency within max_num_seqs (all of them when it is unknown). */
  batched: ProfileDecodePoint[];
  /** Decode points above max_num_seqs: vLLM queued the excess, so the fit leaves them out (see fitItl). */
  queued: ProfileDecodePoint[];
  /** Every decode context, shortest first: a context keeps its style (colour, symbol, dash) across the plots. */
  contexts: number[];
  ttft?: TtftModel;
  itl?: ItlModel;
  /** GPUs per engine for per-GPU throughput; 1 when unknown (`gpusKnown` false), which the report says. */
  gpus: number;
  gpusKnown: boolean;
  extra: ReportExtra;
}

export function reportData(input: ProfileReportInput): ReportData {
  const {profile} = input;
  const points = input.points ?? inlinePoints(profile);
  const maxNumSeqs = profile.engine.maxNumSeqs ?? Infinity;
  const ttft = input.prefillModel ?? (profile.fits?.prefill && parseTtftModel(profile.fits.prefill, 'profile.json fits.prefill'));
  const itl = input.decodeModel ?? (profile.fits?.decode && parseItlModel(profile.fits.decode, 'profile.json fits.decode'));
  const gpus = profile.engine.gpusPerEngine;
  return {
    profile,
    prefill: points.prefill,
    batched: points.decode.filter((point) => point.concurrency <= maxNumSeqs),
    queued: points.decode.filter((point) => point.concurrency > maxNumSeqs),
    contexts: [...new Set(points.decode.map((point) => point.context))].sort((a, b) => a - b),
    ...(ttft && {ttft}),
    ...(itl && {itl}),
    gpus: gpus ?? 1,
    gpusKnown: gpus !== null,
    extra: input.extra ?? {},
  };
}

function inlinePoints(profile: Profile): PointSet {
  if ('rawFile' in profile.points) {
    throw new Error(`The profile keeps its points in ${profile.points.rawFile}: read them with profilePoints and pass them as points.`);
  }
  return profile.points;
}
