// Our improvements that act on a proposed decision after either loop: a scale-down must be sustained and wait out a
// cool-down (hysteresis against flapping), and an idle deployment may scale to zero and wake on the first request.
import type {RoleNumbers} from './apply-budget.js';
import type {PlannerConfig} from './config.js';
import type {PlannerState} from './state.js';
import type {TickInput, WorkerRole} from './tick.js';

/**
 * Counts consecutive scale-down proposals per role and puts a role back to its ready count until the signal has
 * held for scale_down_sustained_ticks and scale_down_cooldown_s has passed since its last change. Returns the roles
 * held back. Only call it on ticks where a loop ran: a tick without a proposal for a role breaks its streak.
 */
export function holdScaleDowns(config: PlannerConfig, state: PlannerState, proposal: RoleNumbers, ready: Partial<Record<WorkerRole, number | null>>, roles: WorkerRole[], now: number): WorkerRole[] {
  const held: WorkerRole[] = [];
  for (const role of roles) {
    const history = state.roles[role];
    const current = ready[role];
    const wanted = proposal[role];
    if (current === null || current === undefined || wanted === undefined || wanted >= current) {
      history.down_streak = 0;
      continue;
    }
    history.down_streak += 1;
    const cooled = history.last_change_s === null || now - history.last_change_s >= config.scale_down_cooldown_s;
    if (history.down_streak < config.scale_down_sustained_ticks || !cooled) {
      proposal[role] = current;
      held.push(role);
    }
  }
  return held;
}

/**
 * Scale to zero (scale_to_zero_idle_s): every role goes to 0 once no request has been seen for that long, and back to
 * at least min_endpoint on the first tick whose traffic shows a request. Rewrites `proposal` and returns what it did.
 */
export function applyScaleToZero(config: PlannerConfig, state: PlannerState, tick: TickInput, proposal: RoleNumbers, roles: WorkerRole[]): 'scale_to_zero' | 'wake_from_zero' | null {
  const idleS = config.scale_to_zero_idle_s;
  if (idleS === null) return null;
  const requests = tick.traffic?.num_req;
  // Only a tick that reports traffic can say the deployment is idle: load ticks between throughput ticks carry none,
  // and counting them as idle scaled a busy deployment to zero whenever the idle time was shorter than the interval.
  if (requests === undefined) return null;
  if (requests > 0) {
    state.last_request_seen_s = tick.now_s;
    if (!state.scaled_to_zero) return null;
    state.scaled_to_zero = false;
    for (const role of roles) proposal[role] = Math.max(config.min_endpoint, proposal[role] ?? config.min_endpoint);
    return 'wake_from_zero';
  }
  // The idle clock starts at the first tick that reports traffic at all.
  if (state.last_request_seen_s === null) state.last_request_seen_s = tick.now_s;
  if (state.last_request_seen_s === null || tick.now_s - state.last_request_seen_s < idleS) return null;
  state.scaled_to_zero = true;
  for (const role of roles) proposal[role] = 0;
  return 'scale_to_zero';
}
