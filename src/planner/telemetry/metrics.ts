// The planner's own /metrics under Dynamo's names, units and help texts (`monitoring/planner_metrics.py`), so
// dashboards built for Dynamo's planner keep working against ours.
import {Gauge, Registry} from 'prom-client';
import {LOAD_REASONS as LOAD_DECISION_STATES, THROUGHPUT_REASONS as THROUGHPUT_DECISION_STATES} from '../reasons.js';
import {known, type PlannerSnapshot} from './snapshot.js';

export const PLANNER_METRIC_PREFIX = 'dynamo_planner';

export interface PlannerMetricsOptions {
  /** Adds a static `model_name` label to every series (Dynamo does when a model name is configured). */
  modelName?: string;
  /** Registers into this registry instead of a new one (to share one /metrics with other collectors). */
  registry?: Registry;
}

export interface PlannerMetrics {
  registry: Registry;
  /** Sets the gauges from one tick. Values the tick lacks keep their last value; per-engine series are replaced. */
  record(snapshot: PlannerSnapshot, totals?: {gpuHours?: number}): void;
}

type Value = (snapshot: PlannerSnapshot) => number | null | undefined;

// Name (without the prefix), help text, and where the value comes from, in Dynamo's order.
const GAUGES: [name: string, help: string, value: Value][] = [
  ['num_prefill_replicas', 'Current number of prefill replicas', (s) => s.replicas?.ready?.prefill],
  ['num_decode_replicas', 'Current number of decode replicas', (s) => s.replicas?.ready?.decode],
  ['observed_ttft_ms', 'Observed time to first token (ms)', (s) => s.observed?.ttft_ms],
  ['observed_itl_ms', 'Observed inter-token latency (ms)', (s) => s.observed?.itl_ms],
  ['observed_requests_per_second', 'Observed request rate (req/s)', (s) => s.observed?.requests_per_second],
  ['observed_request_duration_seconds', 'Observed average request duration (seconds)', (s) => s.observed?.request_duration_s],
  ['observed_input_sequence_tokens', 'Observed average input sequence length (tokens)', (s) => s.observed?.isl],
  ['observed_output_sequence_tokens', 'Observed average output sequence length (tokens)', (s) => s.observed?.osl],
  ['predicted_requests_per_second', 'Predicted request rate for next interval (req/s)', (s) => s.predicted?.requests_per_second],
  ['predicted_input_sequence_tokens', 'Predicted input sequence length for next interval (tokens)', (s) => s.predicted?.isl],
  ['predicted_output_sequence_tokens', 'Predicted output sequence length for next interval (tokens)', (s) => s.predicted?.osl],
  ['predicted_num_prefill_replicas', 'Decided number of prefill replicas', (s) => s.scale_to?.prefill],
  ['predicted_num_decode_replicas', 'Decided number of decode replicas', (s) => s.scale_to?.decode],
  ['sla_target_ttft_ms', 'Configured SLA target for time to first token (ms)', (s) => s.sla?.ttft_ms],
  ['sla_target_itl_ms', 'Configured SLA target for inter-token latency (ms)', (s) => s.sla?.itl_ms],
  ['estimated_ttft_ms', 'Max estimated TTFT from regression across engines (ms)', (s) => s.estimated?.ttft_ms],
  ['estimated_itl_ms', 'Max estimated ITL from regression across engines (ms)', (s) => s.estimated?.itl_ms],
  ['engine_prefill_capacity_requests_per_second', 'Single prefill engine capacity under SLA (req/s)', (s) => s.engine_capacity_rps?.prefill],
  ['engine_decode_capacity_requests_per_second', 'Single decode engine capacity under SLA (req/s)', (s) => s.engine_capacity_rps?.decode],
];

const GPU_HOURS: [string, string] = ['gpu_hours', 'Cumulative GPU hours consumed'];

type EngineValue = (snapshot: PlannerSnapshot) => {worker_id: string; dp_rank?: number; value: number | undefined}[];

