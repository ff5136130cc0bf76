// `dynamo-plan planner run`: the live planner service. Sets up the configuration, connector, observers and telemetry,
// says where everything listens, runs the loop until the signal, then shuts down in order: the tick in progress
// finishes, the report is written, the connector is closed (the local fleet drains), the servers stop.
import type {PlannerConfigInput} from '../config.js';
import {loadProfileCapacities} from '../profile-capacity.js';
import type {EngineCapacities} from '../capacity.js';
import type {Connector} from '../connectors/types.js';
import {LocalConnector} from '../connectors/local/connector.js';
import {PrometheusTrafficSource} from '../observe/prometheus-api.js';
import {createPlannerMetrics, DiagnosticsRecorder, type PlannerDashboard, startPlannerDashboard} from '../telemetry/index.js';
import type {TickInput} from '../tick.js';
import {withDeadline} from './deadline.js';
import {type PlannerLoopEvent, type PlannerLoopSummary, runPlannerLoop} from './loop.js';
import {type MetricsServer, startMetricsServer} from './metrics-server.js';
import type {EngineSource} from './observe-fleet.js';
import {type ConnectorKind, engineSourceFor, kubernetesFleet, type KubernetesTarget, localCapabilities, localEngineProcess, type LocalEngineOptions, plannerConfigFrom, profileCapabilities, virtualConnector} from './setup.js';

export interface PlannerRunOptions {
  configPath?: string;
  /** Config fields set by flags; they win over the file. */
  overrides: PlannerConfigInput;
  /** Default: the config's environment when it names a connector, else kubernetes. */
  connector?: ConnectorKind;
  /** Address the metrics server, dashboard and local router listen on (default 127.0.0.1). */
  host?: string;
  profileDirs: string[];
  engineUrls: string[];
  local: LocalEngineOptions & {initialReplicas?: number; routerPort?: number};
  kubernetes: KubernetesTarget;
  virtual: {file?: string; webhook?: string};
  signal: AbortSignal;
  onEvent?: (event: PlannerRunEvent) => void;
}

/** Where the running planner can be reached, printed once when it is up (`--json`: one line). */
export interface PlannerReadyInfo {
  connector: ConnectorKind;
  advisory: boolean;
  mode: string;
  optimization_target: string;
  load_adjustment_interval_s: number | null;
  throughput_adjustment_interval_s: number | null;
  model_name?: string;
  /** The local fleet's OpenAI-compatible router: send load here. */
  router_url?: string;
  metrics_url?: string;
  dashboard_url?: string;
  prometheus_url?: string;
  report_dir: string;
}

export type PlannerRunEvent =
  | {type: 'ready'; info: PlannerReadyInfo}
  | {type: 'fleet'; message: string}
  | PlannerLoopEvent
  | {type: 'stopping'};

export type PlannerRunResult = PlannerLoopSummary & {ready: PlannerReadyInfo};

/** Longest wait for the local fleet's first engines before ticking anyway. */
const INITIAL_FLEET_TIMEOUT_MS = 120_000;

