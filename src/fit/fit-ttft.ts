// Fit TTFT(isl) to prefill measurements.
import {requireCount, requirePositive} from './measurements.js';
import {unitSteps} from './plausibility.js';
import {type Fit, selectModel} from './select-model.js';
import {ttftCandidates, type TtftFormName} from './ttft-forms.js';
import type {FittedModel, PrefillPoint} from './types.js';

export type TtftModel = FittedModel<TtftFormName>;
export type TtftFit = Fit<number, TtftFormName>;

export interface TtftFitOptions {
  /** The engine's max_num_batched_tokens; when given, the chunked-prefill form is a candidate too. */
  maxNumBatchedTokens?: number;
}

/** The TTFT form with the lowest cross-validated MAPE (leave-one-ISL-out for up to 20 ISLs) among plausible ones. */
export function fitTtft(points: readonly PrefillPoint[], options: TtftFitOptions = {}): TtftFit {
  requirePositive(points, ['isl', 'ttftMs'], 'prefill');
  const {maxNumBatchedTokens} = options;
  requireCount(maxNumBatchedTokens, 'max_num_batched_tokens');
  const samples = points.map((point) => ({x: point.isl, y: point.ttftMs, group: String(point.isl)})).sort((a, b) => a.x - b.x);
  return selectModel({
    quantity: 'TTFT',
    forms: ttftCandidates(maxNumBatchedTokens),
    samples,
    loadPaths: [unitSteps(samples[0]!.x, samples.at(-1)!.x)],
    load: 'the prompt length',
    describe: (isl) => `isl ${isl}`,
  });
}
