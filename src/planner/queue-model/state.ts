// What the queue model carries between ticks, inside the planner state (plain JSON, `planner step --state`).
import type {WorkerRole} from '../tick.js';

/** The wait feedback's fit: its multiplier and the forgetting sums behind it (ms). */
export interface WaitFeedbackState {
  factor: number;
  updates: number;
  sums: {w: number; x: number; y: number; xx: number; xy: number};
}

/** A trigger's addition, held as a floor of later targets until `until_s`. */
export interface HeldFloorState {
  count: number;
  until_s: number | null;
}

export interface QueueModelState {
  wait_feedback: WaitFeedbackState;
  /** Ready prefill engines summed over the ticks since the last throughput tick (the feedback's pool, time-averaged). */
  ready_prefill: {sum: number; samples: number};
  held: Record<WorkerRole, HeldFloorState>;
}

export function createQueueModelState(): QueueModelState {
  return {
    wait_feedback: {factor: 1, updates: 0, sums: {w: 0, x: 0, y: 0, xx: 0, xy: 0}},
    ready_prefill: {sum: 0, samples: 0},
    held: {prefill: {count: 0, until_s: null}, decode: {count: 0, until_s: null}},
  };
}

/** A copy the tick may update in place; a state saved before the queue model existed starts it fresh. */
export function copyQueueModelState(state: QueueModelState | undefined): QueueModelState {
  if (!state) return createQueueModelState();
  return {
    wait_feedback: {...state.wait_feedback, sums: {...state.wait_feedback.sums}},
    ready_prefill: {...state.ready_prefill},
    held: {prefill: {...state.held.prefill}, decode: {...state.held.decode}},
  };
}
