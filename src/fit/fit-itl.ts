// Fit ITL(n, ctx) to decode measurements.
import {badInput} from '../errors/errors.js';
import {type DecodeBatch, itlCandidates, type ItlFormName} from './itl-forms.js';
import {requireCount, requirePositive} from './measurements.js';
import {unitSteps} from './plausibility.js';
import {type Fit, selectModel} from './select-model.js';
import type {DecodePoint, FittedModel} from './types.js';

export type ItlModel = FittedModel<ItlFormName>;

export interface ItlFit extends Fit<DecodeBatch, ItlFormName> {
  /** Points left out because their concurrency exceeded maxNumSeqs. */
  excludedPoints: number;
}

export interface ItlFitOptions {
  /** The engine's max_num_seqs: the most sequences one decode step runs. */
  maxNumSeqs?: number;
}

/**
 * The ITL form with the lowest cross-validated MAPE among plausible ones. Points whose concurrency exceeds maxNumSeqs
 * are left out rather than capped: vLLM runs at most max_num_seqs sequences per step and queues the rest, so such a
 * point measures a batch of max_num_seqs disturbed by the queued requests' prefills, not a batch of its concurrency.
 */
export function fitItl(points: readonly DecodePoint[], options: ItlFitOptions = {}): ItlFit {
  requirePositive(points, ['concurrency', 'context', 'itlMs'], 'decode');
  requireCount(options.maxNumSeqs, 'max_num_seqs');
  const {maxNumSeqs = Infinity} = options;
  const kept = points.filter((point) => point.concurrency <= maxNumSeqs);
  if (kept.length === 0) {
    throw badInput(`Every decode point has a concurrency above max_num_seqs ${maxNumSeqs}.`, 'Profile decode at concurrencies up to max_num_seqs.', 'E_FIT_NO_POINTS');
  }
  const samples = kept
    .map((point) => ({x: {n: point.concurrency, ctx: point.context}, y: point.itlMs, group: `${point.concurrency}@${point.context}`}))
    .sort((a, b) => a.x.ctx - b.x.ctx || a.x.n - b.x.n);
  const fit = selectModel({
    quantity: 'ITL',
    forms: itlCandidates(),
    samples,
    loadPaths: batchPaths(samples.map((sample) => sample.x)),
    load: 'the batch',
    describe: ({n, ctx}) => `n ${n}, ctx ${ctx}`,
  });
  return {...fit, excludedPoints: points.length - kept.length};
}

/** For each measured context, every batch size from the smallest to the largest measured at that context. */
function batchPaths(measured: readonly DecodeBatch[]): DecodeBatch[][] {
  const sizesByContext = new Map<number, number[]>();
  for (const {n, ctx} of measured) sizesByContext.set(ctx, [...(sizesByContext.get(ctx) ?? []), n]);
  return [...sizesByContext].map(([ctx, sizes]) => unitSteps(Math.min(...sizes), Math.max(...sizes)).map((n) => ({n, ctx})));
}
