// One planner tick's observations (schemas/planner-tick.schema.json), modelled on Dynamo's TickInput. Everything but
// `now_s` may be absent: partial data is the normal case for a live planner, and the core decides on what is known.
// Field names are snake_case because this is a file format users write by hand for `planner step`.

export type WorkerRole = 'prefill' | 'decode';

/** Requests finished in the last throughput interval, with their average lengths. */
export interface TrafficObservation {
  duration_s: number;
  num_req: number;
  isl?: number;
  osl?: number;
  /** Share of prompt tokens served from prefix caches (0-1). */
  kv_hit_rate?: number;
  /** Mean TTFT of the interval's finished requests, ms. */
  ttft_ms?: number;
  /** Mean time from arrival to the end of the prefill leg, ms: the prefill pool's share of TTFT. */
  prefill_ms?: number;
  /** The interval's request lengths (or equal-weight quantile points of them): the spread the queue model sizes for. */
  lengths?: {isl: number; osl: number}[];
  /** Arrivals per consecutive window of the interval: its bursts and dispersion. */
  arrivals?: {window_s: number; counts: number[]};
}

export interface WorkerCounts {
  ready_num_prefill?: number;
  ready_num_decode?: number;
  /** Replicas asked for and not yet ready count here: a pending scale-up is not repeated. */
  expected_num_prefill?: number;
  expected_num_decode?: number;
}

/** What one engine of a role can hold (from its launch flags or the worker's metadata). */
export interface WorkerCapability {
  num_gpu?: number;
  context_length?: number;
  max_num_batched_tokens?: number;
  max_num_seqs?: number;
  max_kv_tokens?: number;
}

/** One engine's (one data-parallel rank's) latest forward-pass observation. */
export interface PrefillEngineObservation {
  worker_id: string;
  dp_rank?: number;
  queued_prefill_tokens?: number;
  scheduled_prefill_tokens?: number;
  /** Prompts in the last step: scheduled_prefill_tokens / this is the average ISL the TTFT estimate adds. */
  num_prefill_requests?: number;
  /** Wall time of the engine's last step, seconds. */
  wall_time_s?: number;
}

export interface DecodeEngineObservation {
  worker_id: string;
  dp_rank?: number;
  num_decode_requests?: number;
  scheduled_decode_kv_tokens?: number;
  queued_decode_kv_tokens?: number;
  /** Aggregated engines only: prompt tokens waiting, which become KV once prefilled. */
  queued_prefill_tokens?: number;
  wall_time_s?: number;
}

export interface TickInput {
  now_s: number;
  traffic?: TrafficObservation;
  worker_counts?: WorkerCounts;
  capabilities?: {prefill?: WorkerCapability; decode?: WorkerCapability};
  engines?: {prefill?: PrefillEngineObservation[]; decode?: DecodeEngineObservation[]};
}
