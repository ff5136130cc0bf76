// Candidate shapes of TTFT(isl) for a request prefilled alone. Each term stands for a real cost of the prefill.
import {badInput} from '../errors/errors.js';
import type {ModelForm, Term} from './model-form.js';

export const TTFT_FORM_NAMES = ['ttft-linear', 'ttft-quadratic', 'ttft-quadratic-chunked'] as const;
export type TtftFormName = (typeof TTFT_FORM_NAMES)[number];

// Fixed cost of any request: HTTP and tokenisation, scheduling, kernel launches, and reading the weights once.
const fixed: Term<number> = {name: '1', of: () => 1};
// The linear layers do about 2 * parameters FLOPs per prompt token.
const promptTokens: Term<number> = {name: 'isl', of: (isl) => isl};
// Causal self-attention scores every token against all earlier ones: isl^2 / 2 dot products per layer.
const promptTokensSquared: Term<number> = {name: 'isl^2', of: (isl) => isl * isl};

// With chunked prefill the prompt is split into ceil(isl / max_num_batched_tokens) engine steps, and each step pays
// the per-step overhead (scheduling, launches, a pass over the weights) again.
function prefillSteps(maxNumBatchedTokens: number): Term<number> {
  return {name: 'ceil(isl/maxNumBatchedTokens)', of: (isl) => Math.ceil(isl / maxNumBatchedTokens)};
}

/** The TTFT form called `name`; the chunked form needs the engine's max_num_batched_tokens. */
export function ttftForm(name: TtftFormName, maxNumBatchedTokens?: number): ModelForm<number, TtftFormName> {
  switch (name) {
    case 'ttft-linear':
      return {name, terms: [fixed, promptTokens]};
    case 'ttft-quadratic':
      return {name, terms: [fixed, promptTokens, promptTokensSquared]};
    case 'ttft-quadratic-chunked':
      if (maxNumBatchedTokens === undefined) {
        throw badInput(
          'The ttft-quadratic-chunked model has no maxNumBatchedTokens.',
          'Store the engine\'s max_num_batched_tokens with the model, or refit it.',
          'E_FIT_MODEL_INVALID',
        );
      }
      return {name, terms: [fixed, promptTokens, promptTokensSquared, prefillSteps(maxNumBatchedTokens)], maxNumBatchedTokens};
  }
}

/** The forms a TTFT fit chooses among; the chunked one only when the engine's chunk size is known. */
export function ttftCandidates(maxNumBatchedTokens?: number): ModelForm<number, TtftFormName>[] {
  const names: TtftFormName[] = ['ttft-linear', 'ttft-quadratic'];
  if (maxNumBatchedTokens !== undefined) names.push('ttft-quadratic-chunked');
  return names.map((name) => ttftForm(name, maxNumBatchedTokens));
}
