// Replays a Dynamo profiler measurement (its prefill_raw_data.json / decode_raw_data.json) through the cost model,
// point by point, so docs/simulator.md and the calibration test judge the model on the same table.

import type {StepCostModel, StepShape} from '../types.js';
import type {EngineSpec} from './engine-spec.js';

/** Prefill sweep: one request at a time, TTFT in ms per prompt length. */
export interface PrefillProfile {
  prefill_isl: number[];
  prefill_ttft: number[];
}

/** Decode sweep: mean ITL in ms at a fixed concurrency, given as a share of the engine's KV capacity. */
export interface DecodeProfile {
  x_kv_usage: number[];
  y_context_length: number[];
  z_itl: number[];
  max_kv_tokens: number;
}

/** The engine limits and load shape the profile was measured under. */
export interface ProfileSetup {
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  /** Output tokens per decode request; the profile's context length is isl + osl/2. */
  decodeOsl: number;
}

/** vLLM V1 defaults on an H100/H200-class GPU behind an OpenAI-style server, and the profiler's decode OSL. */
export const DYNAMO_PROFILE_SETUP: ProfileSetup = {maxNumSeqs: 1024, maxNumBatchedTokens: 8192, decodeOsl: 500};

export interface CalibrationPoint {
  phase: 'prefill' | 'decode';
  isl: number;
  /** Decode only: mean context length (isl + osl/2). */
  context?: number;
  /** Decode only: client concurrency; the engine runs at most maxNumSeqs of it. */
  concurrency?: number;
  measuredMs: number;
  simulatedMs: number;
  /** (simulated - measured) / measured, in percent. */
  errorPct: number;
}

export interface CalibrationReport {
  points: CalibrationPoint[];
  shareWithin20Pct: number;
  medianAbsErrorPct: number;
  maxAbsErrorPct: number;
  kvCapacityTokens: number;
  measuredKvTokens: number;
}

export function calibrate(
  spec: EngineSpec,
  cost: StepCostModel,
  prefill: PrefillProfile,
  decode: DecodeProfile,
  setup: ProfileSetup,
): CalibrationReport {
  const prefillPoints = prefill.prefill_isl.map((isl, i) =>
    point('prefill', isl, prefill.prefill_ttft[i], 1000 * simulatedTtftSeconds(spec, cost, isl, setup)),
  );
  const decodePoints = decode.z_itl.map((itl, i) => {
    const context = decode.y_context_length[i] ?? Number.NaN;
    const concurrency = Math.round(((decode.x_kv_usage[i] ?? Number.NaN) * decode.max_kv_tokens) / context);
    const isl = context - setup.decodeOsl / 2;
    const simulatedMs = 1000 * cost.stepSeconds(steadyDecodeStep(spec, isl, context, concurrency, setup));
    return {...point('decode', isl, itl, simulatedMs), context, concurrency};
  });
  const points = [...prefillPoints, ...decodePoints];
  const absErrors = points.map((p) => Math.abs(p.errorPct)).sort((a, b) => a - b);
  return {
    points,
    shareWithin20Pct: absErrors.filter((e) => e <= 20).length / absErrors.length,
    medianAbsErrorPct: median(absErrors),
    maxAbsErrorPct: absErrors[absErrors.length - 1] ?? Number.NaN,
    kvCapacityTokens: spec.kvCapacityTokens,
    measuredKvTokens: decode.max_kv_tokens,
  };
}

/** The request overhead, then one forward pass per chunked-prefill chunk (each with its own step overheads). */
function simulatedTtftSeconds(spec: EngineSpec, cost: StepCostModel, isl: number, setup: ProfileSetup): number {
  let seconds = spec.requestOverheadSeconds;
  for (let offset = 0; offset < isl; offset += setup.maxNumBatchedTokens) {
    const chunk = Math.min(setup.maxNumBatchedTokens, isl - offset);
    seconds += cost.stepSeconds({
      prefillTokens: chunk,
      prefillSeqs: 1,
      prefillAttention: chunk * (offset + chunk / 2),
      prefillKvTokens: offset,
      decodeSeqs: 0,
      decodeKvTokens: 0,
    });
  }
  return seconds;
}

/**
 * The average step of a closed loop at `concurrency`: the engine runs min(concurrency, maxNumSeqs) sequences; each
 * leaves after osl tokens, so running/osl sequences per step are replaced by new ones. The profiler's warm-up used the
 * same prompts, so a newcomer's prompt is a prefix-cache hit except the tokens after its last full block (vLLM
 * always recomputes at least the last prompt token); it still reads the cached prefix's KV.
 */
function steadyDecodeStep(spec: EngineSpec, isl: number, context: number, concurrency: number, setup: ProfileSetup): StepShape {
  const running = Math.min(concurrency, setup.maxNumSeqs);
  const admitted = running / setup.decodeOsl;
  const cached = Math.floor((isl - 1) / spec.blockSize) * spec.blockSize;
  const computed = isl - cached;
  return {
    prefillTokens: admitted * computed,
    prefillSeqs: admitted,
    prefillAttention: admitted * computed * (cached + computed / 2),
    prefillKvTokens: admitted * cached,
    decodeSeqs: running - admitted,
    decodeKvTokens: (running - admitted) * context,
  };
}

function point(phase: CalibrationPoint['phase'], isl: number, measured: number | undefined, simulatedMs: number): CalibrationPoint {
  const measuredMs = measured ?? Number.NaN;
  return {phase, isl, measuredMs, simulatedMs, errorPct: (100 * (simulatedMs - measuredMs)) / measuredMs};
}

function median(sorted: number[]): number {
  const mid = sorted.length / 2;
  const upper = sorted[Math.floor(mid)] ?? Number.NaN;
  return Number.isInteger(mid) ? ((sorted[mid - 1] ?? Number.NaN) + upper) / 2 : upper;
}

/** The side-by-side table and summary pasted into docs/simulator.md. */
export function calibrationMarkdown(report: CalibrationReport): string {
  const rows = report.points.map((p) =>
    [
      p.phase,
      p.isl,
      p.context ?? '',
      p.concurrency ?? '',
      p.measuredMs.toFixed(2),
      p.simulatedMs.toFixed(2),
      `${p.errorPct >= 0 ? '+' : ''}${p.errorPct.toFixed(1)}`,
    ].join(' | '),
  );
  const kvErrorPct = (100 * (report.kvCapacityTokens - report.measuredKvTokens)) / report.measuredKvTokens;
  return [
    '| phase | ISL | context | concurrency | measured ms | simulated ms | error % |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row} |`),
    '',
    `Within 20%: ${report.points.filter((p) => Math.abs(p.errorPct) <= 20).length} of ${report.points.length} points ` +
      `(${(100 * report.shareWithin20Pct).toFixed(1)}%). Median absolute error ${report.medianAbsErrorPct.toFixed(1)}%, ` +
      `largest ${report.maxAbsErrorPct.toFixed(1)}%.`,
    '',
    `KV capacity: ${report.kvCapacityTokens} tokens simulated vs ${report.measuredKvTokens} measured ` +
      `(${kvErrorPct >= 0 ? '+' : ''}${kvErrorPct.toFixed(2)}%).`,
    '',
  ].join('\n');
}
