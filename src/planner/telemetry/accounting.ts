// GPU-hours and scaling events, counted from snapshots on the tick clock, the same for replay and live.
import {known, type PlannerSnapshot, ROLES} from './snapshot.js';

/**
 * GPUs the fleet holds at a snapshot: per role, engines times GPUs per engine (1 when unknown, Dynamo's default).
 * Engines still starting hold GPUs as do engines draining after a scale-down, so the larger of the ready and the
 * target count is charged.
 */
export function gpusHeld(snapshot: PlannerSnapshot): number {
  let gpus = 0;
  for (const role of ROLES) {
    const ready = snapshot.replicas?.ready?.[role];
    const target = snapshot.replicas?.target?.[role];
    const engines = Math.max(known(ready) ? ready : 0, known(target) ? target : 0);
    const perEngine = snapshot.gpus_per_engine?.[role];
    gpus += engines * (known(perEngine) ? perEngine : 1);
  }
  return gpus;
}

/**
 * GPU-hours from the previous tick to this one: the GPUs held at this tick times the tick-clock time since the previous
 * tick (Dynamo's sum of (P*gpu_p + D*gpu_d)*dt/3600). The first tick, and a clock that went backwards, add nothing.
 */
export function gpuHoursSince(previousNowS: number | undefined, snapshot: PlannerSnapshot): number {
  if (previousNowS === undefined) return 0;
  const dt = snapshot.now_s - previousNowS;
  return dt > 0 ? (gpusHeld(snapshot) * dt) / 3600 : 0;
}

/** A tick that asked for a replica count other than the current target of some role. */
export function isScalingEvent(snapshot: PlannerSnapshot): boolean {
  return ROLES.some((role) => {
    const to = snapshot.scale_to?.[role];
    return known(to) && to !== snapshot.replicas?.target?.[role];
  });
}
