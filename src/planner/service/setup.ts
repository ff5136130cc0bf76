// What `planner run` wires together before its loop starts: the configuration (file, then flags over it), the
// connector, the engines to scrape, Prometheus, engine capacities and capabilities. Each piece fails fast here with a
// hint (exit 3), since a planner that cannot start should say so rather than tick on nothing.
import {badInput} from '../../errors/errors.js';
import {loadProfile} from '../../profile/artifact.js';
import {readValidatedFile} from '../../schema/validator.js';
import {resolveEngineSpec} from '../../sim/cost/index.js';
import {engineSchedulerConfig} from '../../sim/engine/scheduler-config.js';
import {DEFAULT_GPU, DEFAULT_MODEL} from '../../sim/simulator.js';
import {PLANNER_CONFIG_SCHEMA, type PlannerConfig, type PlannerConfigInput, resolvePlannerConfig} from '../config.js';
import {resolveKubeAccess} from '../connectors/kubernetes/access.js';
import {KubeClient} from '../connectors/kubernetes/client.js';
import {KubernetesConnector} from '../connectors/kubernetes/connector.js';
import type {EngineProcessOptions} from '../connectors/local/engine-process.js';
import {LocalConnector} from '../connectors/local/connector.js';
import type {Connector} from '../connectors/types.js';
import {VirtualConnector} from '../connectors/virtual.js';
import {discoverKubernetesEngines, staticEngines} from '../observe/discovery.js';
import type {TickInput, WorkerCapability} from '../tick.js';
import type {EngineSource} from './observe-fleet.js';

export type ConnectorKind = 'kubernetes' | 'local' | 'virtual';

/** The engines the local connector starts (`sim serve` flags). */
export interface LocalEngineOptions {
  model?: string;
  gpu?: string;
  tp?: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  maxModelLen?: number;
  gpuMemoryUtilization?: number;
  /** The CLI entry that runs `sim serve` (default: this package's build). */
  cliEntry?: string;
}

/**
 * The configuration file (when given) with the flags' fields over it, and the connector: the one asked for, else the
 * file's `environment` when it names one, else kubernetes (Dynamo's default). Without a `mode`, the local connector
 * runs agg (its engines serve whole requests); a config asking it for disaggregated workers is refused.
 */
export function plannerConfigFrom(path: string | undefined, overrides: PlannerConfigInput, connector: ConnectorKind | undefined): {config: PlannerConfig; connector: ConnectorKind} {
  const file = path ? readValidatedFile<PlannerConfigInput>(path, PLANNER_CONFIG_SCHEMA) : {};
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as PlannerConfigInput;
  const input: PlannerConfigInput = {...file, ...defined};
  const kind: ConnectorKind = connector ?? (input.environment === 'local' || input.environment === 'virtual' ? input.environment : 'kubernetes');
  if (kind === 'local' || kind === 'virtual') input.environment = kind;
  if (kind === 'local') {
    input.mode ??= 'agg';
    if (input.mode !== 'agg') throw badInput(`The local connector runs aggregated engines, but the planner config says mode ${input.mode}.`, 'Set mode: agg, or use the kubernetes or virtual connector.', 'E_LOCAL_AGG_ONLY');
  }
  return {config: resolvePlannerConfig(input, path ?? 'planner flags'), connector: kind};
}

/** `sim serve` arguments for the local engines beyond model, GPU and TP. */
export function localEngineProcess(options: LocalEngineOptions): EngineProcessOptions {
  const extraArgs: string[] = [];
  if (options.maxNumSeqs !== undefined) extraArgs.push('--max-num-seqs', String(options.maxNumSeqs));
  if (options.maxNumBatchedTokens !== undefined) extraArgs.push('--max-num-batched-tokens', String(options.maxNumBatchedTokens));
  if (options.maxModelLen !== undefined) extraArgs.push('--max-model-len', String(options.maxModelLen));
  if (options.gpuMemoryUtilization !== undefined) extraArgs.push('--gpu-memory-utilization', String(options.gpuMemoryUtilization));
  return {model: options.model ?? DEFAULT_MODEL, gpu: options.gpu ?? DEFAULT_GPU, tp: options.tp ?? 1, extraArgs, cliEntry: options.cliEntry};
}

/** What each local engine holds, from the same catalogs and defaults `sim serve` resolves (agg engines: decode). */
export function localCapabilities(options: LocalEngineOptions): NonNullable<TickInput['capabilities']> {
  const spec = resolveEngineSpec({model: options.model ?? DEFAULT_MODEL, gpu: options.gpu ?? DEFAULT_GPU, tp: options.tp ?? 1,
    gpuMemoryUtilization: options.gpuMemoryUtilization, maxModelLen: options.maxModelLen});
  const scheduler = engineSchedulerConfig(spec, 'agg', {maxNumSeqs: options.maxNumSeqs, maxNumBatchedTokens: options.maxNumBatchedTokens});
  const capability: WorkerCapability = {
    num_gpu: spec.tp,
    context_length: spec.maxModelLen,
    max_kv_tokens: spec.kvCapacityTokens,
    max_num_seqs: scheduler.maxNumSeqs,
    max_num_batched_tokens: scheduler.maxNumBatchedTokens,
  };
  return {prefill: capability, decode: capability};
}

