// The live planner's loop: wait for the next tick on the config's cadence, observe the fleet, decide, act through the
// connector (or only report, in advisory mode), record the tick. No tick can throw or hang: sources and actions have
// deadlines, failures become issues, and an action that failed is tried again by the next tick's decision. The
// abort signal ends the loop between ticks, so the tick in progress always finishes.
import {snapshotFromDecision} from '../telemetry/from-decision.js';
import type {TrafficWindow} from '../../sim/fleet/index.js';
import {advanceSchedule, dueLoops, initialSchedule, nextTickAt} from '../cadence.js';
import type {EngineCapacities} from '../capacity.js';
import {type PlannerConfig, scaledRoles} from '../config.js';
import type {Connector, ReplicaTargets} from '../connectors/types.js';
import {decide, type PlannerDecision} from '../decide.js';
import {describeError} from '../observe/http-get.js';
import type {PrometheusTrafficSource} from '../observe/prometheus-api.js';
import {createPlannerState, type PlannerState} from '../state.js';
import type {DiagnosticsRecorder, PlannerMetrics} from '../telemetry/index.js';
import type {TickInput} from '../tick.js';
import {sleep, withDeadline} from './deadline.js';
import {type EngineSource, FleetObserver, type FleetObservation} from './observe-fleet.js';
import {type TickRecord, tickRecord} from './tick-record.js';

export type PlannerLoopEvent = {type: 'tick'; record: TickRecord} | {type: 'report'; path: string};

export interface PlannerLoopOptions {
  config: PlannerConfig;
  /** Reads replica counts and acts; absent, counts come from the engines seen and nothing is acted on. */
  connector?: Connector;
  /** Decide and report, never call connector.scale. */
  advisory: boolean;
  engineSource?: EngineSource;
  prometheus?: PrometheusTrafficSource;
  /** Per-engine capacity (from profiles) for the throughput loop. */
  capacities?: EngineCapacities;
  /** What one engine of each role holds (KV tokens, context, batch limits, GPUs). */
  capabilities?: TickInput['capabilities'];
  /** New entries are reported as issues (the local connector's engine start failures and exits). */
  connectorFailures?: () => readonly string[];
  recorder: DiagnosticsRecorder;
  metrics?: PlannerMetrics;
  /** Ends the loop after the tick in progress. */
  signal: AbortSignal;
  onEvent?: (event: PlannerLoopEvent) => void;
  /** Tick clock, seconds (default: Unix time). */
  now?: () => number;
  /** Deadline of each observation source, ms (default: 80% of the load interval, within 1-10 s). */
  observeTimeoutMs?: number;
  /** Deadline of one scaling action, ms (default 30 000, Dynamo's tick_max_duration_seconds). */
  actionTimeoutMs?: number;
}

export interface PlannerLoopSummary {
  ticks: number;
  /** Ticks whose decision changed some role's replica count. */
  decisions: number;
  actions: {applied: number; failed: number; advisory: number};
  /** Ticks that reported at least one issue. */
  ticks_with_issues: number;
  reports: string[];
  gpu_hours: number;
  last: TickRecord | null;
}

export async function runPlannerLoop(options: PlannerLoopOptions): Promise<PlannerLoopSummary> {
  const {config, signal} = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const observer = new FleetObserver({
    config,
    connector: options.connector,
    engineSource: options.engineSource,
    prometheus: options.prometheus,
    timeoutMs: options.observeTimeoutMs ?? Math.min(10_000, Math.max(1000, config.load_adjustment_interval * 800)),
  });
  const summary: PlannerLoopSummary = {ticks: 0, decisions: 0, actions: {applied: 0, failed: 0, advisory: 0}, ticks_with_issues: 0, reports: [], gpu_hours: 0, last: null};
  let failuresSeen = 0;
  // Dynamo's initial_tick: the first tick one interval after the start, when the counters have something to show.
  let state: PlannerState = {...createPlannerState(config), schedule: initialSchedule(config, now())};

  while (!signal.aborted) {
    const at = nextTickAt(state.schedule!) ?? now() + config.load_adjustment_interval;
    await sleep((at - now()) * 1000, signal);
    if (signal.aborted) break;
    const nowS = Math.max(now(), at);
    const observation = await observer.observe(nowS);
    const issues = [...observation.issues];
    const failures = options.connectorFailures?.() ?? [];
    issues.push(...failures.slice(failuresSeen).map((failure) => `local engine: ${failure}`));
    failuresSeen = failures.length;

    const tick: TickInput = {now_s: nowS, engines: observation.engines};
    // The window's mean TTFT rides with its traffic: the queue model's wait feedback reads it (a frontend cannot tell
    // the prefill legs' own time).
    if (observation.traffic) tick.traffic = {...observation.traffic, ...(observation.latency.ttft_ms !== undefined ? {ttft_ms: observation.latency.ttft_ms} : {})};
    if (observation.worker_counts) tick.worker_counts = observation.worker_counts;
    if (options.capabilities) tick.capabilities = options.capabilities;

    let decision: PlannerDecision | undefined;
    try {
      decision = decide(config, state, tick, options.capacities);
      state = decision.state;
    } catch (error) {
      // A bug in the core must not stop the service: skip this tick's decision, keep the cadence.
      issues.push(`decision failed: ${describeError(error)}`);
      state = {...state, schedule: advanceSchedule(config, state.schedule, nowS, dueLoops(config, state.schedule, nowS))};
    }

    const action = decision ? await act(options, decision, issues) : {status: 'none' as const};
    const record = tickRecord(nowS, scaledRoles(config.mode), observation, decision, action, issues);
    recordTick(options, summary, tick, observation, decision, record);
  }
  summary.gpu_hours = options.recorder.gpuHours;
  return summary;
}

