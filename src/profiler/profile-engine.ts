// Profiles one engine configuration: a coarse sweep, then points where the fits are least certain until they reach
// the target accuracy or the budget runs out; then the fits, the profile artifact and the Dynamo export.
import {join} from 'node:path';
import type {EngineClient} from '../engine/types.js';
import {badInput} from '../errors/errors.js';
import {type DecodePoint, fitItl, fitTtft, type ItlFit, leastCertain, type PrefillPoint, type TtftFit, checkFitQuality} from '../fit/index.js';
import type {PromptBuilder} from '../loadgen/prompts.js';
import type {EngineFacts, PointSet, Profile} from '../profile/artifact.js';
import {saveProfile} from '../profile/artifact.js';
import {exportDynamoProfile} from '../profile/dynamo.js';
import {toolInfo} from '../profile/tool-info.js';
import {writeProfileReport} from '../report/index.js';
import {coarsePlan, decodeCandidates, type EngineLimits, prefillCandidates} from './adaptive-plan.js';
import {pointMeasurer} from './point-measurer.js';
import {type MeasuredPoint, pointKey, type PointSpec} from './points.js';
import {RAW_POINTS_FILE, type RawPointLine, RawPointLog, readRawPoints} from './raw-point-log.js';
import {type MeasurePoint, runSweep, type SweepProgress} from './sweep.js';

export interface ProfileEngineOptions {
  dir: string;
  /** Names the engine configuration in raw.jsonl, so one folder can hold several. */
  config: string;
  client: EngineClient;
  builder: PromptBuilder;
  engine: EngineFacts;
  limits: EngineLimits;
  /** Stop refining once both fits' cross-validated MAPE is at most this (percent). */
  targetErrorPct: number;
  /** Refuse to write a profile whose fit's CV MAPE exceeds this (percent), unless `force`. */
  maxFitErrorPct: number;
  force: boolean;
  maxPoints: number;
  /** Engine time (seconds of measuring) this configuration may use. */
  budgetS: number;
  seed: number;
  /** Engine facts that were assumed rather than discovered or given, reported with the result. */
  notes?: string[];
  /** When max_num_seqs is unknown: what the engine's behaviour during the sweep showed it to be, if anything. */
  inferMaxNumSeqs?: () => number | undefined;
  signal?: AbortSignal;
  onProgress?: (event: ProfileProgress) => void;
}

export type ProfileProgress =
  | ({type: 'point'; config: string} & SweepProgress)
  | {type: 'fit'; config: string; points: number; prefillCvMape: number | null; decodeCvMape: number | null; engineTimeS: number};

export interface EngineProfileResult {
  config: string;
  dir: string;
  engine: EngineFacts;
  points: {prefill: number; decode: number};
  prefill: {form: string; cvMapePct: number; maxErrorPct: number; r2: number} | null;
  decode: {form: string; cvMapePct: number; maxErrorPct: number; r2: number} | null;
  targetErrorPct: number;
  targetReached: boolean;
  engineTimeS: number;
  files: string[];
  /** What was assumed about the engine (facts it does not expose and no flag gave). */
  notes: string[];
}

