// The planner's diagnostics report at Dynamo's cap of 50 000 ticks (about 70 h of 5 s load ticks) with 4 prefill
// and 16 decode engines: the cost of recording a tick, of rendering the report (what each live-dashboard GET pays),
// and the file's size; a 1 000-tick window is the baseline measured in the same run.
// Run: npx tsx test/bench/planner-report.bench.ts
import {DiagnosticsRecorder, MAX_SNAPSHOTS, type PlannerSnapshot} from '../../src/planner/telemetry/index.js';
import {createPlannerMetrics} from '../../src/planner/telemetry/index.js';

function tick(i: number): PlannerSnapshot {
  const rps = 20 + 15 * Math.sin(i / 500);
  return {
    now_s: 1_700_000_000 + 5 * i,
    replicas: {ready: {prefill: 4, decode: 16}, target: {prefill: 4, decode: 16}},
    throughput_lower_bound: {prefill: 3, decode: 12},
    observed: {requests_per_second: rps, isl: 3000, osl: 150, ttft_ms: 300 + rps, itl_ms: 20 + rps / 10},
    predicted: {requests_per_second: rps * 1.02, isl: 3000, osl: 150},
    estimated: {ttft_ms: 290 + rps, itl_ms: 19 + rps / 10},
    sla: {ttft_ms: 500, itl_ms: 50},
    engines: {
      prefill: Array.from({length: 4}, (_, e) => ({worker_id: `prefill-${e}`, dp_rank: 0, queued_prefill_tokens: 100 * rps + e})),
      decode: Array.from({length: 16}, (_, e) => ({worker_id: `decode-${e}`, dp_rank: 0, queued_decode_kv_tokens: 500 * rps, inflight_decode_kv_tokens: 5000 * rps + e})),
    },
    max_kv_tokens: 200_000,
    engine_capacity_rps: {prefill: 6, decode: 2},
    reasons: {load: i % 7 === 0 ? 'scale_up' : 'no_change', ...(i % 36 === 0 && {throughput: 'set_lower_bound'})},
    gpus_per_engine: {prefill: 1, decode: 1},
  };
}

function measure(ticks: number) {
  const recorder = new DiagnosticsRecorder();
  const metrics = createPlannerMetrics();
  const snapshots = Array.from({length: ticks}, (_, i) => tick(i));
  let started = performance.now();
  for (const snapshot of snapshots) {
    recorder.record(snapshot);
    metrics.record(snapshot, {gpuHours: recorder.gpuHours});
  }
  const recordUs = ((performance.now() - started) * 1000) / ticks;
  started = performance.now();
  const html = recorder.renderHtml()!;
  const renderMs = performance.now() - started;
  return {ticks, recordUs, renderMs, megabytes: Buffer.byteLength(html) / 1e6};
}

measure(1_000); // warm-up (JIT, the plotly bundle read once)
const baseline = measure(1_000);
const full = measure(MAX_SNAPSHOTS);
for (const row of [baseline, full]) {
  console.log(`${row.ticks} ticks: record+metrics ${row.recordUs.toFixed(1)} us/tick, render ${row.renderMs.toFixed(0)} ms, HTML ${row.megabytes.toFixed(1)} MB`);
}
console.log(`render at the cap / render of 1 000 ticks: ${(full.renderMs / baseline.renderMs).toFixed(1)}x for ${MAX_SNAPSHOTS / 1_000}x the ticks`);
