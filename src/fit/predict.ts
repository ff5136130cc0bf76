// Predictions from fitted models, stored or fresh: the form is rebuilt from its name, nothing is refitted.
import type {ItlModel} from './fit-itl.js';
import type {TtftModel} from './fit-ttft.js';
import {itlForm} from './itl-forms.js';
import {evaluate} from './model-form.js';
import {ttftForm} from './ttft-forms.js';

/** Predicted time to first token (ms) of a lone request with `isl` prompt tokens. */
export function ttftAt(model: TtftModel, isl: number): number {
  return evaluate(ttftForm(model.form, model.maxNumBatchedTokens), model.coefficients, isl);
}

/** Predicted inter-token latency (ms) with `n` sequences decoding, each holding `ctx` tokens. */
export function itlAt(model: ItlModel, n: number, ctx: number): number {
  return evaluate(itlForm(model.form), model.coefficients, {n, ctx});
}