export async function runPlanner(options: PlannerRunOptions): Promise<PlannerRunResult> {
  const emit = (event: PlannerRunEvent) => options.onEvent?.(event);
  const host = options.host ?? '127.0.0.1';
  const {config: resolved, connector: kind} = plannerConfigFrom(options.configPath, options.overrides, options.connector);
  // The local engines serve their catalog model under its id: the model every series is filtered by.
  const config = kind === 'local' && resolved.model_name === undefined ? {...resolved, model_name: localEngineProcess(options.local).model} : resolved;
  const modelName = config.model_name;
  const profileDirs = options.profileDirs.length > 0 ? options.profileDirs : config.profile_results_dir;
  const capacities: EngineCapacities | undefined = profileDirs.length > 0 ? loadProfileCapacities(profileDirs) : undefined;
  const capabilities: TickInput['capabilities'] = kind === 'local' ? localCapabilities(options.local) : profileDirs.length > 0 ? profileCapabilities(profileDirs) : undefined;

  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    let connector: Connector;
    let engineSource: EngineSource | undefined;
    if (kind === 'local') {
      const local = await LocalConnector.start({engine: localEngineProcess(options.local), router: {host, port: options.local.routerPort ?? 0}});
      connector = local;
    } else if (kind === 'kubernetes') {
      ({connector, engineSource} = kubernetesFleet(config, options.kubernetes));
    } else {
      connector = virtualConnector(options.virtual);
    }
    closers.push(() => connector.close());
    engineSource = engineSourceFor(config, connector, options.engineUrls) ?? engineSource;

    const recorder = new DiagnosticsRecorder({reports: {dir: config.report_output_dir, intervalHours: config.report_interval_hours}, modelName});
    const metrics = createPlannerMetrics({modelName});
    let metricsServer: MetricsServer | undefined;
    if (config.metric_reporting_prometheus_port > 0) {
      metricsServer = await startMetricsServer(metrics.registry, config.metric_reporting_prometheus_port, host);
      closers.push(() => metricsServer!.close());
    }
    let dashboard: PlannerDashboard | undefined;
    if (config.live_dashboard_port > 0) {
      dashboard = await startPlannerDashboard({recorder, port: config.live_dashboard_port, host, registry: metrics.registry, title: `Planner diagnostics${modelName ? `: ${modelName}` : ''}`});
      closers.push(() => dashboard!.close());
    }
    const prometheusUrl = config.metric_pulling_prometheus_endpoint;
    const prometheus = prometheusUrl ? new PrometheusTrafficSource({url: prometheusUrl, model: modelName, windowS: config.throughput_adjustment_interval, ...(config.queue_model_percentile !== null ? {stepS: config.load_adjustment_interval} : {})}) : undefined;

    const ready: PlannerReadyInfo = {
      connector: kind,
      advisory: config.advisory,
      mode: config.mode,
      optimization_target: config.optimization_target,
      load_adjustment_interval_s: config.enable_load_scaling ? config.load_adjustment_interval : null,
      throughput_adjustment_interval_s: config.enable_throughput_scaling ? config.throughput_adjustment_interval : null,
      ...(modelName ? {model_name: modelName} : {}),
      ...(connector instanceof LocalConnector ? {router_url: connector.url} : {}),
      ...(metricsServer ? {metrics_url: `${metricsServer.url}/metrics`} : {}),
      ...(dashboard ? {dashboard_url: dashboard.url} : {}),
      ...(prometheusUrl ? {prometheus_url: prometheusUrl} : {}),
      report_dir: config.report_output_dir,
    };
    emit({type: 'ready', info: ready});

    if (connector instanceof LocalConnector) {
      await startLocalFleet(connector, options.local.initialReplicas ?? config.min_endpoint, options.signal, emit);
    }

    const summary = await runPlannerLoop({
      config,
      connector,
      advisory: config.advisory,
      engineSource,
      prometheus,
      capacities,
      capabilities,
      connectorFailures: connector instanceof LocalConnector ? () => connector.failures : undefined,
      recorder,
      metrics,
      signal: options.signal,
      onEvent: emit,
    });
    emit({type: 'stopping'});
    const last = recorder.flush();
    if (last) {
      summary.reports.push(last);
      emit({type: 'report', path: last});
    }
    return {...summary, ready};
  } finally {
    await closeAll();
  }
}

/** Starts the first engines and waits (until the signal, at most INITIAL_FLEET_TIMEOUT_MS) for them to serve. */
async function startLocalFleet(connector: LocalConnector, replicas: number, signal: AbortSignal, emit: (event: PlannerRunEvent) => void): Promise<void> {
  await connector.scale({agg: replicas});
  emit({type: 'fleet', message: `starting ${replicas} engine${replicas === 1 ? '' : 's'}`});
  const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), {once: true}));
  await withDeadline('starting the local engines', INITIAL_FLEET_TIMEOUT_MS, () => Promise.race([connector.settled(), stopped])).catch(() => undefined);
  const {ready} = await connector.counts();
  emit({type: 'fleet', message: `${ready.agg ?? 0} engine${ready.agg === 1 ? '' : 's'} serving${connector.failures.length > 0 ? `; ${connector.failures.join('; ')}` : ''}`});
}
