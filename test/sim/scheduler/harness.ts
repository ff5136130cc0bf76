// A scheduler on a virtual clock with a linear step cost, recording everything the tests assert on.

import {VirtualClock} from '../../../src/sim/clock/index.js';
import {Scheduler, type FinishReason, type RequestStats, type SchedulerConfig, type SimRequest, type StepInfo} from '../../../src/sim/scheduler/index.js';
import type {StepCostModel, StepShape} from '../../../src/sim/types.js';

/** 2 ms per step + 0.02 ms per decoding sequence + 0.05 us per prefill token. */
export const linearCost: StepCostModel = {
  stepSeconds: (shape: StepShape) => 0.002 + 0.00002 * shape.decodeSeqs + 0.00000005 * shape.prefillTokens,
};

export const baseConfig: SchedulerConfig = {
  maxNumSeqs: 8,
  maxNumBatchedTokens: 256,
  blockSize: 16,
  numGpuBlocks: 1025,
  maxModelLen: 8192,
  enablePrefixCaching: false,
  role: 'agg',
};

export interface Outcome {
  scheduledAt: number[];
  firstTokenAt: number | undefined;
  tokens: {t: number; index: number}[];
  finish?: {t: number; reason: FinishReason; stats: RequestStats};
}

export function harness(overrides: Partial<SchedulerConfig> = {}) {
  const clock = new VirtualClock();
  const steps: StepInfo[] = [];
  const scheduler = new Scheduler({...baseConfig, ...overrides}, linearCost, clock, {onStep: (info) => steps.push(info)});
  const outcomes = new Map<string, Outcome>();

  function submit(request: Partial<SimRequest> & {id: string}): Outcome {
    const outcome: Outcome = {scheduledAt: [], firstTokenAt: undefined, tokens: []};
    outcomes.set(request.id, outcome);
    scheduler.submit({promptTokens: 32, maxTokens: 4, ...request}, {
      onScheduled: (t) => outcome.scheduledAt.push(t),
      onFirstToken: (t) => (outcome.firstTokenAt = t),
      onToken: (t, index) => outcome.tokens.push({t, index}),
      onFinish: (t, reason, stats) => (outcome.finish = {t, reason, stats}),
    });
    return outcome;
  }

  /** Submits `request` when the virtual clock reaches `atS`. */
  function submitAt(atS: number, request: Partial<SimRequest> & {id: string}): void {
    clock.schedule(atS, () => submit(request));
  }

  return {clock, scheduler, steps, outcomes, submit, submitAt};
}

/** Steps in which the given predicate held, e.g. those that carried a prefill chunk. */
export function stepsWhere(steps: StepInfo[], predicate: (shape: StepShape) => boolean): StepInfo[] {
  return steps.filter((step) => predicate(step.shape));
}
