// Fit one candidate form to the samples and measure its accuracy in-sample and on held-out folds.
import {absolutePercentageErrors, mean, rSquared} from './accuracy.js';
import {weightedLeastSquares} from './least-squares.js';
import {designRow, evaluate, type ModelForm} from './model-form.js';
import type {FitQuality} from './types.js';

/** A measurement at inputs x; samples sharing a `group` (the same inputs) are held out together. */
export interface Sample<X> {
  x: X;
  y: number;
  group: string;
}

export type Assessment<X, Name extends string> =
  | {form: ModelForm<X, Name>; coefficients: number[]; foldCoefficients: number[][]; quality: FitQuality}
  | {form: ModelForm<X, Name>; rejected: string};

/** The form fitted to all samples, one fit per fold without that fold's samples, and the resulting quality. */
export function assessForm<X, Name extends string>(form: ModelForm<X, Name>, samples: readonly Sample<X>[], folds: readonly number[][]): Assessment<X, Name> {
  const coefficients = fit(form, samples);
  if (!coefficients) return {form, rejected: 'its terms are not independent on these points'};
  const heldOutPredictions: number[] = [];
  const foldCoefficients: number[][] = [];
  for (const fold of folds) {
    const heldOut = new Set(fold);
    const trained = fit(form, samples.filter((_, i) => !heldOut.has(i)));
    if (!trained) return {form, rejected: 'too few points to cross-validate it (a fold leaves its terms dependent)'};
    foldCoefficients.push(trained);
    for (const i of fold) heldOutPredictions[i] = evaluate(form, trained, samples[i]!.x);
  }
  const actual = samples.map((sample) => sample.y);
  const predicted = samples.map((sample) => evaluate(form, coefficients, sample.x));
  const errors = absolutePercentageErrors(actual, predicted);
  const cvErrors = absolutePercentageErrors(actual, heldOutPredictions);
  return {
    form,
    coefficients,
    foldCoefficients,
    quality: {
      r2: rSquared(actual, predicted),
      mape: mean(errors),
      maxApe: Math.max(...errors),
      cvMape: mean(cvErrors),
      cvMaxApe: Math.max(...cvErrors),
      points: samples.length,
    },
  };
}

// Each row is weighted by 1/y, so least squares minimises squared relative error: the fit is judged by MAPE, and a
// 2 ms miss matters at a 20 ms TTFT but not at 400 ms. On the H200 Llama-3.1-8B profile this lowers the chosen
// models' cross-validated MAPE from 4.0% to 3.9% (TTFT) and from 4.9% to 3.9% (ITL) against unweighted fits.
function fit<X>(form: ModelForm<X>, samples: readonly Sample<X>[]): number[] | undefined {
  return weightedLeastSquares(
    samples.map((sample) => designRow(form, sample.x)),
    samples.map((sample) => sample.y),
    samples.map((sample) => 1 / sample.y),
  );
}
