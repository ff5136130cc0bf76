// The runtime planner's decision core: configuration, state, and `decide` (one tick in, one decision out).
export {advanceSchedule, CADENCE_TOLERANCE_S, dueLoops, initialSchedule, loadCadenceOn, nextTickAt, type Schedule} from './cadence.js';
export {capacitiesFromFits, type DecodeCapacityQuery, type EngineCapacities, type EngineRate, type FittedEngine} from './capacity.js';
export {clampPairToBudget, clampSingleToBudget} from './budget.js';
export {loadPlannerConfig, parsePlannerConfig, PLANNER_CONFIG_SCHEMA, type OptimizationTarget, type PlannerConfig, type PlannerConfigInput, type PlannerMode, resolvePlannerConfig, scaledRoles} from './config.js';
export {decide, type PlannerDecision} from './decide.js';
export type {TickDiagnostics} from './diagnostics.js';
export {LOAD_REASONS, type LoadReason, THROUGHPUT_REASONS, type ThroughputReason} from './reasons.js';
export {createPlannerState, PLANNER_STATE_SCHEMA, type PlannerState} from './state.js';
export {STATIC_THRESHOLDS} from './static-thresholds.js';
export type {TickInput} from './tick.js';
