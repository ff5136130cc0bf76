// Plain data in and out of the fleet simulator. All times are seconds of virtual time from the start of the run.
import type {EngineSpec} from '../cost/index.js';
import type {SchedulerKnobs} from '../engine/scheduler-config.js';
import type {FinishReason} from '../scheduler/index.js';
import type {EngineRole} from '../types.js';

/** One pool of identical engines serving one role. */
export interface PoolOptions extends SchedulerKnobs {
  spec: EngineSpec;
  /** Engines ready at time 0 (the deployment exists before the load starts). */
  replicas: number;
  /** Seconds from asking for an engine to its first request; default 0. */
  startupS?: number;
}

/** Either one aggregated pool, or a prefill pool and a decode pool (disaggregated serving). */
export type FleetPools = {agg: PoolOptions; prefill?: never; decode?: never} | {agg?: never; prefill: PoolOptions; decode: PoolOptions};

export interface FleetOptions {
  pools: FleetPools;
  /** Seconds from a prefill engine finishing a prompt to its KV being usable on the decode engine; default 0. */
  kvTransferS?: number;
  /** Seeds the router's choice among equally loaded engines; default 0. */
  seed?: number;
}

/** One request of the load: when it arrives and its lengths. */
export interface FleetRequest {
  atS: number;
  isl: number;
  osl: number;
  /** Mooncake hash ids of the prompt's 512-token blocks, for prefix caching; requests sharing leading ids share a prefix. */
  hashIds?: readonly number[];
}

export type EngineState = 'starting' | 'ready' | 'draining' | 'stopped';

/** What happened to one request. Latencies are null where the request produced too few tokens to measure them. */
export interface RequestRecord {
  /** Position in the load. */
  index: number;
  arrivalS: number;
  isl: number;
  osl: number;
  /** When the client saw the first token (on the decode engine when disaggregated). */
  firstTokenS: number | null;
  finishS: number;
  ttftS: number | null;
  /** (finish - first token) / token gaps: the request's mean inter-token latency. */
  meanItlS: number | null;
  /** Output tokens after the first, each one gap. */
  itlGaps: number;
  e2eS: number;
  outputTokens: number;
  /** 'abort' when an engine could not hold the request; an aborted prefill leg ends the request too. */
  finishReason: FinishReason;
  /** The prefill engine's id when disaggregated, else null. */
  prefillEngine: string | null;
  /** When the prefill leg ended (disaggregated), else null: arrival to here is the prefill pool's share of TTFT. */
  prefillEndS: number | null;
  /** The engine that produced the output tokens (decode or aggregated). */
  engine: string;
  /** Prompt tokens served from a prefix cache. */
  cachedTokens: number;
  preemptions: number;
}

/** One engine's life: GPU time runs from `requestedS` to `stoppedS` (or the end of the run). */
export interface EngineRecord {
  id: string;
  role: EngineRole;
  gpus: number;
  requestedS: number;
  /** Null when it was stopped before it became ready. */
  readyS: number | null;
  drainS: number | null;
  stoppedS: number | null;
  /** Requests (legs, when disaggregated) this engine finished. */
  served: number;
  /** Scheduler steps (forward passes) it ran. */
  steps: number;
}

/** One setReplicas call that changed a pool's target. */
export interface ScalingEvent {
  atS: number;
  role: EngineRole;
  from: number;
  to: number;
}

/** Requests seen since the previous traffic drain, with what the frontend would have measured. */
export interface TrafficWindow {
  startS: number;
  duration_s: number;
  /** Requests that arrived (offered load: Dynamo counts requests_started). */
  num_req: number;
  /** Requests that finished; the averages below are over them, as histograms observe at completion. */
  finished: number;
  /** Mean prompt and output lengths, tokens; null without finished requests. */
  isl: number | null;
  osl: number | null;
  /** Mean TTFT of the finished requests, ms. */
  ttft_ms: number | null;
  /**
   * Mean time from arrival to the end of the prefill leg, over the prefill legs that ended in the window, ms
   * (disaggregated; null otherwise or without one): the prefill pool's share of TTFT, without the decode side's wait.
   * Absent from windows built from what a frontend reports (planner service), which cannot tell it.
   */
  prefill_ms?: number | null;
  /** Mean gap between output tokens, over every gap of the finished requests (an ITL histogram's mean), ms. */
  itl_ms: number | null;
  /** Share of the finished requests' prompt tokens served from prefix caches. */
  kv_hit_rate: number | null;
}

/** An engine as a planner sees it now: Dynamo's per-iteration forward-pass metrics of its current step. */
export interface EngineObservation {
  worker_id: string;
  role: EngineRole;
  state: EngineState;
  /**
   * Prompt tokens of requests waiting for their first admission (prefill and aggregated engines). A request
   * preempted back into the queue is not counted again: it is a rare, short stay the planner need not see.
   */
  queued_prefill_tokens: number;
  /** Prefill tokens in the step running now. */
  scheduled_prefill_tokens: number;
  /** Prompts (or prompt chunks) those tokens belong to. */
  num_prefill_requests: number;
  /** Decoding sequences in the step running now. */
  num_decode_requests: number;
  /** Context (KV) tokens those sequences attend to. */
  scheduled_decode_kv_tokens: number;
  /** Transferred prompt KV of requests waiting for admission on a decode engine; 0 on other roles. */
  queued_decode_kv_tokens: number;
  /** Duration of the step running now; 0 when the engine is idle. */
  wall_time_s: number;
  /** Requests the engine holds (waiting or running). */
  in_flight: number;
}

export interface FleetResult {
  /** Virtual time the result was taken at. */
  endS: number;
  /** Finished requests, in finishing order. */
  records: RequestRecord[];
  /** Requests in the load that had not finished by endS (not yet arrived, queued or in flight). */
  unfinished: number;
  engines: EngineRecord[];
  scalingEvents: ScalingEvent[];
  gpuSeconds: number;
  gpuSecondsByRole: Partial<Record<EngineRole, number>>;
  /** Output tokens produced (tokens the client saw). */
  outputTokens: number;
}
