import type {DynamoRawData} from '../profile/dynamo-files.js';

// What the manifest builders need to know, and nothing more: a sizing answer flattened into plain data, plus the
// Kubernetes-side choices (name, namespace, images) the user makes on the command line.

/** The CRD version of DynamoGraphDeploymentRequest / DynamoGraphDeployment to emit. */
export type ManifestApiVersion = 'v1beta1' | 'v1alpha1';

export type WorkerRole = 'prefill' | 'decode' | 'agg';

/** One sized worker type: its engine's parallel layout and how many copies of it run. */
export interface ManifestWorker {
  role: WorkerRole;
  /** vLLM --tensor-parallel-size. */
  tp: number;
  /** --pipeline-parallel-size and --data-parallel-size, when above 1; tp x pp x dp must equal gpusPerEngine. */
  pp?: number;
  dp?: number;
  /** GPUs one engine uses (may span nodes: the worker then becomes multinode). */
  gpusPerEngine: number;
  replicas: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
}

/** Dynamo's PlannerConfig fields we set (snake_case, as Dynamo's planner reads them). */
export interface PlannerSettings {
  optimization_target: 'throughput' | 'latency' | 'sla' | 'load';
  ttft_ms: number;
  itl_ms: number;
  /** Minimum replicas per worker type. */
  min_endpoint: number;
  /** Most GPUs the planner may use; -1 disables the budget. */
  max_gpu_budget: number;
  /** Defaults to the deployment's mode. */
  mode?: 'disagg' | 'agg';
  enable_throughput_scaling?: boolean;
  enable_load_scaling?: boolean;
  pre_deployment_sweeping_mode?: 'none' | 'rapid' | 'thorough';
}

export type ManifestWorkload = {isl: number; osl: number} & ({requestRate: number; concurrency?: never} | {concurrency: number; requestRate?: never});

export interface ManifestInput {
  /** Name of the DGDR, and of the DGD it deploys (DNS-1123; with the longest component name at most 45 characters). */
  name: string;
  namespace?: string;
  /** HuggingFace model ID served by the workers. */
  model: string;
  backend: 'vllm';
  /** Worker runtime image, e.g. nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0. */
  image: string;
  /** Planner / profiler image; by default `image` with vllm-runtime renamed to dynamo-planner (Dynamo's convention). */
  plannerImage?: string;
  /** Dynamo's hardware.gpuSku (e.g. h200_sxm); omitted lets Dynamo discover it. */
  gpuSku?: string;
  gpusPerNode: number;
  workload: ManifestWorkload;
  sla: {ttftMs: number; itlMs: number};
  mode: 'disagg' | 'agg';
  /** disagg: one prefill and one decode worker; agg: one agg worker. */
  workers: ManifestWorker[];
  planner?: PlannerSettings;
  /** Profile data in Dynamo's planner-profile-data form, for buildProfileConfigMap. */
  profile?: DynamoRawData;
  /** Secret holding HF_TOKEN, mounted into every container as Dynamo's templates do; default hf-token-secret. */
  hfTokenSecret?: string;
  /** DGDR spec.autoApply: deploy the DGD once profiling is done; default true. */
  autoApply?: boolean;
}

/** Options of the manifest set (the dgdr command's flags). */
export interface ManifestOptions {
  apiVersion: ManifestApiVersion;
  /** Emit just the DynamoGraphDeployment, not a request for one. */
  dgdOnly?: boolean;
  /** Emit a ConfigMap with the profile in Dynamo's planner-profile-data form (needs input.profile). */
  withProfileConfigMap?: boolean;
}

/** A Kubernetes object as we emit it: plain JSON data, keys in the order they are written. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>};
  [field: string]: unknown;
}
