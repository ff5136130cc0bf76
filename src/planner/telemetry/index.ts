// The planner's telemetry: per-tick snapshots, the diagnostics recorder and its periodic HTML reports, Dynamo's
// `dynamo_planner_*` metrics, and the live dashboard.
export {gpuHoursSince, gpusHeld, isScalingEvent} from './accounting.js';
export {EMPTY_REFRESH_S, type PlannerDashboard, type PlannerDashboardOptions, startPlannerDashboard} from './dashboard.js';
export {LOAD_REASONS as LOAD_DECISION_STATES, type LoadReason as LoadDecisionState, THROUGHPUT_REASONS as THROUGHPUT_DECISION_STATES, type ThroughputReason as ThroughputDecisionState} from '../reasons.js';
export {createPlannerMetrics, PLANNER_METRIC_NAMES, PLANNER_METRIC_PREFIX, type PlannerMetrics, type PlannerMetricsOptions} from './metrics.js';
export {DiagnosticsRecorder, type DiagnosticsRecorderOptions, MAX_SNAPSHOTS, reportFileName} from './recorder.js';
export {type DecodeEngineLoad, engineKey, type PerRole, type PlannerSnapshot, type PrefillEngineLoad} from './snapshot.js';
