// One sizing as the screen needs it: the answer, or the SLA shown as infeasible with what it would take, or an input
// sizing refuses. Never a throw: a keystroke can make any of these.
import {formatMs} from '../cli/render-sizing.js';
import {DynamoPlanError, ExitCode} from '../errors/errors.js';
import {type CandidateEvaluation, sizeDeployment, type SizingInput, type SizingResult} from '../sizing/index.js';

export type SizingOutcome =
  | {kind: 'sized'; result: SizingResult}
  | {kind: 'infeasible'; message: string; hint?: string; best: BestAchievable; modes: {mode: string; reason?: string}[]}
  | {kind: 'error'; message: string; hint?: string};

/** The lowest targets any candidate reaches, unloaded (null where no candidate produces that latency). */
export interface BestAchievable {
  ttftMs: number | null;
  itlMs: number | null;
}

/** Size the input; an unmeetable SLA and a refused input come back as outcomes, anything else is a bug and throws. */
export function evaluateSizing(input: SizingInput): SizingOutcome {
  try {
    return {kind: 'sized', result: sizeDeployment(input)};
  } catch (error) {
    if (!(error instanceof DynamoPlanError)) throw error;
    if (error.exitCode !== ExitCode.slaNotAchievable) return {kind: 'error', message: error.message, hint: error.hint};
    const details = (error.details ?? {}) as {best_ttft_ms?: number | null; best_itl_ms?: number | null; modes?: {mode: string; reason?: string}[]};
    return {
      kind: 'infeasible',
      message: error.message,
      hint: error.hint,
      best: {ttftMs: details.best_ttft_ms ?? null, itlMs: details.best_itl_ms ?? null},
      modes: (details.modes ?? []).filter((mode) => mode.reason !== undefined),
    };
  }
}

/** The best achievable latencies behind an outcome: from the candidates when sized, from the error when not. */
export function bestAchievable(outcome: SizingOutcome): BestAchievable | null {
  if (outcome.kind === 'infeasible') return outcome.best;
  if (outcome.kind === 'error') return null;
  return {ttftMs: minOf(outcome.result.candidates, 'best_ttft_ms'), itlMs: minOf(outcome.result.candidates, 'best_itl_ms')};
}

function minOf(candidates: CandidateEvaluation[], key: 'best_ttft_ms' | 'best_itl_ms'): number | null {
  const values = candidates.map((candidate) => candidate[key]).filter((value): value is number => value !== null);
  return values.length === 0 ? null : Math.min(...values);
}

/** What to relax so the SLA can be met: each target below what the engines reach, else the load or the budget. */
export function relaxAdvice(input: SizingInput, outcome: Extract<SizingOutcome, {kind: 'infeasible'}>): string[] {
  const advice: string[] = [];
  const {best} = outcome;
  const pct = input.sla.percentile;
  if (input.sla.ttftMs !== undefined && best.ttftMs !== null && input.sla.ttftMs <= best.ttftMs) advice.push(`raise TTFT ${pct} above ${formatMs(best.ttftMs)} ms`);
  if (input.sla.itlMs !== undefined && best.itlMs !== null && input.sla.itlMs <= best.itlMs) advice.push(`raise ITL ${pct} above ${formatMs(best.itlMs)} ms`);
  if (input.sla.e2eMs !== undefined) advice.push('raise E2E');
  const budgetBound = outcome.modes.length > 0 && outcome.modes.every((mode) => mode.reason!.startsWith('the GPU budget'));
  if (budgetBound) advice.push('raise max GPUs');
  if (advice.length === 0) advice.push('loosen the targets (headroom for load)', 'lower the rate or percentile');
  return advice;
}