/** What the profiled engines hold, per role, from the profiles' engine facts (fields a profile does not know are left out). */
export function profileCapabilities(dirs: readonly string[]): TickInput['capabilities'] | undefined {
  const capabilities: NonNullable<TickInput['capabilities']> = {};
  for (const dir of dirs) {
    const {engine} = loadProfile(dir);
    const capability: WorkerCapability = {};
    if (engine.gpusPerEngine !== null) capability.num_gpu = engine.gpusPerEngine;
    if (engine.maxModelLen !== null) capability.context_length = engine.maxModelLen;
    if (engine.kvCapacityTokens !== null) capability.max_kv_tokens = engine.kvCapacityTokens;
    if (engine.maxNumSeqs !== null) capability.max_num_seqs = engine.maxNumSeqs;
    if (engine.maxNumBatchedTokens !== null) capability.max_num_batched_tokens = engine.maxNumBatchedTokens;
    if (engine.role !== 'decode') capabilities.prefill = capability;
    if (engine.role !== 'prefill') capabilities.decode = capability;
  }
  return Object.keys(capabilities).length > 0 ? capabilities : undefined;
}

export interface KubernetesTarget {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** The DynamoGraphDeployment; default $DYN_PARENT_DGD_K8S_NAME, as Dynamo's planner reads it. */
  dgd?: string;
}

/** The DGD's connector, and its worker pods as the engines to scrape (found again each tick, as pods come and go). */
export function kubernetesFleet(config: PlannerConfig, target: KubernetesTarget, env: NodeJS.ProcessEnv = process.env): {connector: KubernetesConnector; engineSource: EngineSource} {
  const dgdName = target.dgd ?? env.DYN_PARENT_DGD_K8S_NAME;
  if (!dgdName) throw badInput('The kubernetes connector needs the DynamoGraphDeployment to scale.', 'Pass --dgd NAME (or set DYN_PARENT_DGD_K8S_NAME).', 'E_NO_DGD');
  const access = resolveKubeAccess({kubeconfig: target.kubeconfig, context: target.context, env});
  const namespace = target.namespace ?? access.namespace ?? config.namespace;
  if (!namespace) throw badInput(`No namespace for DynamoGraphDeployment ${dgdName}.`, 'Pass --namespace, or set one in the kubeconfig context.', 'E_NO_NAMESPACE');
  const client = new KubeClient(access);
  const decodeGpus = config.decode_engine_num_gpu ?? 1;
  const connector = new KubernetesConnector({
    client, namespace, dgdName,
    gpusPerEngine: {prefill: config.prefill_engine_num_gpu ?? 1, decode: decodeGpus, agg: decodeGpus},
    maxGpuBudget: config.max_gpu_budget,
  });
  return {connector, engineSource: kubernetesEngineSource(connector, client, namespace, dgdName)};
}

/** The ready pods of the DGD's worker components (named as the connector recognises them). */
export function kubernetesEngineSource(connector: KubernetesConnector, client: KubeClient, namespace: string, dgdName: string): EngineSource {
  return async (signal) => {
    const view = await connector.read(signal);
    const components = Object.fromEntries(Object.values(view.components).map((component) => [component.role, component.name]));
    return discoverKubernetesEngines({client, namespace, dgdName, components}, signal);
  };
}

export function virtualConnector(target: {file?: string; webhook?: string}): VirtualConnector {
  if ((target.file === undefined) === (target.webhook === undefined)) {
    throw badInput('The virtual connector needs exactly one of --decision-file or --webhook.', 'Name the file the decisions are written to, or the URL they are POSTed to.', 'E_VIRTUAL_TARGET');
  }
  return new VirtualConnector(target);
}

/** A static list of engine URLs, else the local router's serving engines; undefined for other connectors. */
export function engineSourceFor(config: PlannerConfig, connector: Connector | undefined, engineUrls: readonly string[]): EngineSource | undefined {
  if (engineUrls.length > 0) {
    const engines = staticEngines(engineUrls, config.mode === 'prefill' ? 'prefill' : config.mode === 'decode' ? 'decode' : 'agg');
    return async () => ({engines, issues: []});
  }
  if (connector instanceof LocalConnector) {
    // Draining engines no longer count as ready workers; scraping them would break the worker-count guard.
    return async () => ({engines: connector.router.list().filter((engine) => !engine.draining).map((engine) => ({id: engine.id, url: engine.url, role: 'agg' as const})), issues: []});
  }
  return undefined;
}
