// The decision reasons of Dynamo's planner (`monitoring/planner_metrics.py`), in its order: the enum gauges expose
// one series per state, and dashboards built on Dynamo's key on these names. New states may only be appended.

export const LOAD_DECISION_STATES = [
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
] as const;

export const THROUGHPUT_DECISION_STATES = [
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
] as const;

export type LoadDecisionState = (typeof LOAD_DECISION_STATES)[number];
export type ThroughputDecisionState = (typeof THROUGHPUT_DECISION_STATES)[number];
