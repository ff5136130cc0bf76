// When each loop runs (Dynamo's core/state_machine.py): the load loop every load_adjustment_interval, the throughput
// loop every throughput_adjustment_interval, a tick at whichever comes first, and both when they fall within 0.5 s.
import type {PlannerConfig} from './config.js';
import {triggersOn} from './queue-model/triggers.js';

/** The load cadence runs for the load loop, and for the queue model's triggers even when the load loop is off. */
export function loadCadenceOn(config: PlannerConfig): boolean {
  return config.enable_load_scaling || triggersOn(config);
}

/** Seconds within which two cadences are served by one tick. */
export const CADENCE_TOLERANCE_S = 0.5;

/** When each loop next runs, in tick time (seconds); null for a loop that is off. */
export interface Schedule {
  next_load_s: number | null;
  next_throughput_s: number | null;
}

/** Dynamo's initial_tick: the first load tick one load interval after t0, the first throughput tick one interval after. */
export function initialSchedule(config: PlannerConfig, t0: number): Schedule {
  return {
    next_load_s: loadCadenceOn(config) ? t0 + config.load_adjustment_interval : null,
    next_throughput_s: config.enable_throughput_scaling ? t0 + config.throughput_adjustment_interval : null,
  };
}

/** The time of the next tick, or null when no loop is on. */
export function nextTickAt(schedule: Schedule): number | null {
  const times = [schedule.next_load_s, schedule.next_throughput_s].filter((time): time is number => time !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/** Which loops a tick at `now` runs. A schedule never started (a fresh state) runs every loop that is on at once. */
export function dueLoops(config: PlannerConfig, schedule: Schedule | null, now: number): {load: boolean; throughput: boolean} {
  if (!schedule) return {load: loadCadenceOn(config), throughput: config.enable_throughput_scaling};
  const due = (at: number | null) => at !== null && at <= now + CADENCE_TOLERANCE_S;
  return {load: loadCadenceOn(config) && due(schedule.next_load_s), throughput: config.enable_throughput_scaling && due(schedule.next_throughput_s)};
}

/** The schedule after a tick at `now` that ran the given loops: each loop that ran is due again one interval later. */
export function advanceSchedule(config: PlannerConfig, schedule: Schedule | null, now: number, ran: {load: boolean; throughput: boolean}): Schedule {
  const start = schedule ?? initialSchedule(config, now);
  return {
    next_load_s: !loadCadenceOn(config) ? null : ran.load ? now + config.load_adjustment_interval : start.next_load_s,
    next_throughput_s: !config.enable_throughput_scaling ? null : ran.throughput ? now + config.throughput_adjustment_interval : start.next_throughput_s,
  };
}
