// What one live tick saw, decided and did, as one plain object: the JSON log line (`--log-format json`), the tick
// event the command prints, and what tests read back.
import type {PlannerDecision} from '../decide.js';
import type {ReplicaTargets} from '../connectors/types.js';
import type {WorkerRole} from '../tick.js';
import type {FleetObservation} from './observe-fleet.js';

type PerRole<T> = {prefill: T; decode: T};

/** `applied`: the connector accepted the targets; `advisory`: decided, not acted on; `failed`: retried next tick. */
export type ActionStatus = 'none' | 'applied' | 'advisory' | 'failed';

export interface TickRecord {
  /** Wall-clock time of the tick, ISO 8601. */
  time: string;
  now_s: number;
  ran: {load: boolean; throughput: boolean};
  replicas: {ready: PerRole<number | null>; expected: PerRole<number | null>};
  scale_to: PerRole<number | null>;
  reasons: {load: string; throughput: string};
  action: {status: ActionStatus; targets?: ReplicaTargets; error?: string};
  traffic: {source: 'prometheus' | 'engines'; requests_per_second: number; isl: number | null; osl: number | null} | null;
  latency: {ttft_ms: number | null; itl_ms: number | null};
  engines: {listed: number; scraped: number};
  /** What went wrong this tick (failed scrapes, NaNs, a connector error...): the tick went on without it. */
  issues: string[];
  /** The decision core's own notes: what was missing or assumed. */
  notes: string[];
  next_tick_s: number | null;
}

/** The record of a tick; replica counts of roles the mode does not scale are null (agg workers are decode). */
export function tickRecord(nowS: number, roles: readonly WorkerRole[], observation: FleetObservation, decision: PlannerDecision | undefined, action: TickRecord['action'], issues: string[]): TickRecord {
  const diagnostics = decision?.diagnostics;
  const scaled = <T>(values: PerRole<T | null>): PerRole<T | null> => ({prefill: roles.includes('prefill') ? values.prefill : null, decode: roles.includes('decode') ? values.decode : null});
  const traffic = observation.traffic;
  return {
    time: new Date(nowS * 1000).toISOString(),
    now_s: nowS,
    ran: diagnostics?.ran ?? {load: false, throughput: false},
    replicas: diagnostics ? {ready: scaled(diagnostics.replicas.ready), expected: scaled(diagnostics.replicas.expected)} : {ready: {prefill: null, decode: null}, expected: {prefill: null, decode: null}},
    scale_to: decision?.scale_to ?? {prefill: null, decode: null},
    reasons: {load: decision?.reasons.load ?? 'unset', throughput: decision?.reasons.throughput ?? 'unset'},
    action,
    traffic: traffic && observation.traffic_source && traffic.duration_s > 0
      ? {source: observation.traffic_source, requests_per_second: traffic.num_req / traffic.duration_s, isl: traffic.isl ?? null, osl: traffic.osl ?? null}
      : null,
    latency: {ttft_ms: observation.latency.ttft_ms ?? null, itl_ms: observation.latency.itl_ms ?? null},
    engines: {listed: observation.engines_listed, scraped: observation.engines_scraped},
    issues,
    notes: diagnostics?.notes ?? [],
    next_tick_s: diagnostics?.next_tick_s ?? null,
  };
}

/** One human-readable line per tick, e.g. `12:00:05 decode 1 -> 2 (scale_up), throughput disabled, 4.1 req/s`. */
export function formatTickLine(record: TickRecord): string {
  const clock = record.time.slice(11, 19);
  const parts: string[] = [];
  for (const role of ['prefill', 'decode'] as const) {
    const ready = record.replicas.ready[role];
    const to = record.scale_to[role];
    if (ready === null && to === null) continue;
    parts.push(`${role} ${ready ?? '?'}${to !== null ? ` -> ${to}` : ''}`);
  }
  const replicas = parts.join(', ') || 'replicas unknown';
  const action = record.action.status === 'advisory' ? ' [advisory: not applied]' : record.action.status === 'failed' ? ` [not applied: ${record.action.error}]` : '';
  const traffic = record.traffic ? `, ${record.traffic.requests_per_second.toFixed(2)} req/s (${record.traffic.source})` : '';
  const issues = record.issues.length > 0 ? `; ${record.issues.length} issue${record.issues.length === 1 ? '' : 's'}: ${record.issues.join('; ')}` : '';
  return `${clock} ${replicas} (load ${record.reasons.load}, throughput ${record.reasons.throughput})${action}${traffic}${issues}`;
}