export async function profileEngine(options: ProfileEngineOptions): Promise<EngineProfileResult> {
  const {config, limits, signal} = options;
  const log = new RawPointLog(options.dir, config);
  const measurePoint = pointMeasurer({client: options.client, builder: options.builder, seed: options.seed, decode: {osl: limits.decodeOsl}});
  let engineTimeS = 0;
  let sweepStarted = 0;
  const spentS = () => engineTimeS + (sweepStarted ? (performance.now() - sweepStarted) / 1000 : 0);
  // The budget caps engine time: no point starts once it is spent, even within the coarse grid.
  const measure: MeasurePoint = (spec, pointSignal) => {
    if (spentS() >= options.budgetS) throw new BudgetSpent();
    return measurePoint(spec, pointSignal);
  };
  const sweep = async (plan: PointSpec[]) => {
    sweepStarted = performance.now();
    try {
      await runSweep({plan, log, measure, signal, onProgress: (progress) => options.onProgress?.({type: 'point', config, ...progress})});
    } catch (error) {
      if (!(error instanceof BudgetSpent)) throw error;
    } finally {
      engineTimeS = spentS();
      sweepStarted = 0;
    }
  };
  try {
    await sweep(coarsePlan(limits));
    let fits = fitAll(log.points(), options);
    options.onProgress?.({type: 'fit', config, points: log.points().length, ...cvErrors(fits), engineTimeS});
    while (!accurateEnough(fits, options.targetErrorPct) && log.points().length < options.maxPoints && spentS() < options.budgetS) {
      const next = nextPoints(fits, log, limits, options.targetErrorPct);
      if (next.length === 0) break;
      await sweep(next);
      fits = fitAll(log.points(), options);
      options.onProgress?.({type: 'fit', config, points: log.points().length, ...cvErrors(fits), engineTimeS});
    }
    const inferred = options.engine.maxNumSeqs === null ? options.inferMaxNumSeqs?.() : undefined;
    if (inferred === undefined) return writeProfile({...options, kvCapacityTokens: limits.kvCapacityTokens}, log.points(), fits, engineTimeS);
    // Points beyond the cap measured a capped batch: refit knowing it, and record how it was learnt.
    const engine = {...options.engine, maxNumSeqs: inferred};
    const notes = [...(options.notes ?? []), `max_num_seqs inferred as ${inferred}: requests queued beside a full batch while the KV cache had room.`];
    return writeProfile({...options, engine, notes, kvCapacityTokens: limits.kvCapacityTokens}, log.points(), fitAll(log.points(), {engine}), engineTimeS);
  } finally {
    log.close();
  }
}

/** Thrown by the measure function once the engine-time budget is spent, to end a sweep between points. */
class BudgetSpent extends Error {}

interface Fits {
  prefill?: TtftFit;
  decode?: ItlFit;
}

function measuredPoints(lines: readonly RawPointLine[]): {prefill: PrefillPoint[]; decode: DecodePoint[]} {
  const points = lines.map((line) => line.point).filter((point: MeasuredPoint) => point.error === null);
  return {
    prefill: points.flatMap((point) => (point.kind === 'prefill' && point.medianMs !== null ? [{isl: point.isl, ttftMs: point.medianMs}] : [])),
    decode: points.flatMap((point) => (point.kind === 'decode' && point.itlMs !== null ? [{concurrency: point.concurrency, context: point.context, itlMs: point.itlMs}] : [])),
  };
}

function fitAll(lines: readonly RawPointLine[], options: {engine: EngineFacts}): Fits {
  const {prefill, decode} = measuredPoints(lines);
  return {
    prefill: prefill.length >= 3 ? fitTtft(prefill, {maxNumBatchedTokens: options.engine.maxNumBatchedTokens ?? undefined}) : undefined,
    decode: decode.length >= 4 ? fitItl(decode, {maxNumSeqs: options.engine.maxNumSeqs ?? undefined}) : undefined,
  };
}

function cvErrors(fits: Fits): {prefillCvMape: number | null; decodeCvMape: number | null} {
  return {prefillCvMape: fits.prefill?.model.quality.cvMape ?? null, decodeCvMape: fits.decode?.model.quality.cvMape ?? null};
}

function accurateEnough(fits: Fits, targetPct: number): boolean {
  return (fits.prefill?.model.quality.cvMape ?? Infinity) <= targetPct && (fits.decode?.model.quality.cvMape ?? Infinity) <= targetPct;
}

/** One new point for each fit that misses the target: where its cross-validation folds disagree most. */
function nextPoints(fits: Fits, log: RawPointLog, limits: EngineLimits, targetPct: number): PointSpec[] {
  const next: PointSpec[] = [];
  if (fits.prefill && fits.prefill.model.quality.cvMape > targetPct) {
    const fresh = prefillCandidates(limits).filter((isl) => !log.has(pointKey({kind: 'prefill', isl})));
    const [best] = leastCertain(fits.prefill, fresh, 1);
    if (best) next.push({kind: 'prefill', isl: best.x});
  }
  if (fits.decode && fits.decode.model.quality.cvMape > targetPct) {
    const fresh = decodeCandidates(limits).filter(({n, ctx}) => !log.has(pointKey({kind: 'decode', concurrency: n, context: ctx})));
    const [best] = leastCertain(fits.decode, fresh, 1);
    if (best) next.push({kind: 'decode', concurrency: best.x.n, context: best.x.ctx});
  }
  return next;
}

