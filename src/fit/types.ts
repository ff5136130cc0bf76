// The measurements the fits take, and the fitted models they give as plain JSON (the profile artifact stores these).

/** One TTFT measurement: a request of `isl` prompt tokens alone on the engine. An ISL may be measured several times. */
export interface PrefillPoint {
  isl: number;
  ttftMs: number;
}

/** One ITL measurement: `concurrency` sequences decoding together, each holding `context` tokens of KV cache. */
export interface DecodePoint {
  concurrency: number;
  context: number;
  itlMs: number;
}

/** How closely a fit follows its points. Errors are in percent (5 means 5%); `cv*` are from held-out folds. */
export interface FitQuality {
  r2: number;
  mape: number;
  maxApe: number;
  cvMape: number;
  cvMaxApe: number;
  points: number;
}

/**
 * A fitted model as plain data: prediction = sum of coefficients[i] * features[i](inputs). `features` restates the
 * form's terms so a stored model reads on its own; `maxNumBatchedTokens` is present only for the chunked TTFT form.
 */
export interface FittedModel<Form extends string = string> {
  form: Form;
  features: string[];
  coefficients: number[];
  maxNumBatchedTokens?: number;
  quality: FitQuality;
}
