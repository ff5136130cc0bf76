// `dynamo-plan planner replay`: a trace replayed against a simulated fleet under each policy, one after another, on
// the same requests, engines, start-up time and seed, so their figures compare directly.
import {basename, extname, join} from 'node:path';
import {readTrace} from '../loadgen/traces.js';
import {badInput} from '../errors/errors.js';
import {parsePlannerConfig, type PlannerConfig} from '../planner/index.js';
import {DiagnosticsRecorder} from '../planner/telemetry/index.js';
import {requestsFromSchedule, summarizeFleet} from '../sim/fleet/index.js';
import {packagePath} from '../util/paths.js';
import {fleetPools, loadDeployment} from './deployment.js';
import {policyOutcome} from './outcome.js';
import {configPolicy, type OurSwitches, type PolicyBase, resolvePolicies} from './policies.js';
import {type PolicyRun, runPolicy} from './run-policy.js';
import {cheapestFixedFleet, type FixedFleetTrial} from './static-search.js';
import {scaleRate} from './scale-load.js';
import {openingLoad, peakLoad, replicasFor, staticPeakReplicas} from './static-sizing.js';
import type {PolicyOutcome, ReplayPolicy, ReplayProgress, ReplaySla} from './types.js';

/** The engine replayed when neither --profile nor the config's profile_results_dir names one. */
export const DEFAULT_PROFILE = packagePath('profiles', 'engines', 'meta-llama_llama-3.1-8b-instruct_h100_sxm_tp1');
/**
 * Seconds a new engine takes to serve: a pod scheduled on a node that already has the image and the weights cached,
 * loading 16 GB of weights and capturing CUDA graphs, is about a minute for an 8B model (several minutes cold).
 */
export const DEFAULT_STARTUP_S = 60;
/** The share of requests static-peak's fixed fleet must hold within the SLA (the goal for ours). */
export const STATIC_PEAK_ATTAINMENT = 0.99;
/** Dynamo's default SLA targets, used when neither the config nor a flag sets one. */
const DEFAULT_SLA: ReplaySla = {ttft_ms: 500, itl_ms: 50};

export interface ReplayOptions {
  tracePath: string;
  /** A planner configuration: replayed as a policy named after the file, and the deployment facts of the built-ins. */
  configPath?: string;
  /** Policies to compare (built-in names and the config's name); default: the config alone. */
  policies?: string[];
  profileDirs?: string[];
  startupS?: number;
  rateScale?: number;
  timeScale?: number;
  /** Override the SLA targets of the config (or Dynamo's defaults). */
  ttftMs?: number;
  itlMs?: number;
  reportDir?: string;
  seed?: number;
  /** dynamo-plan's correction switches, for measuring each one (default: all on). */
  ours?: Partial<OurSwitches>;
  signal?: AbortSignal;
  onProgress?: (event: ReplayProgress) => void;
}

export interface ReplayResult {
  trace: {path: string; requests: number; duration_s: number; rate_scale: number; time_scale: number; mean_isl: number; mean_osl: number; peak_rps: number; peak_interval_s: number};
  mode: PlannerConfig['mode'];
  sla: ReplaySla;
  startup_s: number;
  seed: number;
  engine: {model: string; accelerator: string; tp: number; profiles: string[]};
    /** static-peak's replicas (the cheapest fixed fleet found to hold STATIC_PEAK_ATTAINMENT), the sizer's fleet the
   * search started from, and the replicas every autoscaling policy starts from. */
  replicas: {static_peak: {prefill: number; decode: number}; static_peak_sized: {prefill: number; decode: number}; initial: {prefill: number; decode: number}};
  policies: PolicyOutcome[];
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const user = options.configPath ? configPolicy(options.configPath, basename(options.configPath, extname(options.configPath))) : undefined;
  const userConfig = user?.kind === 'planner' ? user.config : undefined;
  if (!user && !options.policies?.length) throw badInput('Nothing to replay.', 'Pass --config FILE (your planner configuration), --compare static-peak,throughput,dynamo-sla,dynamo-plan, or both.', 'E_BAD_POLICY');
  const rateScale = options.rateScale ?? 1;
  const seed = options.seed ?? 0;
  const requests = scaleRate(requestsFromSchedule(readTrace(options.tracePath, options.timeScale !== undefined ? {timeScale: options.timeScale} : {})), rateScale, seed);
  const profileDirs = options.profileDirs?.length ? options.profileDirs : userConfig?.profile_results_dir.length ? userConfig.profile_results_dir : [DEFAULT_PROFILE];
  const deployment = loadDeployment(profileDirs);
  const startupS = options.startupS ?? DEFAULT_STARTUP_S;
  const sla: ReplaySla = {ttft_ms: options.ttftMs ?? userConfig?.ttft ?? DEFAULT_SLA.ttft_ms, itl_ms: options.itlMs ?? userConfig?.itl ?? DEFAULT_SLA.itl_ms};
  const base: PolicyBase = {mode: userConfig?.mode ?? 'disagg', sla, max_gpu_budget: userConfig?.max_gpu_budget ?? -1, min_endpoint: userConfig?.min_endpoint ?? 1, startup_s: startupS, ...(options.ours ? {ours: options.ours} : {})};
  const names = options.policies?.length ? [...options.policies, ...(user && !options.policies.includes(user.name) ? [user.name] : [])] : [user!.name];
  const policies = resolvePolicies(names, base, user);