/** What writing a profile needs to know besides the points and fits. */
interface ProfileWriteContext {
  dir: string;
  config: string;
  engine: EngineFacts;
  kvCapacityTokens: number;
  targetErrorPct: number;
  maxFitErrorPct: number;
  force: boolean;
  notes?: string[];
}

/**
 * `dynamo-plan fit DIR`: refit the points in DIR/raw.jsonl and rewrite the profile and its Dynamo export, without
 * touching any engine. Engine facts come from the existing DIR/profile.json.
 */
export function refitProfile(options: Omit<ProfileWriteContext, 'engine' | 'kvCapacityTokens' | 'config'> & {engine: EngineFacts; config?: string}): EngineProfileResult {
  const lines = readRawPoints(join(options.dir, RAW_POINTS_FILE)).filter((line) => options.config === undefined || line.config === options.config);
  if (lines.length === 0) throw badInput(`${options.dir} has no measured points to fit.`, 'Run `dynamo-plan profile --out DIR` first.', 'E_NO_POINTS');
  const config = options.config ?? lines[0]!.config;
  const kvCapacityTokens = options.engine.kvCapacityTokens;
  if (!kvCapacityTokens) throw badInput(`${options.dir}/profile.json does not record the KV capacity.`, 'Profile the engine again, passing --kv-capacity.', 'E_ENGINE_FACTS');
  const own = lines.filter((line) => line.config === config);
  return writeProfile({...options, config, kvCapacityTokens}, own, fitAll(own, options), 0);
}

function writeProfile(options: ProfileWriteContext, lines: readonly RawPointLine[], fits: Fits, engineTimeS: number): EngineProfileResult {
  const {engine} = options;
  for (const fit of [fits.prefill, fits.decode]) if (fit) checkFitQuality(fit.model, options.maxFitErrorPct, options.force);
  const gpus = engine.gpusPerEngine ?? 1;
  const points: PointSet = {prefill: [], decode: []};
  for (const {point} of lines) {
    if (point.error !== null) continue;
    if (point.kind === 'prefill' && point.medianMs !== null) points.prefill.push({isl: point.isl, ttftMs: point.medianMs, samples: point.ttftMs.length});
    if (point.kind === 'decode' && point.itlMs !== null) {
      points.decode.push({
        concurrency: point.concurrency,
        context: point.context,
        itlMs: point.itlMs,
        kvUsage: Math.min(1, (point.concurrency * point.context) / options.kvCapacityTokens),
        ...(point.tokensPerSecond === null ? {} : {tokensPerSecondPerGpu: point.tokensPerSecond / gpus}),
      });
    }
  }
  points.prefill.sort((a, b) => a.isl - b.isl);
  points.decode.sort((a, b) => a.context - b.context || a.concurrency - b.concurrency);
  const profile: Profile = {
    schemaVersion: 1,
    engine,
    tool: toolInfo(),
    source: {kind: 'dynamo-plan'},
    points,
    fits: {...(fits.prefill ? {prefill: fits.prefill.model} : {}), ...(fits.decode ? {decode: fits.decode.model} : {})},
  };
  const files = [
    saveProfile(options.dir, profile),
    ...exportDynamoProfile(options.dir, profile),
    writeProfileReport(options.dir, {profile, points, extra: {pointsSpent: lines.length, ...(engineTimeS > 0 ? {engineTimeS} : {})}}),
  ];
  const summary = (fit: TtftFit | ItlFit | undefined) =>
    fit ? {form: fit.model.form, cvMapePct: fit.model.quality.cvMape, maxErrorPct: fit.model.quality.cvMaxApe, r2: fit.model.quality.r2} : null;
  return {
    config: options.config,
    dir: options.dir,
    engine,
    points: {prefill: points.prefill.length, decode: points.decode.length},
    prefill: summary(fits.prefill),
    decode: summary(fits.decode),
    targetErrorPct: options.targetErrorPct,
    targetReached: accurateEnough(fits, options.targetErrorPct),
    engineTimeS,
    files,
    notes: options.notes ?? [],
  };
}
