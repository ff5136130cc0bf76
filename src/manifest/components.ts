import {badInput} from '../errors/errors.js';
import {plannerConfig} from './planner.js';
import type {ManifestInput, ManifestWorker, WorkerRole} from './types.js';

// The graph's components, independent of the CRD version that writes them down: Dynamo's vLLM templates
// (components/src/dynamo/profiler/templates/dgd/vllm/{agg,disagg}.yaml) with our sized workers. Component names
// are Dynamo's, so a DGD carried in a DGDR's overrides.dgd replaces the profiler's components instead of adding some.

export const COMPONENT_NAMES = {frontend: 'Frontend', prefill: 'VllmPrefillWorker', decode: 'VllmDecodeWorker', agg: 'VllmDecodeWorker', planner: 'Planner'} as const;

/** Where the planner finds the profile ConfigMap's files (its profile_results_dir). */
export const PROFILE_MOUNT_PATH = '/workspace/profiling_results';
export const PROFILE_VOLUME = 'planner-profile-data';

const DEFAULT_HF_TOKEN_SECRET = 'hf-token-secret';
const VLLM_WORKING_DIR = '/workspace/examples/backends/vllm';
const NIXL_KV_TRANSFER = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';

export type ComponentType = 'frontend' | 'prefill' | 'decode' | 'worker' | 'planner';

export interface ComponentPlan {
  name: string;
  type: ComponentType;
  replicas: number;
  image: string;
  command: string[];
  args: string[];
  workingDir?: string;
  /** GPUs each pod's main container asks for (nvidia.com/gpu); a multinode engine has one pod per node. */
  gpusPerPod?: number;
  /** Nodes one engine spans, when more than one. */
  nodeCount?: number;
  envSecret: string;
  /** Replicas are owned by a DynamoGraphDeploymentScalingAdapter, so the planner can scale them. */
  scalingAdapter: boolean;
  /** A ConfigMap mounted read-only into the main container. */
  configMapVolume?: {volume: string; configMap: string; mountPath: string};
}

/** The graph's components in Dynamo's order: Frontend, the workers (prefill first), then the Planner when asked. */
export function planComponents(input: ManifestInput, profileConfigMap?: string): ComponentPlan[] {
  const envSecret = input.hfTokenSecret ?? DEFAULT_HF_TOKEN_SECRET;
  const scaled = input.planner !== undefined;
  const frontend: ComponentPlan = {name: COMPONENT_NAMES.frontend, type: 'frontend', replicas: 1, image: input.image, command: ['python3'], args: ['-m', 'dynamo.frontend'], envSecret, scalingAdapter: false};
  const workers = orderedWorkers(input).map((worker) => workerComponent(input, worker, envSecret, scaled));
  return input.planner ? [frontend, ...workers, plannerComponent(input, envSecret, profileConfigMap)] : [frontend, ...workers];
}

/** The planner / profiler image: the one given, or Dynamo's naming (vllm-runtime -> dynamo-planner, same tag). */
export function plannerImageOf(input: ManifestInput): string {
  return input.plannerImage ?? input.image.replace('/vllm-runtime:', '/dynamo-planner:');
}

/** Total GPUs of the sized workers. */
export function totalGpus(input: ManifestInput): number {
  return input.workers.reduce((sum, worker) => sum + worker.gpusPerEngine * worker.replicas, 0);
}

/** The workers in graph order (prefill before decode), each checked to be placeable: whole GPUs, even over nodes. */
export function checkedWorkers(input: ManifestInput): ManifestWorker[] {
  const workers = orderedWorkers(input);
  for (const worker of workers) placement(worker, input.gpusPerNode);
  return workers;
}

function orderedWorkers(input: ManifestInput): ManifestWorker[] {
  const roles: WorkerRole[] = input.mode === 'disagg' ? ['prefill', 'decode'] : ['agg'];
  const found = roles.map((role) => input.workers.filter((worker) => worker.role === role));
  if (found.every((workers) => workers.length === 1) && input.workers.length === roles.length) return found.map((workers) => workers[0]!);
  throw badInput(
    `A ${input.mode} deployment needs exactly one ${roles.join(' and one ')} worker; got ${input.workers.map((worker) => worker.role).join(', ') || 'none'}.`,
    input.mode === 'disagg' ? 'Size with --mode disagg so both a prefill and a decode configuration are chosen.' : 'Size with --mode agg so one aggregated configuration is chosen.',
    'E_MANIFEST_WORKERS',
  );
}

