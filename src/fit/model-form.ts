// A candidate model shape: linear in its coefficients, so ordinary (weighted) least squares fits it exactly.

/** One term of a model: a named function of the inputs, e.g. `isl^2` or `n*ctx`. */
export interface Term<X> {
  name: string;
  of(x: X): number;
}

export interface ModelForm<X, Name extends string = string> {
  name: Name;
  terms: readonly Term<X>[];
  /** The engine setting a term depends on (the chunked TTFT form's chunk size); stored with the fitted model. */
  maxNumBatchedTokens?: number;
}

/** The form's prediction at x with the given coefficients (one per term, in order). */
export function evaluate<X>(form: ModelForm<X>, coefficients: readonly number[], x: X): number {
  let sum = 0;
  form.terms.forEach((term, i) => {
    sum += coefficients[i]! * term.of(x);
  });
  return sum;
}

/** The design matrix row of x: every term evaluated at x. */
export function designRow<X>(form: ModelForm<X>, x: X): number[] {
  return form.terms.map((term) => term.of(x));
}