  // Sizing for static-peak and the opening deployment: the planner's own capacity model at the SLA.
  const sizing = parsePlannerConfig({mode: base.mode, optimization_target: 'sla', ttft: sla.ttft_ms, itl: sla.itl_ms, min_endpoint: base.min_endpoint, max_gpu_budget: -1}, 'replay sizing');
  const intervalS = userConfig?.throughput_adjustment_interval ?? sizing.throughput_adjustment_interval;
  const decode = deployment.engines.decode;
  const capabilities = {decode: {max_num_seqs: decode.facts.maxNumSeqs ?? undefined, max_kv_tokens: decode.spec.kvCapacityTokens}};
  const peak = peakLoad(requests, intervalS);
  const sizedStatic = staticPeakReplicas(profileDirs, base, peak, requests);
  const opening = openingLoad(requests, intervalS);
  const initialReplicas = replicasFor(sizing, deployment.capacities, capabilities, opening);
  // Each autoscaling policy starts from its own throughput sizing of the opening interval (Dynamo's for the others).
  const openingFor = (config: PlannerConfig) => (config.optimization_target === 'sla' && config.queue_model_percentile !== null ? replicasFor(config, deployment.capacities, capabilities, opening, opening.window) : initialReplicas);

  const replay = async (policy: ReplayPolicy, replicas: {prefill: number; decode: number}, recorder?: DiagnosticsRecorder) => {
    const config = policy.kind === 'planner' ? policy.config : undefined;
    return runPolicy({
      policy,
      fleet: {pools: fleetPools(deployment, config?.mode ?? base.mode, replicas, startupS), seed},
      requests,
      capacities: deployment.capacities,
      observeIntervalS: intervalS,
      recorder,
      signal: options.signal,
      onProgress: options.onProgress,
    });
  };

  const outcomes: PolicyOutcome[] = [];
  let staticReplicas = sizedStatic;
  for (const [index, policy] of policies.entries()) {
    options.onProgress?.({type: 'policy', policy: policy.name, index, total: policies.length});
    const config = policy.kind === 'planner' ? policy.config : undefined;
    const recorder = options.reportDir
      ? new DiagnosticsRecorder({reports: {dir: join(options.reportDir, policy.name), intervalHours: config?.report_interval_hours ?? null}, modelName: decode.spec.model.id})
      : undefined;
    let run: PolicyRun;
    let start: {prefill: number; decode: number};
    if (policy.kind === 'static') {
      const runs = new Map<string, PolicyRun>();
      const roles = base.mode === 'agg' ? (['decode'] as const) : (['prefill', 'decode'] as const);
      const found = await cheapestFixedFleet(sizedStatic, STATIC_PEAK_ATTAINMENT, base.min_endpoint, roles, async (fleet) => {
        const trialRun = await replay(policy, fleet);
        runs.set(`${fleet.prefill}+${fleet.decode}`, trialRun);
        return missesOf(trialRun, sla);
      });
      staticReplicas = found.fleet;
      start = staticReplicas;
      // The search ran without the recorder (one report per policy): replay the chosen fleet once more for it.
      run = recorder ? await replay(policy, staticReplicas, recorder) : runs.get(`${staticReplicas.prefill}+${staticReplicas.decode}`)!;
    } else {
      start = openingFor(policy.config);
      run = await replay(policy, start, recorder);
    }
    const outcome = policyOutcome(policy, run, sla, requests[0]?.atS ?? 0, start);
    const last = recorder?.flush();
    if (last) outcome.reports = [last];
    outcomes.push(outcome);
  }

  const mean = (pick: (request: (typeof requests)[number]) => number) => requests.reduce((sum, request) => sum + pick(request), 0) / requests.length;
  return {
    trace: {path: options.tracePath, requests: requests.length, duration_s: requests.at(-1)!.atS - requests[0]!.atS, rate_scale: rateScale, time_scale: options.timeScale ?? 1, mean_isl: mean((r) => r.isl), mean_osl: mean((r) => r.osl), peak_rps: peak.rps, peak_interval_s: intervalS},
    mode: base.mode,
    sla,
    startup_s: startupS,
    seed,
    engine: {model: decode.spec.model.id, accelerator: decode.spec.accelerator.sku, tp: decode.spec.tp, profiles: profileDirs},
    replicas: {static_peak: staticReplicas, static_peak_sized: sizedStatic, initial: initialReplicas},
    policies: outcomes,
  };
}

/** A fixed fleet's replay: its attainment and how many requests missed each target. */
function missesOf(run: PolicyRun, sla: ReplaySla): FixedFleetTrial {
  let ttftMisses = 0;
  let itlMisses = 0;
  for (const record of run.result.records) {
    if (record.finishReason === 'abort') continue;
    if (record.ttftS === null || record.ttftS * 1000 > sla.ttft_ms) ttftMisses++;
    if (record.meanItlS !== null && record.meanItlS * 1000 > sla.itl_ms) itlMisses++;
  }
  return {attainment: summarizeFleet(run.result, {ttftMs: sla.ttft_ms, itlMs: sla.itl_ms}).slaAttainment, ttftMisses, itlMisses};
}
