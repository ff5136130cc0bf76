// One tick's look at the fleet: replica counts from the connector, each engine's /metrics, and traffic from
// Prometheus when one is configured. Every source may fail on its own; a failure becomes an issue and an absent
// figure, so the tick decides on what is known (or holds) instead of stopping.
import type {PlannerConfig} from '../config.js';
import type {Connector, ReplicaCounts} from '../connectors/types.js';
import {EngineObserver, type EngineTarget, type ObservedLatency} from '../observe/engine-observer.js';
import {describeError} from '../observe/http-get.js';
import type {PrometheusTrafficSource} from '../observe/prometheus-api.js';
import type {TickInput, TrafficObservation, WorkerCounts} from '../tick.js';
import {withDeadline} from './deadline.js';

/** The engines to scrape this tick (a static list, the local router's engines, or pods found in the cluster). */
export type EngineSource = (signal: AbortSignal) => Promise<{engines: EngineTarget[]; issues: string[]}>;

export interface FleetObservation {
  worker_counts?: WorkerCounts;
  engines: NonNullable<TickInput['engines']>;
  traffic?: TrafficObservation;
  /** Where `traffic` came from: Prometheus first, the engines' own counters when it has none. */
  traffic_source: 'prometheus' | 'engines' | null;
  latency: ObservedLatency;
  engines_listed: number;
  engines_scraped: number;
  issues: string[];
}

export interface FleetObserverOptions {
  config: PlannerConfig;
  connector?: Connector;
  engineSource?: EngineSource;
  prometheus?: PrometheusTrafficSource;
  /** Deadline of each source, ms. */
  timeoutMs: number;
}

export class FleetObserver {
  private readonly engineObserver: EngineObserver;

  constructor(private readonly options: FleetObserverOptions) {
    this.engineObserver = new EngineObserver({
      model: options.config.model_name,
      timeoutMs: options.timeoutMs,
      throughputWindowS: options.config.throughput_adjustment_interval,
    });
  }

  /** Never throws: each source answers within the deadline or becomes an issue. */
  async observe(nowS: number): Promise<FleetObservation> {
    const {connector, engineSource, prometheus, timeoutMs} = this.options;
    const issues: string[] = [];
    const attempt = async <T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
      try {
        return await withDeadline(what, timeoutMs, work);
      } catch (error) {
        issues.push(`${what}: ${describeError(error)}`);
        return undefined;
      }
    };
    const [counts, listed, fromPrometheus] = await Promise.all([
      connector ? attempt(`${connector.name} connector counts`, (signal) => connector.counts(signal)) : undefined,
      engineSource ? attempt('engine discovery', engineSource) : undefined,
      prometheus ? attempt('prometheus', (signal) => prometheus.observe(signal)) : undefined,
    ]);
    issues.push(...(listed?.issues ?? []));
    const targets = listed?.engines ?? [];
    const scraped = engineSource ? await attempt('engine scrape', (signal) => this.engineObserver.observe(targets, nowS, signal)) : undefined;
    // Before the second scrape the engines have no traffic figures; that is only worth saying when nothing else has.
    const engineIssues = scraped?.issues ?? [];
    issues.push(...(fromPrometheus?.traffic ? engineIssues.filter((issue) => !issue.startsWith('no traffic figures yet')) : engineIssues));
    issues.push(...(fromPrometheus?.issues ?? []).map((issue) => `prometheus ${issue}`));

    const observation: FleetObservation = {
      engines: scraped?.engines ?? {},
      traffic_source: null,
      latency: {...scraped?.latency},
      engines_listed: targets.length,
      engines_scraped: scraped?.scraped ?? 0,
      issues,
    };
    const workerCounts = counts && workerCountsOf(counts, this.options.config.mode);
    if (workerCounts) observation.worker_counts = workerCounts;
    if (fromPrometheus?.traffic) {
      observation.traffic = fromPrometheus.traffic;
      observation.traffic_source = 'prometheus';
    } else if (scraped?.traffic) {
      observation.traffic = scraped.traffic;
      observation.traffic_source = 'engines';
    }
    // Prometheus' means cover the whole fleet over the window; the engines' own are the fallback.
    if (fromPrometheus?.latency.ttft_ms !== undefined) observation.latency.ttft_ms = fromPrometheus.latency.ttft_ms;
    if (fromPrometheus?.latency.itl_ms !== undefined) observation.latency.itl_ms = fromPrometheus.latency.itl_ms;
    return observation;
  }
}

/** The connector's counts as the tick's worker counts; agg workers are the decode role, as in Dynamo. */
export function workerCountsOf(counts: ReplicaCounts, mode: PlannerConfig['mode']): WorkerCounts | undefined {
  const decode = (side: ReplicaCounts['ready']) => (mode === 'agg' ? side.agg ?? side.decode : side.decode);
  const fields: WorkerCounts = {
    ready_num_prefill: counts.ready.prefill,
    ready_num_decode: decode(counts.ready),
    expected_num_prefill: counts.expected.prefill,
    expected_num_decode: decode(counts.expected),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as WorkerCounts;
  return Object.keys(defined).length > 0 ? defined : undefined;
}
