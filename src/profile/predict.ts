import {badInput} from '../errors/errors.js';
import {decodeTokensPerSecondPerGpu, itlAt, parseItlModel, parseTtftModel, prefillTokensPerSecondPerGpu, ttftAt} from '../fit/index.js';
import {loadProfile, profilePath} from './artifact.js';

export interface PredictQuery {
  isl?: number;
  concurrency?: number;
  context?: number;
}

export interface Prediction {
  profile: string;
  model: string | null;
  accelerator: string | null;
  gpus_per_engine: number;
  isl?: number;
  ttft_ms?: number;
  prefill_tokens_per_s_per_gpu?: number;
  concurrency?: number;
  context?: number;
  itl_ms?: number;
  decode_tokens_per_s_per_gpu?: number;
  /** Queries outside the measured range are extrapolations; each is named here. */
  warnings: string[];
}

/** `dynamo-plan profile predict`: what the profile's fitted models say at the given operating point. */
export function predictFromProfile(dir: string, query: PredictQuery): Prediction {
  const profile = loadProfile(dir);
  const gpus = profile.engine.gpusPerEngine ?? 1;
  const prediction: Prediction = {profile: profilePath(dir), model: profile.engine.model, accelerator: profile.engine.accelerator, gpus_per_engine: gpus, warnings: []};
  const points = 'rawFile' in profile.points ? undefined : profile.points;
  if (query.isl === undefined && query.concurrency === undefined) throw badInput('Nothing to predict.', 'Pass --isl for TTFT, and/or --concurrency with --context for ITL.', 'E_NOTHING_TO_PREDICT');
  if (query.isl !== undefined) {
    if (!profile.fits?.prefill) throw badInput(`${profilePath(dir)} has no prefill fit.`, 'Profile prefill (or run `dynamo-plan fit DIR`) first.', 'E_NO_FIT');
    const model = parseTtftModel(profile.fits.prefill, `${profilePath(dir)} fits.prefill`);
    prediction.isl = query.isl;
    prediction.ttft_ms = ttftAt(model, query.isl);
    prediction.prefill_tokens_per_s_per_gpu = prefillTokensPerSecondPerGpu(model, query.isl, gpus);
    const isls = points?.prefill.map((point) => point.isl) ?? [];
    if (isls.length > 0 && (query.isl < Math.min(...isls) || query.isl > Math.max(...isls))) {
      prediction.warnings.push(`ISL ${query.isl} is outside the measured ${Math.min(...isls)}-${Math.max(...isls)}: extrapolated.`);
    }
  }
  if (query.concurrency !== undefined || query.context !== undefined) {
    if (query.concurrency === undefined || query.context === undefined) throw badInput('ITL needs both --concurrency and --context.', 'Pass both, e.g. --concurrency 64 --context 2048.', 'E_BAD_QUERY');
    if (!profile.fits?.decode) throw badInput(`${profilePath(dir)} has no decode fit.`, 'Profile decode (or run `dynamo-plan fit DIR`) first.', 'E_NO_FIT');
    const model = parseItlModel(profile.fits.decode, `${profilePath(dir)} fits.decode`);
    prediction.concurrency = query.concurrency;
    prediction.context = query.context;
    prediction.itl_ms = itlAt(model, query.concurrency, query.context);
    prediction.decode_tokens_per_s_per_gpu = decodeTokensPerSecondPerGpu(model, query.concurrency, query.context, gpus);
    const decode = points?.decode ?? [];
    if (decode.length > 0 && (query.concurrency > Math.max(...decode.map((point) => point.concurrency)) || query.context > Math.max(...decode.map((point) => point.context)))) {
      prediction.warnings.push(`Concurrency ${query.concurrency} at context ${query.context} is beyond the measured points: extrapolated.`);
    }
  }
  return prediction;
}
