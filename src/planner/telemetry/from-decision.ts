// One planner tick as the diagnostics recorder keeps it, built from what the planner saw (the tick input and the
// frontend's traffic window) and what it decided: the same for replay (virtual time) and live runs.
import type {PlannerDecision} from '../index.js';
import type {PlannerSnapshot} from './snapshot.js';
import type {TickInput} from '../tick.js';
import type {TrafficWindow} from '../../sim/fleet/index.js';

export function snapshotFromDecision(tick: TickInput, window: TrafficWindow | undefined, decision: PlannerDecision | undefined): PlannerSnapshot {
  const counts = tick.worker_counts ?? {};
  const diagnostics = decision?.diagnostics;
  const snapshot: PlannerSnapshot = {
    now_s: tick.now_s,
    replicas: {
      ready: definedRoles(counts.ready_num_prefill, counts.ready_num_decode),
      target: definedRoles(counts.expected_num_prefill, counts.expected_num_decode),
    },
    gpus_per_engine: definedRoles(tick.capabilities?.prefill?.num_gpu, tick.capabilities?.decode?.num_gpu),
    engines: {
      ...(tick.engines?.prefill ? {prefill: tick.engines.prefill.map(({worker_id, dp_rank, queued_prefill_tokens}) => ({worker_id, dp_rank, queued_prefill_tokens}))} : {}),
      decode: (tick.engines?.decode ?? []).map((engine) => ({
        worker_id: engine.worker_id,
        dp_rank: engine.dp_rank,
        queued_decode_kv_tokens: engine.queued_decode_kv_tokens,
        inflight_decode_kv_tokens: engine.scheduled_decode_kv_tokens,
      })),
    },
    ...(tick.capabilities?.decode?.max_kv_tokens ? {max_kv_tokens: tick.capabilities.decode.max_kv_tokens} : {}),
  };
  if (window && window.duration_s > 0) {
    snapshot.observed = {
      requests_per_second: window.num_req / window.duration_s,
      ...(window.isl !== null ? {isl: window.isl} : {}),
      ...(window.osl !== null ? {osl: window.osl} : {}),
      ...(window.ttft_ms !== null ? {ttft_ms: window.ttft_ms} : {}),
      ...(window.itl_ms !== null ? {itl_ms: window.itl_ms} : {}),
    };
  }
  if (!decision || !diagnostics) return snapshot;
  snapshot.sla = {ttft_ms: diagnostics.sla.ttft_ms, itl_ms: diagnostics.sla.itl_ms};
  snapshot.reasons = {load: decision.reasons.load, throughput: decision.reasons.throughput};
  snapshot.scale_to = {...decision.scale_to};
  if (diagnostics.throughput_lower_bound) snapshot.throughput_lower_bound = {...diagnostics.throughput_lower_bound};
  const predicted = diagnostics.predicted;
  if (predicted) {
    snapshot.predicted = {requests_per_second: predicted.request_rate_rps, ...(predicted.isl !== null ? {isl: predicted.isl} : {}), ...(predicted.osl !== null ? {osl: predicted.osl} : {})};
  }
  snapshot.estimated = {
    ...(diagnostics.estimated_ttft_ms !== null ? {ttft_ms: diagnostics.estimated_ttft_ms} : {}),
    ...(diagnostics.estimated_itl_ms !== null ? {itl_ms: diagnostics.estimated_itl_ms} : {}),
  };
  snapshot.engine_capacity_rps = definedRoles(diagnostics.engine_capacity_rps.prefill, diagnostics.engine_capacity_rps.decode);
  return snapshot;
}

/** The traffic observation the planner's throughput loop reads, from the frontend's window (as fleet.tickInput does). */
export function trafficObservation(window: TrafficWindow): NonNullable<TickInput['traffic']> {
  return {
    duration_s: window.duration_s,
    num_req: window.num_req,
    ...(window.isl === null ? {} : {isl: window.isl}),
    ...(window.osl === null ? {} : {osl: window.osl}),
    ...(window.kv_hit_rate === null ? {} : {kv_hit_rate: window.kv_hit_rate}),
    ...(window.ttft_ms === null ? {} : {ttft_ms: window.ttft_ms}),
    ...(window.prefill_ms === null || window.prefill_ms === undefined ? {} : {prefill_ms: window.prefill_ms}),
  };
}

function definedRoles(prefill: number | null | undefined, decode: number | null | undefined): {prefill?: number; decode?: number} {
  return {...(prefill !== null && prefill !== undefined ? {prefill} : {}), ...(decode !== null && decode !== undefined ? {decode} : {})};
}
