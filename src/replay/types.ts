// Plain data in and out of `planner replay`: the options, one policy's outcome, and progress events.
import type {PlannerConfig} from '../planner/index.js';
import type {EngineRole} from '../sim/types.js';
import type {Percentile} from '../sizing/types.js';
import type {BurstHeadroom} from './queue-aware-capacity.js';
import type {WaitCorrectionOptions} from './wait-correction.js';

/** Scale prefill up between throughput ticks when the queued prefill work outgrows a share of the TTFT target. */
export interface QueueTrigger {
  /** Seconds between looks at the engines (the load cadence). */
  intervalS: number;
  /** Share of the TTFT target the queued work per ready engine may take (at the engine's prefill rate). */
  share: number;
}

/** Scale decode up between throughput ticks when prompts wait for KV room on the decode engines. */
export interface DecodeTrigger {
  /** Share of one engine's KV cache the waiting prompts' KV per ready engine may reach. */
  share: number;
}

/** Latency targets a request must meet (TTFT and its mean ITL), ms. */
export interface ReplaySla {
  ttft_ms: number;
  itl_ms: number;
}

/** One policy to replay: a planner configuration, or fixed replicas (static-peak). */
export type ReplayPolicy =
  | {
      name: string;
      kind: 'planner';
      config: PlannerConfig;
      description: string;
      /** Size prefill for this TTFT percentile with queueing (ours), instead of Dynamo's 1 / TTFT(mean ISL). */
      queueAwarePrefill?: Percentile;
      /** With queueAwarePrefill: size the prefill pool for the interval's short-window bursts, not its mean rate. */
      burstHeadroom?: BurstHeadroom;
      /** With queueAwarePrefill: G/G/c, the arrivals' dispersion measured in windows this long (s). */
      arrivalWindowS?: number;
      /** With queueAwarePrefill: learn a multiplier of the queue wait from the prefill legs' observed mean time. */
      ttftFeedback?: WaitCorrectionOptions;
      queueTrigger?: QueueTrigger;
      decodeTrigger?: DecodeTrigger;
      /** With queueAwarePrefill: size decode for that percentile of its batch within the KV cache and ITL target,
       * instead of Dynamo's batch that fills the KV cache. */
      queueAwareDecode?: boolean;
    }
  | {name: string; kind: 'static'; description: string};

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

/** One change of a pool's replica target. */
export interface ReplayScalingEvent {
  at_s: number;
  component: EngineRole;
  from_count: number;
  to_count: number;
}

export interface PolicyOutcome {
  name: string;
  description: string;
  /** Share of the trace's requests that finished within both the TTFT and the ITL target. */
  sla_attainment: number;
  ttft_ms: Percentiles | null;
  itl_ms: Percentiles | null;
  gpu_hours: number;
  scaling_events: number;
  /** The most engines (GPUs) the policy held at once. */
  peak_gpus: number;
  requests: number;
  unfinished: number;
  aborted: number;
  /** Virtual seconds from the first arrival to the last request finishing. */
  simulated_s: number;
  planner_ticks: number;
  timeline: ReplayScalingEvent[];
  /** Diagnostics reports written for this policy (with --report). */
  reports?: string[];
}

export type ReplayProgress =
  | {type: 'policy'; policy: string; index: number; total: number}
  | {type: 'time'; policy: string; virtualS: number; traceEndS: number};
