// The latency-vs-throughput-per-GPU frontier: the deployment sizing picks at each of a sweep of one latency target,
// everything else as the screen has it. Each point is a sizeDeployment (no second model). The sweep samples a fixed
// grid (E12 values), so moving the target by a step shifts the window by a point and a cache answers the rest.
import type {SizingInput} from '../sizing/index.js';
import type {LatencyAxis} from './fields.js';
import {SWEEP_MANTISSAS, seriesBetween} from './nice-steps.js';
import {type BestAchievable, evaluateSizing} from './outcome.js';

export interface FrontierPoint {
  targetMs: number;
  /** Output tokens per second per GPU of the sized deployment; null where no deployment meets that target. */
  throughputPerGpu: number | null;
  totalGpus: number | null;
}

export interface Frontier {
  axis: LatencyAxis;
  /** The sized points, ascending by target. */
  points: FrontierPoint[];
  /** Points of the sweep not sized yet (a time budget ran out): a later call with the same cache adds them. */
  pending: number;
}

/** How long one call may spend sizing new points; at least one new point is always sized, so calls make progress. */
export interface SweepBudget {
  ms: number;
  /** Milliseconds from any origin; default performance.now. */
  now?: () => number;
}

/**
 * The sweep reaches this far below the current target (unless the engines cannot go that low) and above it: a 12x
 * span, so at most 14 grid points, enough for a terminal's width and few enough for a keystroke.
 */
const SPAN_BELOW = 4;
const SPAN_ABOVE = 3;
/** Start just under the best achievable target, so the sweep shows where the SLA stops being met. */
const BELOW_BEST = 0.85;
/** Cached points kept before the cache starts over (a long session of edits). */
const CACHE_LIMIT = 4000;

/** The targets to size at: grid values from near the engines' best (or a quarter of the target) up by 12x. */
export function sweepTargets(currentMs: number, bestMs: number | null): number[] {
  let low = bestMs === null ? currentMs / SPAN_BELOW : Math.max(bestMs * BELOW_BEST, currentMs / SPAN_BELOW);
  if (low >= currentMs) low = currentMs * BELOW_BEST;
  const high = Math.max(currentMs * SPAN_ABOVE, low * SPAN_ABOVE * SPAN_BELOW);
  return seriesBetween(SWEEP_MANTISSAS, low, high);
}

/** The best target of an axis the engines reach unloaded: E2E is TTFT plus (osl - 1) ITLs. */
export function bestOnAxis(axis: LatencyAxis, best: BestAchievable | null, osl: number): number | null {
  if (best === null) return null;
  if (axis === 'ttft') return best.ttftMs;
  if (axis === 'itl') return best.itlMs;
  return best.ttftMs === null || best.itlMs === null ? null : best.ttftMs + Math.max(0, osl - 1) * best.itlMs;
}

/** The input with one latency target replaced. */
export function withTarget(input: SizingInput, axis: LatencyAxis, targetMs: number): SizingInput {
  if (axis === 'e2e') return {...input, sla: {e2eMs: targetMs, percentile: input.sla.percentile}};
  return {...input, sla: {...input.sla, ...(axis === 'ttft' ? {ttftMs: targetMs} : {itlMs: targetMs})}};
}

/** The target an axis has in this input. */
export function targetOf(input: SizingInput, axis: LatencyAxis): number | undefined {
  return axis === 'ttft' ? input.sla.ttftMs : axis === 'itl' ? input.sla.itlMs : input.sla.e2eMs;
}

/**
 * Sized points keyed by everything that shapes a sizing. Profiles and trace samples are compared by identity (a
 * session never replaces them), the rest by value.
 */
export class FrontierCache {
  private readonly points = new Map<string, FrontierPoint>();
  private candidates: unknown;
  private samples: unknown;
  /** Lookups answered and points sized, for tests and the benchmark. */
  hits = 0;
  misses = 0;

  /** The point when it was sized before, else undefined. */
  cached(input: SizingInput, axis: LatencyAxis, targetMs: number): FrontierPoint | undefined {
    if (input.candidates !== this.candidates || input.workload.samples !== this.samples || this.points.size > CACHE_LIMIT) {
      this.points.clear();
      this.candidates = input.candidates;
      this.samples = input.workload.samples;
    }
    const point = this.points.get(keyOf(input, axis, targetMs));
    if (point) this.hits++;
    return point;
  }

  /** Size the point and remember it. */
  size(input: SizingInput, axis: LatencyAxis, targetMs: number): FrontierPoint {
    this.misses++;
    const point = sizePoint(withTarget(input, axis, targetMs), targetMs);
    this.points.set(keyOf(input, axis, targetMs), point);
    return point;
  }
}

function keyOf(input: SizingInput, axis: LatencyAxis, targetMs: number): string {
  const sized = withTarget(input, axis, targetMs);
  return JSON.stringify([sized.sla, sized.workload.isl, sized.workload.osl, sized.workload.requestRate, sized.workload.concurrency, sized.limits, sized.mode, sized.method]);
}

/**
 * Size at each target of the sweep around the current one: the cached points first, then new ones, nearest the
 * current target first, while the budget lasts (none: all of them).
 */
export function computeFrontier(input: SizingInput, axis: LatencyAxis, best: BestAchievable | null, cache = new FrontierCache(), budget?: SweepBudget): Frontier {
  const current = targetOf(input, axis);
  if (current === undefined) return {axis, points: [], pending: 0};
  const targets = sweepTargets(current, bestOnAxis(axis, best, input.workload.osl));
  const points = new Map<number, FrontierPoint>();
  const missing: number[] = [];
  for (const target of targets) {
    const point = cache.cached(input, axis, target);
    if (point) points.set(target, point);
    else missing.push(target);
  }
  missing.sort((a, b) => Math.abs(Math.log(a / current)) - Math.abs(Math.log(b / current)));
  const now = budget?.now ?? (() => performance.now());
  const start = now();
  let sized = 0;
  for (const target of missing) {
    if (budget && sized > 0 && now() - start >= budget.ms) break;
    points.set(target, cache.size(input, axis, target));
    sized++;
  }
  return {axis, points: targets.filter((target) => points.has(target)).map((target) => points.get(target)!), pending: missing.length - sized};
}

function sizePoint(input: SizingInput, targetMs: number): FrontierPoint {
  const outcome = evaluateSizing(input);
  if (outcome.kind !== 'sized') return {targetMs, throughputPerGpu: null, totalGpus: null};
  return {targetMs, throughputPerGpu: outcome.result.throughput_per_gpu, totalGpus: outcome.result.total_gpus};
}
