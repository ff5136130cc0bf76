import {loadProfile, profilePoints} from '../profile/artifact.js';
import {sizeDeployment} from '../sizing/size.js';
import type {SizingInput, SizingResult} from '../sizing/types.js';
import {writeFileAtomic} from '../util/files.js';
import {buildManifests, plannerProfileData, renderManifests} from './index.js';
import {MAX_DGD_AND_COMPONENT_NAME} from './rules.js';
import type {K8sObject, ManifestApiVersion, ManifestInput, PlannerSettings} from './types.js';

// A sizing answer turned into manifests: the one path `dgdr` and `tune` share, so both write the same bytes for the
// same deployment.

/** Dynamo's published vLLM runtime image of the release our CRD schemas come from. */
export const DEFAULT_WORKER_IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0';
/** The longest component name we emit (VllmPrefillWorker), which the 45-character rule counts with the DGD name. */
const LONGEST_COMPONENT = 'VllmPrefillWorker'.length;

export interface DgdrOptions {
  /** Default: derived from the model (see defaultDeploymentName). */
  name?: string;
  namespace?: string;
  image?: string;
  /** Default: the sized engines' accelerator, which uses Dynamo's SKU names. */
  gpuSku?: string;
  /** Default: the sizing's --gpus-per-node, else 8. */
  gpusPerNode?: number;
  /** Embed a PlannerConfig so Dynamo's (or our) runtime planner scales the deployment. */
  planner?: boolean;
  /** GPU budget for the planner; default: unlimited (-1). */
  maxGpuBudget?: number;
  /** The planner's floor of replicas per role (sizing's --min-replicas); default 1, as Dynamo's. */
  minEndpoint?: number;
  apiVersion: ManifestApiVersion;
  dgdOnly?: boolean;
  withProfileConfigMap?: boolean;
}

export interface GeneratedManifests {
  objects: K8sObject[];
  /** Multi-document YAML, stable for the same input. */
  yaml: string;
}

/** Build, validate and render the manifests of a sized deployment (reads the profiles only for the ConfigMap). */
export function manifestsFromSizing(sizing: SizingResult, options: DgdrOptions, gpusPerNode?: number): GeneratedManifests {
  const input = manifestInputFromSizing(sizing, options, gpusPerNode);
  const objects = buildManifests(input, {apiVersion: options.apiVersion, dgdOnly: options.dgdOnly, withProfileConfigMap: options.withProfileConfigMap});
  return {objects, yaml: renderManifests(objects)};
}

export function manifestInputFromSizing(sizing: SizingResult, options: DgdrOptions, gpusPerNode?: number): ManifestInput {
  const model = sizing.roles.find((role) => role.engine.model !== null)?.engine.model ?? 'model';
  const accelerator = sizing.roles.find((role) => role.engine.accelerator !== null)?.engine.accelerator ?? undefined;
  const workload = sizing.workload.concurrency === null ? {isl: round(sizing.workload.isl), osl: round(sizing.workload.osl), requestRate: sizing.workload.request_rate} : {isl: round(sizing.workload.isl), osl: round(sizing.workload.osl), concurrency: sizing.workload.concurrency};
  const name = options.name ?? defaultDeploymentName(model);
  const planner: PlannerSettings | undefined = options.planner
    ? {optimization_target: 'sla', ttft_ms: sizing.sla.ttft_ms, itl_ms: sizing.sla.itl_ms, min_endpoint: options.minEndpoint ?? 1, max_gpu_budget: options.maxGpuBudget ?? -1, mode: sizing.mode, enable_throughput_scaling: true, enable_load_scaling: true}
    : undefined;
  return {
    name,
    ...(options.namespace === undefined ? {} : {namespace: options.namespace}),
    model,
    backend: 'vllm',
    image: options.image ?? DEFAULT_WORKER_IMAGE,
    ...(options.gpuSku ?? accelerator ? {gpuSku: options.gpuSku ?? accelerator} : {}),
    gpusPerNode: options.gpusPerNode ?? gpusPerNode ?? 8,
    workload,
    sla: {ttftMs: sizing.sla.ttft_ms, itlMs: sizing.sla.itl_ms},
    mode: sizing.mode,
    workers: sizing.roles.map((role) => ({
      role: role.role,
      tp: role.engine.tp,
      ...(role.engine.pp > 1 ? {pp: role.engine.pp} : {}),
      ...(role.engine.dp > 1 ? {dp: role.engine.dp} : {}),
      gpusPerEngine: role.config.gpus_per_engine,
      replicas: role.replicas,
      ...(role.engine.max_num_seqs === null ? {} : {maxNumSeqs: role.engine.max_num_seqs}),
      ...(role.engine.max_num_batched_tokens === null ? {} : {maxNumBatchedTokens: role.engine.max_num_batched_tokens}),
    })),
    ...(planner ? {planner} : {}),
    ...(options.withProfileConfigMap ? {profile: profileDataOf(sizing)} : {}),
  };
}

/**
 * A DNS-1123 name from the model ID (its last path segment, lowercased), short enough that the DGD name plus our
 * longest component name stays within Dynamo's 45 characters.
 */
export function defaultDeploymentName(model: string): string {
  const base = (model.split('/').at(-1) ?? model).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const trimmed = base.slice(0, MAX_DGD_AND_COMPONENT_NAME - LONGEST_COMPONENT).replace(/^-+|-+$/g, '');
  return trimmed.length > 0 ? trimmed : 'llm';
}

function profileDataOf(sizing: SizingResult) {
  const dirs = [...new Set(sizing.roles.map((role) => role.profile))];
  return plannerProfileData(
    dirs.map((dir) => {
      const profile = loadProfile(dir);
      const role = sizing.roles.find((sized) => sized.profile === dir)!.role;
      return {role: profile.engine.role ?? role, points: profilePoints(dir, profile), engine: profile.engine};
    }),
  );
}

function round(value: number): number {
  return Math.max(1, Math.round(value));
}

export interface DeploymentManifests extends GeneratedManifests {
  sizing: SizingResult;
  /** Where the YAML was written; absent when it goes to stdout. */
  file?: string;
}

/** `dynamo-plan dgdr`: size for the SLA, then build, validate and (with outFile) atomically write the manifests. */
export function generateDeploymentManifests(input: SizingInput, options: DgdrOptions, outFile?: string): DeploymentManifests {
  const sizing = sizeDeployment(input);
  const manifests = manifestsFromSizing(sizing, options, input.limits.gpusPerNode);
  if (outFile !== undefined) writeFileAtomic(outFile, manifests.yaml);
  return {sizing, ...manifests, ...(outFile === undefined ? {} : {file: outFile})};
}
