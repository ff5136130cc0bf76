// Time of one planner decision (`decide`) per optimization target: p50 and p99 over many ticks of a running planner.
// Run: npx tsx test/bench/planner-tick.bench.ts [ticks]
// Goal: under 1 ms at p99 for every target. Ticks follow the real cadence (5 s load loop, 180 s throughput loop), so
// the sla run includes its throughput ticks (predictor update and sizing) in the distribution; they are also
// reported alone. The workload is a fixed pseudo-random walk, so every run decides the same ticks.
import type {EngineCapacities} from '../../src/planner/capacity.js';
import {parsePlannerConfig, type PlannerConfig} from '../../src/planner/config.js';
import {decide} from '../../src/planner/decide.js';
import {createPlannerState} from '../../src/planner/state.js';
import type {TickInput} from '../../src/planner/tick.js';
import {seededRandom} from '../../src/util/hash.js';
import {loadProfileCapacities} from '../../src/planner/profile-capacity.js';
import {DEFAULT_PROFILE} from '../../src/replay/replay.js';

const tickCount = Number(process.argv[2] ?? 20000);
const prefillWorkers = 4;
const decodeWorkers = 8;

function ticks(count: number): TickInput[] {
  const random = seededRandom(7);
  const out: TickInput[] = [];
  let rate = 20;
  for (let index = 0; index < count; index++) {
    rate = Math.max(1, rate * (1 + (random() - 0.5) * 0.1));
    out.push({
      now_s: index * 5,
      traffic: {duration_s: 180, num_req: Math.round(rate * 180), isl: 2500 + random() * 1000, osl: 150 + random() * 50, kv_hit_rate: 0.1},
      worker_counts: {ready_num_prefill: prefillWorkers, ready_num_decode: decodeWorkers, expected_num_prefill: prefillWorkers, expected_num_decode: decodeWorkers},
      capabilities: {
        prefill: {num_gpu: 1, context_length: 8192, max_num_batched_tokens: 2048, max_num_seqs: 256, max_kv_tokens: 200000},
        decode: {num_gpu: 1, context_length: 8192, max_num_batched_tokens: 2048, max_num_seqs: 256, max_kv_tokens: 200000},
      },
      engines: {
        prefill: Array.from({length: prefillWorkers}, (_, worker) => {
          const tokens = 256 + Math.floor(random() * 1792);
          return {worker_id: `p${worker}`, dp_rank: 0, queued_prefill_tokens: Math.floor(random() * 6000), scheduled_prefill_tokens: tokens, num_prefill_requests: 1, wall_time_s: 0.002 + tokens * 2e-5 * (1 + (random() - 0.5) * 0.1)};
        }),
        decode: Array.from({length: decodeWorkers}, (_, worker) => {
          const requests = 8 + Math.floor(random() * 120);
          const kv = requests * (2000 + random() * 1500);
          return {worker_id: `d${worker}`, dp_rank: 0, num_decode_requests: requests, scheduled_decode_kv_tokens: Math.round(kv), queued_decode_kv_tokens: Math.floor(random() * 20000), wall_time_s: 0.006 + requests * 3e-5 + kv * 4e-8};
        }),
      },
    });
  }
  return out;
}

// Profile-like capacities (a linear TTFT and an ITL growing with batch and context), so sizing does real work.
const syntheticCapacities: EngineCapacities = {
  prefill: (isl) => ({requestsPerSecond: 1000 / (5 + isl * 0.02), latencyMs: 5 + isl * 0.02}),
  decode: (query) => {
    let batch = 1;
    while (batch < (query.maxNumSeqs ?? 256) && 6 + (batch + 1) * 0.03 + (batch + 1) * (query.isl + query.osl / 2) * 4e-5 <= query.itlTargetMs) batch++;
    const itl = 6 + batch * 0.03 + batch * (query.isl + query.osl / 2) * 4e-5;
    return {requestsPerSecond: (batch * 1000) / (query.osl * itl), latencyMs: itl};
  },
};

/**
 * The same ticks as a frontend that reports each interval's request lengths and arrivals (what the queue model reads)
 * would give them: fresh arrays on every throughput tick (every 36th), so no summary is reused across ticks.
 */
function withIntervalDetail(input: TickInput[]): TickInput[] {
  const random = seededRandom(11);
  return input.map((tick, index) => {
    if (index % 36 !== 0 || !tick.traffic) return tick;
    const {num_req: count, isl, osl} = tick.traffic;
    const lengths = Array.from({length: count}, () => ({isl: Math.max(1, Math.round(isl! * (0.2 + 1.6 * random()))), osl: Math.max(1, Math.round(osl! * (0.5 + random())))}));
    const counts = Array.from({length: 360}, () => Math.round((count / 360) * 2 * random()));
    return {...tick, traffic: {...tick.traffic, lengths, arrivals: {window_s: 0.5, counts}, prefill_ms: 150 + 100 * random()}};
  });
}