const ENGINE_GAUGES: [name: string, help: string, values: EngineValue][] = [
  ['engine_queued_prefill_tokens', 'Queued prefill tokens per engine (from FPM)', (s) => (s.engines?.prefill ?? []).map((e) => ({...e, value: e.queued_prefill_tokens}))],
  ['engine_queued_decode_kv_tokens', 'Queued decode KV tokens per engine (from FPM)', (s) => (s.engines?.decode ?? []).map((e) => ({...e, value: e.queued_decode_kv_tokens}))],
  ['engine_inflight_decode_kv_tokens', 'Inflight (scheduled) decode KV tokens per engine (from FPM)', (s) => (s.engines?.decode ?? []).map((e) => ({...e, value: e.inflight_decode_kv_tokens}))],
];

/**
 * A prometheus_client `Enum` as prom-client has none: one series per state, labelled with the metric's own name,
 * 1 for the current state and 0 for the others (`name{name="state"} 1`). It starts in the first state, `unset`. A
 * reason beyond the list is appended, so existing series keep their meaning.
 */
class EnumGauge {
  private readonly gauge: Gauge<string>;
  private readonly states: string[];
  private current: string;

  constructor(private readonly name: string, help: string, states: readonly string[], registry: Registry, private readonly staticLabels: Record<string, string>) {
    this.states = [...states];
    this.gauge = new Gauge({name, help, labelNames: [name, ...Object.keys(staticLabels)], registers: [registry]});
    this.current = this.states[0]!;
    this.write();
  }

  set(state: string): void {
    if (!this.states.includes(state)) this.states.push(state);
    this.current = state;
    this.write();
  }

  private write(): void {
    for (const state of this.states) this.gauge.set({[this.name]: state, ...this.staticLabels}, state === this.current ? 1 : 0);
  }
}

/** The planner's gauges (names as `PLANNER_METRIC_NAMES`), registered in a new registry unless one is given. */
export function createPlannerMetrics(options: PlannerMetricsOptions = {}): PlannerMetrics {
  const registry = options.registry ?? new Registry();
  const staticLabels: Record<string, string> = options.modelName !== undefined ? {model_name: options.modelName} : {};
  const staticNames = Object.keys(staticLabels);
  const registers = [registry];
  const fullName = (name: string) => `${PLANNER_METRIC_PREFIX}_${name}`;
  const plain = (name: string, help: string) => new Gauge({name: fullName(name), help, labelNames: staticNames, registers});

  const gauges = GAUGES.map(([name, help, value]) => ({gauge: plain(name, help), value}));
  const gpuHours = plain(...GPU_HOURS);
  const engineGauges = ENGINE_GAUGES.map(([name, help, values]) => ({
    gauge: new Gauge({name: fullName(name), help, labelNames: ['worker_id', 'dp_rank', ...staticNames], registers}),
    values,
  }));
  const loadDecision = new EnumGauge(fullName('load_scaling_decision'), 'Load-based scaling decision reason', LOAD_DECISION_STATES, registry, staticLabels);
  const throughputDecision = new EnumGauge(fullName('throughput_scaling_decision'), 'Throughput-based scaling decision reason', THROUGHPUT_DECISION_STATES, registry, staticLabels);

  return {
    registry,
    record(snapshot, totals = {}) {
      for (const {gauge, value} of gauges) {
        const v = value(snapshot);
        if (known(v)) gauge.set(staticLabels, v);
      }
      if (known(totals.gpuHours)) gpuHours.set(staticLabels, totals.gpuHours);
      for (const {gauge, values} of engineGauges) {
        // Engines come and go: series of engines no longer reported must not linger at their last value.
        gauge.reset();
        for (const engine of values(snapshot)) {
          if (known(engine.value)) gauge.set({worker_id: engine.worker_id, dp_rank: String(engine.dp_rank ?? 0), ...staticLabels}, engine.value);
        }
      }
      if (snapshot.reasons?.load) loadDecision.set(snapshot.reasons.load);
      if (snapshot.reasons?.throughput) throughputDecision.set(snapshot.reasons.throughput);
    },
  };
}

/** Every metric name the planner exposes. */
export const PLANNER_METRIC_NAMES: readonly string[] = [
  ...GAUGES.map(([name]) => name),
  GPU_HOURS[0],
  ...ENGINE_GAUGES.map(([name]) => name),
  'load_scaling_decision',
  'throughput_scaling_decision',
].map((name) => `${PLANNER_METRIC_PREFIX}_${name}`);
