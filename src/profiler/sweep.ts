// Walks a plan of points, measuring and logging the ones raw.jsonl does not hold yet.
import {interrupted} from '../errors/errors.js';
import {pointKey, type MeasuredPoint, type PointSpec} from './points.js';
import type {RawPointLine, RawPointLog} from './raw-point-log.js';

export interface SweepProgress {
  phase: PointSpec['kind'];
  /** The point's position in the plan (prefill points first), 0-based, and the plan's size. */
  index: number;
  total: number;
  key: string;
  /** Seconds until the sweep ends, from the points measured so far in this run; absent before the first. */
  etaS?: number;
}

/** Measures one point; throws `interrupted()` when the signal aborts it, so it is never logged half-measured. */
export type MeasurePoint = (spec: PointSpec, signal: AbortSignal | undefined) => Promise<MeasuredPoint>;

export interface SweepOptions {
  plan: readonly PointSpec[];
  log: RawPointLog;
  measure: MeasurePoint;
  signal?: AbortSignal;
  /** Told as each point that needs measuring starts; logged points are skipped silently. */
  onProgress?: (progress: SweepProgress) => void;
}

/**
 * Measures the plan's prefill points, then its decode points, skipping those already in the log, and appends each
 * to the log as it completes. Returns the plan's logged lines in plan order. On abort it throws `interrupted()`
 * once the point in progress has either completed (and been logged) or been abandoned.
 */
export async function runSweep({plan, log, measure, signal, onProgress}: SweepOptions): Promise<RawPointLine[]> {
  const unique = [...new Map(plan.map((spec) => [pointKey(spec), spec])).values()];
  const ordered = [...unique.filter((spec) => spec.kind === 'prefill'), ...unique.filter((spec) => spec.kind === 'decode')];
  const keys = ordered.map(pointKey);
  const eta = new EtaEstimate(ordered.filter((_, i) => !log.has(keys[i]!)));
  for (const [index, spec] of ordered.entries()) {
    const key = keys[index]!;
    if (log.has(key)) continue;
    if (signal?.aborted) throw interruptedSweep(log, keys);
    onProgress?.({phase: spec.kind, index, total: ordered.length, key, etaS: eta.remainingS()});
    const startedMs = performance.now();
    let point: MeasuredPoint;
    try {
      point = await measure(spec, signal);
    } catch (error) {
      throw signal?.aborted ? interruptedSweep(log, keys) : error;
    }
    log.append(key, point);
    eta.done(spec.kind, (performance.now() - startedMs) / 1000);
  }
  return keys.map((key) => log.get(key)!);
}

function interruptedSweep(log: RawPointLog, keys: readonly string[]) {
  const logged = keys.filter((key) => log.has(key)).length;
  return interrupted(`Interrupted: ${logged} of ${keys.length} points are in ${log.path}.`, 'Run again with --resume to measure only the rest.');
}

/**
 * Prefill and decode points take very different times, so each phase's remaining points are priced at that phase's
 * mean so far, or at the overall mean before the phase has one.
 */
class EtaEstimate {
  readonly #left: Record<PointSpec['kind'], number> = {prefill: 0, decode: 0};
  readonly #spent: Record<PointSpec['kind'], {seconds: number; points: number}> = {prefill: {seconds: 0, points: 0}, decode: {seconds: 0, points: 0}};

  constructor(toMeasure: readonly PointSpec[]) {
    for (const spec of toMeasure) this.#left[spec.kind]++;
  }

  done(phase: PointSpec['kind'], seconds: number): void {
    this.#left[phase]--;
    this.#spent[phase].seconds += seconds;
    this.#spent[phase].points++;
  }

  remainingS(): number | undefined {
    const all = {seconds: this.#spent.prefill.seconds + this.#spent.decode.seconds, points: this.#spent.prefill.points + this.#spent.decode.points};
    if (all.points === 0) return undefined;
    const mean = (phase: PointSpec['kind']) => (this.#spent[phase].points > 0 ? this.#spent[phase] : all);
    return Math.round(this.#left.prefill * (mean('prefill').seconds / mean('prefill').points) + this.#left.decode * (mean('decode').seconds / mean('decode').points));
  }
}