function measure(config: PlannerConfig, input: TickInput[], capacities: EngineCapacities = syntheticCapacities): {all: number[]; throughputTicks: number[]} {
  let state = createPlannerState(config);
  const all: number[] = [];
  const throughputTicks: number[] = [];
  for (const tick of input) {
    const start = process.hrtime.bigint();
    const decision = decide(config, state, tick, capacities);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    state = decision.state;
    all.push(ms);
    if (decision.diagnostics.ran.throughput) throughputTicks.push(ms);
  }
  return {all, throughputTicks};
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const input = ticks(tickCount);
const runs: [string, Record<string, unknown>][] = [
  ['throughput (static thresholds)', {optimization_target: 'throughput', max_gpu_budget: -1}],
  ['latency (static thresholds)', {optimization_target: 'latency', max_gpu_budget: -1}],
  ['load (user thresholds)', {optimization_target: 'load', prefill_scale_up_queue_tokens: 5000, prefill_scale_down_queue_tokens: 500, decode_scale_up_kv_rate: 90, decode_scale_down_kv_rate: 40, max_gpu_budget: -1}],
  ['sla, load + throughput, kalman', {optimization_target: 'sla', ttft: 300, itl: 30, enable_load_scaling: true, load_predictor: 'kalman', max_gpu_budget: -1}],
  ['sla, load + throughput, arima', {optimization_target: 'sla', ttft: 300, itl: 30, enable_load_scaling: true, load_predictor: 'arima', max_gpu_budget: -1}],
  ['sla + all improvements, kalman', {optimization_target: 'sla', ttft: 300, itl: 30, enable_load_scaling: true, load_predictor: 'kalman', max_gpu_budget: -1, throughput_sizing_percentile: 90, engine_startup_s: 120, scale_down_sustained_ticks: 3, scale_down_cooldown_s: 60, scale_down_at_zero_traffic: true, scale_to_zero_idle_s: 600}],
];

// dynamo-plan's queue model (docs/planner.md) sizes from the shipped profile's fits, on ticks with interval detail.
const queueModel = {optimization_target: 'sla', ttft: 500, itl: 30, load_predictor: 'arima', max_gpu_budget: -1, queue_model_percentile: 99, prefill_burst_window_s: 10, prefill_arrival_variability: true, prefill_wait_feedback: true, decode_kv_headroom: true, prefill_queue_trigger_share: 0.5, decode_kv_trigger_share: 0.5, throughput_sizing_percentile: 90, engine_startup_s: 60, scale_down_sustained_ticks: 2, scale_down_cooldown_s: 180, scale_down_at_zero_traffic: true};
const profiled = loadProfileCapacities([DEFAULT_PROFILE]);

// Warm the JIT on the first run's workload before measuring anything.
measure(parsePlannerConfig(runs[3]![1]), input.slice(0, 2000));
console.log(`planner decide: ${tickCount} ticks at 5 s (${prefillWorkers} prefill + ${decodeWorkers} decode engines per tick)`);
console.log('| target | p50 (ms) | p99 (ms) | max (ms) | throughput ticks p50 / p99 (ms) |');
console.log('|---|---|---|---|---|');
for (const [name, fields] of runs) {
  const {all, throughputTicks} = measure(parsePlannerConfig(fields, name), input);
  const thr = throughputTicks.length > 0 ? `${percentile(throughputTicks, 0.5).toFixed(3)} / ${percentile(throughputTicks, 0.99).toFixed(3)}` : '-';
  console.log(`| ${name} | ${percentile(all, 0.5).toFixed(3)} | ${percentile(all, 0.99).toFixed(3)} | ${Math.max(...all).toFixed(3)} | ${thr} |`);
}
{
  const {all, throughputTicks} = measure(parsePlannerConfig(queueModel, 'queue model'), withIntervalDetail(input), profiled);
  console.log(`| sla + the queue model (dynamo-plan), arima, ~3,600 request lengths per interval | ${percentile(all, 0.5).toFixed(3)} | ${percentile(all, 0.99).toFixed(3)} | ${Math.max(...all).toFixed(3)} | ${percentile(throughputTicks, 0.5).toFixed(3)} / ${percentile(throughputTicks, 0.99).toFixed(3)} |`);
}
