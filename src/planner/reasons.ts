// The decision-reason enums, in Dynamo's order (dynamo_planner_load_scaling_decision and
// dynamo_planner_throughput_scaling_decision) so dashboards built for Dynamo keep working. Dynamo's rule applies to
// ours too: new states are only ever appended.

/** Why the load loop (per-engine queue and KV signals) decided what it did. */
export const LOAD_REASONS = [
  'unset',
  'disabled',
  'no_fpm_data',
  'scaling_in_progress',
  'worker_count_mismatch',
  'insufficient_data',
  'no_change',
  'scale_up',
  'scale_down',
  'scale_down_capped_by_throughput',
  'scale_down_refused_consolidation',
  'override_by_user_plugin',
  'reconcile_clamped_to_floor',
  'reconcile_clamped_to_ceiling',
  'held_over',
  'rejected_by_plugin',
  // Ours: a scale-down signal held back by scale_down_sustained_ticks or scale_down_cooldown_s.
  'scale_down_deferred',
  // Ours: the queue model's prefill or decode trigger added engines (prefill_queue_trigger_share, decode_kv_trigger_share).
  'queue_trigger',
] as const;

/** Why the throughput loop (predicted traffic against engine capacity) decided what it did. */
export const THROUGHPUT_REASONS = [
  'unset',
  'disabled',
  'no_traffic_data',
  'predict_failed',
  'model_not_ready',
  'set_lower_bound',
  'scale',
  'override_by_user_plugin',
  'held_over',
  'circuit_open',
  'rejected_by_plugin',
  // Ours: a scale-down held back by scale_down_sustained_ticks or scale_down_cooldown_s.
  'scale_down_deferred',
  // Ours: scale_to_zero_idle_s elapsed without traffic, or traffic arrived while at zero replicas.
  'scale_to_zero',
  'wake_from_zero',
] as const;

export type LoadReason = (typeof LOAD_REASONS)[number];
export type ThroughputReason = (typeof THROUGHPUT_REASONS)[number];

// Dynamo aggregates per-component load reasons by how interesting they are; unlisted reasons rank lowest.
const LOAD_PRIORITY: Partial<Record<LoadReason, number>> = {scale_up: 4, scale_down_capped_by_throughput: 3, scale_down: 2, no_change: 1};

/** The one load reason reported for a disaggregated pair: scale_up > capped > scale_down > no_change, else the first. */
export function aggregateLoadReason(reasons: readonly LoadReason[]): LoadReason {
  let best: LoadReason | undefined;
  for (const reason of reasons) {
    if (best === undefined || (LOAD_PRIORITY[reason] ?? 0) > (LOAD_PRIORITY[best] ?? 0)) best = reason;
  }
  return best ?? 'unset';
}
