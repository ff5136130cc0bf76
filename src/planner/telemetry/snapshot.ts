// What the planner saw and decided at one tick, as plain data: the recorder keeps these for the diagnostics report
// and the live dashboard, and the metrics are set from them. Time is the tick clock (`now_s`, Unix seconds live,
// virtual seconds in replay), so a replay and a live run draw the same report. Everything but `now_s` may be absent:
// a failed scrape or a disabled mode leaves a gap in the charts rather than a made-up zero. Field names are
// snake_case like the tick input they are derived from (`../tick.ts`), so a snapshot can be logged as JSON as it is.
import type {WorkerRole} from '../tick.js';

/** One number per role; agg engines count as decode, as in Dynamo. */
export type PerRole<T = number> = Partial<Record<WorkerRole, T>>;

/** One prefill engine (one data-parallel rank) at this tick. */
export interface PrefillEngineLoad {
  worker_id: string;
  dp_rank?: number;
  queued_prefill_tokens?: number;
}

/** One decode engine (one data-parallel rank) at this tick. */
export interface DecodeEngineLoad {
  worker_id: string;
  dp_rank?: number;
  /** KV tokens of requests waiting to be scheduled. */
  queued_decode_kv_tokens?: number;
  /** KV tokens of requests being decoded (scheduled). */
  inflight_decode_kv_tokens?: number;
}

export interface PlannerSnapshot {
  now_s: number;
  replicas?: {
    /** Engines serving. */
    ready?: PerRole;
    /** Engines asked for (ready or starting) when the tick ran, before this tick's decision. */
    target?: PerRole;
  };
  /** The floor the throughput mode set for the load mode (`set_lower_bound`). */
  throughput_lower_bound?: PerRole;
  /** Traffic over the last throughput interval. */
  observed?: {
    requests_per_second?: number;
    /** Mean input and output sequence lengths, tokens. */
    isl?: number;
    osl?: number;
    ttft_ms?: number;
    itl_ms?: number;
    request_duration_s?: number;
  };
  /** The predictors' forecast for the next throughput interval. */
  predicted?: {requests_per_second?: number; isl?: number; osl?: number};
  /** The load mode's latency estimates, the worst over engines. */
  estimated?: {ttft_ms?: number; itl_ms?: number};
  sla?: {ttft_ms?: number; itl_ms?: number};
  engines?: {prefill?: PrefillEngineLoad[]; decode?: DecodeEngineLoad[]};
  /** KV capacity of one decode engine, tokens (the line the decode KV load is drawn against). */
  max_kv_tokens?: number;
  /** Requests per second one engine of each role serves within the SLA. */
  engine_capacity_rps?: PerRole;
  /** Decision reasons, from `LOAD_DECISION_STATES` / `THROUGHPUT_DECISION_STATES` (or states appended to them). */
  reasons?: {load?: string; throughput?: string};
  /** This tick's decision; null or absent = no change for that role. */
  scale_to?: PerRole<number | null>;
  gpus_per_engine?: PerRole;
}

export const ROLES: readonly WorkerRole[] = ['prefill', 'decode'];

/** How an engine is named in charts and labels: `worker_id:dp<rank>` as in Dynamo's report. */
export function engineKey(engine: {worker_id: string; dp_rank?: number}): string {
  return `${engine.worker_id}:dp${engine.dp_rank ?? 0}`;
}

/** A number that can be drawn or exported (NaN and infinities from a failed scrape count as missing). */
export function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
