// What sizing takes (plain data: loaded profiles with parsed models, an SLA, a workload, limits) and what it answers.
// The result carries everything a simulation of the deployment and a DGD manifest need, so neither reloads profiles.
import type {ItlModel, TtftModel} from '../fit/index.js';
import type {EngineFacts} from '../profile/artifact.js';

export type Percentile = 'p50' | 'p90' | 'p95' | 'p99';
export type SizingMode = 'disagg' | 'agg';
export type SizingMethod = 'dynamo-plan' | 'dynamo';
export type RoleKind = 'prefill' | 'decode' | 'agg';

/** One engine configuration to size with: a loaded profile and its parsed fits. */
export interface SizingCandidate {
  /** Short, unique among the candidates, e.g. "h100_sxm-tp4". */
  name: string;
  /** Where it was loaded from (a profile directory), for messages. */
  source: string;
  engine: EngineFacts;
  gpusPerEngine: number;
  /** The TTFT model (absent: the candidate cannot prefill). */
  ttft?: TtftModel;
  /** The ITL model (absent: the candidate cannot decode). */
  itl?: ItlModel;
}

/**
 * The latency targets, each at `percentile` over requests (TTFT) or over generated tokens (ITL, as vLLM's benchmark
 * reports it). Give ttftMs and itlMs, or e2eMs alone (sizing then splits it between them).
 */
export interface SlaTarget {
  ttftMs?: number;
  itlMs?: number;
  e2eMs?: number;
  percentile: Percentile;
}

/** One request of a workload sample (a trace): its prompt and output lengths. */
export interface LengthSample {
  isl: number;
  osl: number;
}

export interface WorkloadSpec {
  /** Mean prompt length in tokens. */
  isl: number;
  /** Mean output length in tokens. */
  osl: number;
  /** Offered load, requests per second (Poisson arrivals). Give this or `concurrency`. */
  requestRate?: number;
  /** Requests kept in flight (closed loop); converted to a rate by Little's law with the predicted E2E latency. */
  concurrency?: number;
  /** Per-request lengths (from a trace): the ISL/OSL spread then shapes queueing and ITL. */
  samples?: LengthSample[];
  /** Where the workload came from, for the report ("flags" or a trace path). */
  source?: string;
}

export interface SizingLimits {
  /** GPU budget of the whole deployment; when the load needs more, the best share of it that fits is sized. */
  maxGpus?: number;
  /** GPUs per node: an engine must fit on one node. */
  gpusPerNode?: number;
  /** Fewest replicas per role. */
  minReplicas: number;
}

export interface SizingInput {
  candidates: SizingCandidate[];
  sla: SlaTarget;
  workload: WorkloadSpec;
  limits: SizingLimits;
  /** auto sizes both ways and picks the one needing fewer GPUs. */
  mode: SizingMode | 'auto';
  /** dynamo-plan: queueing theory at a percentile. dynamo: Dynamo's classic profiler formulas (averages). */
  method: SizingMethod;
}

/**
 * What bounds a role's per-engine capacity: a latency target, vLLM's batch limits, the batch beyond which a bigger
 * batch yields fewer tokens per second (batch-knee), or, aggregated, prefill work leaving decode no time (prefill-share).
 */
export type Binding = 'ttft' | 'itl' | 'kv-cache' | 'max-num-seqs' | 'batch-knee' | 'prefill-share';

/** The engine facts a simulation or a manifest needs, in output naming. */
export interface RoleEngine {
  model: string | null;
  backend: 'vllm';
  accelerator: string | null;
  tp: number;
  pp: number;
  dp: number;
  max_num_seqs: number | null;
  max_num_batched_tokens: number | null;
  kv_capacity_tokens: number | null;
  max_model_len: number | null;
}

export interface SizedRole {
  role: RoleKind;
  config: {name: string; tp: number; gpus_per_engine: number};
  /** The profile directory the config came from. */
  profile: string;
  engine: RoleEngine;
  replicas: number;
  gpus: number;
  /** The most requests per second one engine carries while meeting the SLA. */
  capacity_rps_per_engine: number;
  /** What each engine carries in this deployment (served load / replicas). */
  load_rps_per_engine: number;
  /** At the deployment's load, at the SLA percentile; null where the role does not produce it. */
  predicted_ttft_ms: number | null;
  predicted_itl_ms: number | null;
  /** Means at the deployment's load (for E2E and Little's law). */
  mean_ttft_ms: number | null;
  mean_itl_ms: number | null;
  /** Mean sequences decoding per engine at the deployment's load; null for prefill. */
  batch: number | null;
  /** Sequences decoding per engine at capacity; null for prefill. */
  batch_at_capacity: number | null;
  /** What limits the per-engine capacity. */
  binding: Binding;
  /** What set the replica count: the load ('demand'), --min-replicas, or the GPU budget. */
  replicas_set_by: 'demand' | 'min-replicas' | 'gpu-budget';
}

/** How one candidate fared in one role: the figures behind the choice, and the error when nothing meets the SLA. */
export interface CandidateEvaluation {
  config: string;
  role: RoleKind;
  gpus_per_engine: number;
  feasible: boolean;
  capacity_rps_per_engine: number;
  capacity_rps_per_gpu: number;
  /** Best achievable at vanishing load (no queueing, batch 1): what the SLA would have to allow. */
  best_ttft_ms: number | null;
  best_itl_ms: number | null;
  binding: Binding;
  /** Why it was set aside, when it was. */
  excluded?: string;
}

/** A sized deployment of one mode. */
export interface ModeSizing {
  mode: SizingMode;
  roles: SizedRole[];
  total_gpus: number;
  /** Requests per second the deployment carries (the demand, or less when the GPU budget binds). */
  served_rps: number;
  /** The most requests per second it carries within the SLA: its weakest role's replicas x capacity. */
  capacity_rps: number;
  /** Output tokens per second per GPU at the served load. */
  throughput_per_gpu: number;
  load_served_fraction: number;
}

export interface ModeSummary {
  mode: SizingMode;
  feasible: boolean;
  total_gpus: number | null;
  throughput_per_gpu: number | null;
  load_served_fraction: number | null;
  /** Why it cannot meet the SLA, when it cannot. */
  reason?: string;
}

export interface SizingResult {
  method: SizingMethod;
  mode: SizingMode;
  sla: {ttft_ms: number; itl_ms: number; e2e_ms: number | null; percentile: Percentile};
  workload: {
    isl: number;
    osl: number;
    /** The rate sized for (given, from the trace, or from --concurrency by Little's law). */
    request_rate: number;
    concurrency: number | null;
    samples: number;
    source: string;
  };
  roles: SizedRole[];
  total_gpus: number;
  /** Nodes needed when --gpus-per-node is known (each engine on one node). */
  nodes: number | null;
  /** Output tokens per second per GPU at the served load. */
  throughput_per_gpu: number;
  output_tokens_per_s: number;
  /** The most requests per second the deployment carries within the SLA (headroom above request_rate). */
  capacity_rps: number;
  load_served_fraction: number;
  /** The mode that lost (auto), or null when one mode was asked for. */
  alternative: ModeSummary | null;
  /** How much the chosen mode wins by, against the alternative (null when there is none or it is infeasible). */
  advantage: {gpus_saved: number; throughput_per_gpu_ratio: number} | null;
  candidates: CandidateEvaluation[];
  notes: string[];
}
