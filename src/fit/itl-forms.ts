// Candidate shapes of ITL(n, ctx): the time of one decode step for a running batch of n sequences, each holding ctx
// tokens of KV cache. A max() roofline knee is not linear in its coefficients, so curvature is modelled with n^2.
import type {ModelForm, Term} from './model-form.js';

export const ITL_FORM_NAMES = ['itl-batch-kv', 'itl-batch-kv-context', 'itl-batch-kv-knee', 'itl-batch-kv-context-knee'] as const;
export type ItlFormName = (typeof ITL_FORM_NAMES)[number];

/** The state of one decode step: the running batch and the tokens of KV cache each sequence holds. */
export interface DecodeBatch {
  n: number;
  ctx: number;
}

// A step reads every weight once whatever the batch: memory-bound decode is dominated by this.
const fixed: Term<DecodeBatch> = {name: '1', of: () => 1};
// Per-sequence work that does not depend on context: its share of the GEMMs, sampling, scheduler bookkeeping.
const sequences: Term<DecodeBatch> = {name: 'n', of: ({n}) => n};
// Attention reads every cached token of every sequence: KV bytes moved per step are proportional to n * ctx.
const cachedTokens: Term<DecodeBatch> = {name: 'n*ctx', of: ({n, ctx}) => n * ctx};
// Cost that grows with the context even for one sequence: split-KV attention launches more partitions and walks a
// longer block table as sequences lengthen.
const context: Term<DecodeBatch> = {name: 'ctx', of: ({ctx}) => ctx};
// As n grows the GEMMs turn from memory-bound to compute-bound and the step time bends upwards; n^2 is the smooth,
// linear-in-coefficients stand-in for that knee.
const batchSquared: Term<DecodeBatch> = {name: 'n^2', of: ({n}) => n * n};

const TERMS: Record<ItlFormName, readonly Term<DecodeBatch>[]> = {
  'itl-batch-kv': [fixed, sequences, cachedTokens],
  'itl-batch-kv-context': [fixed, sequences, cachedTokens, context],
  'itl-batch-kv-knee': [fixed, sequences, cachedTokens, batchSquared],
  'itl-batch-kv-context-knee': [fixed, sequences, cachedTokens, context, batchSquared],
};

export function itlForm(name: ItlFormName): ModelForm<DecodeBatch, ItlFormName> {
  return {name, terms: TERMS[name]};
}

/** The forms an ITL fit chooses among. */
export function itlCandidates(): ModelForm<DecodeBatch, ItlFormName>[] {
  return ITL_FORM_NAMES.map(itlForm);
}
