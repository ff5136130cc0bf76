// Read a stored model back (e.g. from a profile artifact): check its shape against the schema, and that its features
// are exactly its form's terms, so predictions from it mean what they meant when it was fitted.
import {badInput} from '../errors/errors.js';
import {validateWith} from '../schema/validator.js';
import type {ItlModel} from './fit-itl.js';
import type {TtftModel} from './fit-ttft.js';
import {ITL_FORM_NAMES, itlForm} from './itl-forms.js';
import type {ModelForm} from './model-form.js';
import {TTFT_FORM_NAMES, ttftForm} from './ttft-forms.js';
import type {FittedModel} from './types.js';

export const FITTED_MODEL_SCHEMA = 'fitted-model.schema.json';

/** A stored TTFT model; `source` names where it came from in error messages. */
export function parseTtftModel(data: unknown, source: string): TtftModel {
  const model = validateWith<FittedModel>(FITTED_MODEL_SCHEMA, data, source);
  const form = TTFT_FORM_NAMES.find((name) => name === model.form);
  if (!form) throw notA('TTFT', model, source);
  requireFormTerms(ttftForm(form, model.maxNumBatchedTokens), model, source);
  return {...model, form};
}

/** A stored ITL model; `source` names where it came from in error messages. */
export function parseItlModel(data: unknown, source: string): ItlModel {
  const model = validateWith<FittedModel>(FITTED_MODEL_SCHEMA, data, source);
  const form = ITL_FORM_NAMES.find((name) => name === model.form);
  if (!form) throw notA('ITL', model, source);
  requireFormTerms(itlForm(form), model, source);
  return {...model, form};
}

function notA(quantity: string, model: FittedModel, source: string) {
  return badInput(`${source}: ${model.form} is not a ${quantity} model.`, `Store the ${quantity} fit here.`, 'E_FIT_MODEL_INVALID');
}

function requireFormTerms<X>(form: ModelForm<X>, model: FittedModel, source: string): void {
  const terms = form.terms.map((term) => term.name);
  if (terms.join(',') === model.features.join(',') && model.coefficients.length === terms.length) return;
  throw badInput(
    `${source}: a ${model.form} model has features [${terms.join(', ')}] with one coefficient each, not [${model.features.join(', ')}] with ${model.coefficients.length}.`,
    'Refit the model instead of editing it by hand.',
    'E_FIT_MODEL_INVALID',
  );
}
