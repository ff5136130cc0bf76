// What a load tick knows about one scaled role, and what the role's load decision says. Shared by the static
// thresholds (targets throughput, latency, load) and the SLA load scaling.
import type {LoadReason} from './reasons.js';
import type {DecodeEngineObservation, PrefillEngineObservation, WorkerCapability} from './tick.js';

export type RoleEngines = {role: 'prefill'; engines: PrefillEngineObservation[]} | {role: 'decode'; engines: DecodeEngineObservation[]; agg: boolean};

export type RoleLoadInput = RoleEngines & {
  /** Ready replicas of the role (workers, each with one or more data-parallel engines). */
  current: number;
  capability: WorkerCapability | undefined;
  minEndpoint: number;
};

export interface RoleLoadOutcome {
  /** Replicas the load signal asks for, or null for no change (the reason says why). */
  desired: number | null;
  reason: LoadReason;
  /** Per engine, in input order: the signal each threshold was compared with (ratio, tokens or %), or TTFT/ITL ms. */
  signals: (number | null)[];
  /** Which figure `signals` holds, for diagnostics. */
  signal: string;
}

/** +1 when any engine is over; -1 (never below min_endpoint) when every engine is under; otherwise no change. */
export function anyUpAllDown(input: {current: number; minEndpoint: number}, over: boolean[], under: boolean[], allKnown: boolean): {desired: number | null; reason: LoadReason} {
  if (over.some(Boolean)) return {desired: input.current + 1, reason: 'scale_up'};
  if (input.current > 1 && allKnown && under.length > 0 && under.every(Boolean)) return {desired: Math.max(input.current - 1, input.minEndpoint), reason: 'scale_down'};
  return {desired: null, reason: 'no_change'};
}
