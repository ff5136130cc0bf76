// Where to measure next. Each cross-validation fold refits the model without some points; where those refits
// disagree, the prediction hangs on few points (the ends of the range, wide gaps, a noisy point), so a sweep gains
// most by adding a point there.
import {evaluate} from './model-form.js';
import type {Fit} from './select-model.js';

export interface Uncertainty<X> {
  x: X;
  /** (largest - smallest fold prediction) / the model's prediction at x: 0.05 means the folds span 5%. */
  spread: number;
}

/** The `count` candidates with the widest relative spread of fold predictions, widest first. */
export function leastCertain<X, Name extends string>(fit: Fit<X, Name>, candidates: readonly X[], count = 1): Uncertainty<X>[] {
  return candidates
    .map((x) => {
      const predictions = fit.foldCoefficients.map((coefficients) => evaluate(fit.form, coefficients, x));
      const spread = (Math.max(...predictions) - Math.min(...predictions)) / Math.abs(evaluate(fit.form, fit.model.coefficients, x));
      return {x, spread};
    })
    .sort((a, b) => b.spread - a.spread)
    .slice(0, count);
}