/** The decision's replica targets in the connector's terms: agg workers under `agg`, else per role. */
export function replicaTargets(mode: PlannerConfig['mode'], scaleTo: PlannerDecision['scale_to']): ReplicaTargets {
  const targets: ReplicaTargets = {};
  if (mode === 'agg') {
    if (scaleTo.decode !== null) targets.agg = scaleTo.decode;
    return targets;
  }
  if (scaleTo.prefill !== null) targets.prefill = scaleTo.prefill;
  if (scaleTo.decode !== null) targets.decode = scaleTo.decode;
  return targets;
}

async function act(options: PlannerLoopOptions, decision: PlannerDecision, issues: string[]): Promise<TickRecord['action']> {
  const targets = replicaTargets(options.config.mode, decision.scale_to);
  if (Object.keys(targets).length === 0) return {status: 'none'};
  const connector = options.connector;
  if (options.advisory || !connector) return {status: 'advisory', targets};
  try {
    await withDeadline(`scaling through the ${connector.name} connector`, options.actionTimeoutMs ?? 30_000, (signal) => connector.scale(targets, signal));
    return {status: 'applied', targets};
  } catch (error) {
    const message = describeError(error);
    issues.push(`scaling to ${JSON.stringify(targets)} failed (the next tick decides again): ${message}`);
    return {status: 'failed', targets, error: message};
  }
}

function recordTick(options: PlannerLoopOptions, summary: PlannerLoopSummary, tick: TickInput, observation: FleetObservation, decision: PlannerDecision | undefined, record: TickRecord): void {
  try {
    const snapshot = snapshotFromDecision(tick, trafficWindow(tick.now_s, observation), decision);
    const report = options.recorder.record(snapshot);
    options.metrics?.record(snapshot, {gpuHours: options.recorder.gpuHours});
    if (report) {
      summary.reports.push(report);
      options.onEvent?.({type: 'report', path: report});
    }
  } catch (error) {
    // A full disk or a rendering bug loses the report, not the planner.
    record.issues.push(`recording the tick failed: ${describeError(error)}`);
  }
  summary.ticks++;
  if (record.action.status !== 'none') {
    summary.decisions++;
    summary.actions[record.action.status]++;
  }
  if (record.issues.length > 0) summary.ticks_with_issues++;
  summary.last = record;
  options.onEvent?.({type: 'tick', record});
}

/** The observed traffic as the recorder's traffic window (requests, lengths and latency over the last interval). */
function trafficWindow(nowS: number, observation: FleetObservation): TrafficWindow | undefined {
  const traffic = observation.traffic;
  if (!traffic || !(traffic.duration_s > 0) || !Number.isFinite(traffic.num_req)) return undefined;
  return {
    startS: nowS - traffic.duration_s,
    duration_s: traffic.duration_s,
    num_req: traffic.num_req,
    finished: traffic.num_req,
    isl: traffic.isl ?? null,
    osl: traffic.osl ?? null,
    ttft_ms: observation.latency.ttft_ms ?? null,
    itl_ms: observation.latency.itl_ms ?? null,
    kv_hit_rate: traffic.kv_hit_rate ?? null,
  };
}
