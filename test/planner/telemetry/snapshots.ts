// Synthetic planner ticks: a load tick every 5 s, a throughput tick every 180 s, traffic that rises then falls, two
// prefill and up to three decode engines, and every field a snapshot can carry.
import type {PlannerSnapshot} from '../../../src/planner/telemetry/index.js';

export const LOAD_INTERVAL_S = 5;
export const THROUGHPUT_INTERVAL_S = 180;

export function fullSnapshots(count: number, startS = 1_700_000_000): PlannerSnapshot[] {
  return Array.from({length: count}, (_, i) => {
    const now_s = startS + i * LOAD_INTERVAL_S;
    const throughputTick = i > 0 && (i * LOAD_INTERVAL_S) % THROUGHPUT_INTERVAL_S === 0;
    const rps = 5 + 10 * Math.sin((Math.PI * i) / count);
    const decode = rps > 10 ? 3 : 2;
    return {
      now_s,
      replicas: {ready: {prefill: 2, decode: i % 40 === 39 ? decode - 1 : decode}, target: {prefill: 2, decode}},
      throughput_lower_bound: {prefill: 1, decode: 2},
      observed: {requests_per_second: rps, isl: 3000 + i, osl: 150, ttft_ms: 300 + 10 * rps, itl_ms: 20 + rps, request_duration_s: 4},
      predicted: {requests_per_second: rps * 1.05, isl: 3000, osl: 150},
      estimated: {ttft_ms: 280 + 10 * rps, itl_ms: 18 + rps},
      sla: {ttft_ms: 500, itl_ms: 50},
      engines: {
        prefill: [{worker_id: 'p0', dp_rank: 0, queued_prefill_tokens: 1000 * rps}, {worker_id: 'p1', dp_rank: 0, queued_prefill_tokens: 900 * rps}],
        decode: Array.from({length: decode}, (_, d) => ({worker_id: `d${d}`, dp_rank: 0, queued_decode_kv_tokens: 2000 * rps, inflight_decode_kv_tokens: 8000 * rps})),
      },
      max_kv_tokens: 200_000,
      engine_capacity_rps: {prefill: 6.5, decode: 4.2},
      reasons: {load: i % 10 === 0 ? 'scale_up' : 'no_change', ...(throughputTick && {throughput: 'set_lower_bound'})},
      ...(i % 40 === 0 && i > 0 && {scale_to: {decode: decode + 1}}),
      gpus_per_engine: {prefill: 1, decode: 2},
    };
  });
}

/** Ticks that carry nothing but their time: every chart must say it has no data. */
export function bareSnapshots(count: number, startS = 0): PlannerSnapshot[] {
  return Array.from({length: count}, (_, i) => ({now_s: startS + i * LOAD_INTERVAL_S}));
}

// Names a user or a cluster could give, each trying to become markup or script in the report.
export const HOSTILE_MODEL = '<script>alert("model")</script>';
export const HOSTILE_WORKER = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_REASON = '</script><script>window.__pwned=2</script>';

export function hostileSnapshots(): PlannerSnapshot[] {
  return fullSnapshots(40).map((snapshot, i) => ({
    ...snapshot,
    engines: {...snapshot.engines, prefill: [{worker_id: HOSTILE_WORKER, dp_rank: 0, queued_prefill_tokens: 100 + i}]},
    reasons: {load: i % 2 ? HOSTILE_REASON : 'no_change'},
  }));
}