function workerComponent(input: ManifestInput, worker: ManifestWorker, envSecret: string, scaled: boolean): ComponentPlan {
  const {gpusPerPod, nodeCount} = placement(worker, input.gpusPerNode);
  return {
    name: COMPONENT_NAMES[worker.role],
    type: worker.role === 'agg' ? 'worker' : worker.role,
    replicas: worker.replicas,
    image: input.image,
    command: ['python3', '-m', 'dynamo.vllm'],
    args: vllmArgs(input.model, worker),
    workingDir: VLLM_WORKING_DIR,
    gpusPerPod,
    ...(nodeCount > 1 ? {nodeCount} : {}),
    envSecret,
    scalingAdapter: scaled,
  };
}

function vllmArgs(model: string, worker: ManifestWorker): string[] {
  const args = ['--model', model, '--tensor-parallel-size', String(worker.tp)];
  if ((worker.pp ?? 1) > 1) args.push('--pipeline-parallel-size', String(worker.pp));
  if ((worker.dp ?? 1) > 1) args.push('--data-parallel-size', String(worker.dp));
  if (worker.role === 'prefill') args.push('--disaggregation-mode', 'prefill', '--kv-transfer-config', NIXL_KV_TRANSFER);
  if (worker.role === 'decode') args.push('--disaggregation-mode', 'decode');
  if (worker.maxNumSeqs !== undefined) args.push('--max-num-seqs', String(worker.maxNumSeqs));
  if (worker.maxNumBatchedTokens !== undefined) args.push('--max-num-batched-tokens', String(worker.maxNumBatchedTokens));
  return args;
}

/**
 * An engine larger than a node spans ceil(gpus / gpusPerNode) nodes with an equal share on each (Dynamo: total
 * GPUs = nodeCount x the container's GPU request). The GPU counts must be whole; tp x pp x dp must be the engine.
 */
function placement(worker: ManifestWorker, gpusPerNode: number): {gpusPerPod: number; nodeCount: number} {
  const where = `The ${worker.role} worker`;
  for (const [field, value] of [['gpusPerEngine', worker.gpusPerEngine], ['tp', worker.tp], ['pp', worker.pp ?? 1], ['dp', worker.dp ?? 1], ['gpusPerNode', gpusPerNode]] as const) {
    if (!Number.isInteger(value) || value < 1) throw badInput(`${where}: ${field} is ${value}; GPU counts must be whole and positive.`, 'GPUs cannot be split between engines: use whole numbers of at least 1.', 'E_MANIFEST_GPUS');
  }
  if (!Number.isInteger(worker.replicas) || worker.replicas < 0) throw badInput(`${where}: replicas is ${worker.replicas}; replicas must be a whole number, 0 or more.`, 'Round the replica count up to a whole number.', 'E_MANIFEST_REPLICAS');
  const parallel = worker.tp * (worker.pp ?? 1) * (worker.dp ?? 1);
  if (parallel !== worker.gpusPerEngine) {
    throw badInput(`${where}: tp x pp x dp = ${parallel}, but gpusPerEngine is ${worker.gpusPerEngine}.`, 'An engine uses exactly tp x pp x dp GPUs; fix the configuration.', 'E_MANIFEST_GPUS');
  }
  const nodeCount = Math.ceil(worker.gpusPerEngine / gpusPerNode);
  if (worker.gpusPerEngine % nodeCount !== 0) {
    throw badInput(
      `${where}: ${worker.gpusPerEngine} GPUs per engine cannot be spread evenly over ${nodeCount} nodes of ${gpusPerNode} GPUs.`,
      `Use an engine of a multiple of ${nodeCount} GPUs, or one that fits on a node (at most ${gpusPerNode}).`,
      'E_MANIFEST_GPUS',
    );
  }
  return {gpusPerPod: worker.gpusPerEngine / nodeCount, nodeCount};
}

function plannerComponent(input: ManifestInput, envSecret: string, profileConfigMap: string | undefined): ComponentPlan {
  const config = plannerConfig(input, profileConfigMap === undefined ? undefined : PROFILE_MOUNT_PATH);
  return {
    name: COMPONENT_NAMES.planner,
    type: 'planner',
    replicas: 1,
    image: plannerImageOf(input),
    command: ['python3', '-m', 'dynamo.planner'],
    args: ['--config', JSON.stringify(config)],
    envSecret,
    scalingAdapter: false,
    ...(profileConfigMap === undefined ? {} : {configMapVolume: {volume: PROFILE_VOLUME, configMap: profileConfigMap, mountPath: PROFILE_MOUNT_PATH}}),
  };
}
