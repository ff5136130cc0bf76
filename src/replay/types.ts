// Plain data in and out of `planner replay`: the options, one policy's outcome, and progress events.
import type {PlannerConfig} from '../planner/index.js';
import type {EngineRole} from '../sim/types.js';

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
  /** The replicas the policy started from (static-peak: its fixed fleet). */
  initial_replicas: {prefill: number; decode: number};
  timeline: ReplayScalingEvent[];
  /** Diagnostics reports written for this policy (with --report). */
  reports?: string[];
}

export type ReplayProgress =
  | {type: 'policy'; policy: string; index: number; total: number}
  | {type: 'time'; policy: string; virtualS: number; traceEndS: number};
