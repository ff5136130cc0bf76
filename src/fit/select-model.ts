// Model selection: fit every candidate form, drop implausible ones, keep the best cross-validated MAPE.
import {badInput} from '../errors/errors.js';
import {type Assessment, assessForm, type Sample} from './assess-form.js';
import {groupFolds} from './folds.js';
import {evaluate, type ModelForm} from './model-form.js';
import {implausibility} from './plausibility.js';
import type {FitQuality, FittedModel} from './types.js';

// Cross-validated MAPEs closer than this (percentage points) are a tie, within the noise of an estimate from a few
// dozen points; the form with fewer coefficients then wins, as it extrapolates more safely.
const TIE_PERCENT_POINTS = 0.1;

/** How one candidate fared: its quality when it could be fitted, and why it was not chosen if it was rejected. */
export interface CandidateReport {
  form: string;
  quality?: FitQuality;
  rejected?: string;
}

/** The chosen model as stored, plus what adaptive sampling and reports need beyond it. */
export interface Fit<X, Name extends string> {
  model: FittedModel<Name>;
  form: ModelForm<X, Name>;
  /** Coefficients fitted without each cross-validation fold; their disagreement measures uncertainty. */
  foldCoefficients: number[][];
  candidates: CandidateReport[];
}

export interface Selection<X, Name extends string> {
  /** What is being fitted, for messages: 'TTFT' or 'ITL'. */
  quantity: string;
  forms: readonly ModelForm<X, Name>[];
  samples: readonly Sample<X>[];
  /** Input paths of increasing load across the measured range, along which predictions must stay positive and rise. */
  loadPaths: readonly (readonly X[])[];
  /** The quantity that grows along each path, and how to name one input, for rejection reasons. */
  load: string;
  describe: (x: X) => string;
}

type Accepted<X, Name extends string> = Extract<Assessment<X, Name>, {quality: FitQuality}>;

export function selectModel<X, Name extends string>(selection: Selection<X, Name>): Fit<X, Name> {
  const folds = groupFolds(selection.samples.map((sample) => sample.group));
  const accepted: Accepted<X, Name>[] = [];
  const candidates = selection.forms.map((form): CandidateReport => {
    const assessment = assessForm(form, selection.samples, folds);
    if ('rejected' in assessment) return {form: form.name, rejected: assessment.rejected};
    const predict = (x: X) => evaluate(form, assessment.coefficients, x);
    const why = implausibility(predict, selection.loadPaths, selection.load, selection.describe);
    if (why) return {form: form.name, quality: assessment.quality, rejected: why};
    accepted.push(assessment);
    return {form: form.name, quality: assessment.quality};
  });
  const chosen = simplestOfBest(accepted);
  if (!chosen) {
    const reasons = candidates.map((candidate) => `${candidate.form}: ${candidate.rejected}`).join('; ');
    throw badInput(
      `No ${selection.quantity} model fits the ${selection.samples.length} points (${reasons}).`,
      `Profile more ${selection.quantity} points spread across the measured range, then fit again.`,
      'E_FIT_FAILED',
    );
  }
  const {form, coefficients, foldCoefficients, quality} = chosen;
  const chunking = form.maxNumBatchedTokens === undefined ? {} : {maxNumBatchedTokens: form.maxNumBatchedTokens};
  const model = {form: form.name, features: form.terms.map((term) => term.name), coefficients, ...chunking, quality};
  return {model, form, foldCoefficients, candidates};
}

function simplestOfBest<X, Name extends string>(accepted: readonly Accepted<X, Name>[]): Accepted<X, Name> | undefined {
  const best = Math.min(...accepted.map((assessment) => assessment.quality.cvMape));
  return accepted
    .filter((assessment) => assessment.quality.cvMape <= best + TIE_PERCENT_POINTS)
    .sort((a, b) => a.form.terms.length - b.form.terms.length || a.quality.cvMape - b.quality.cvMape)[0];
}
