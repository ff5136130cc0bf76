// The live planner service (`planner run`): observe, decide, act and report on the config's cadence.
export {DeadlineError, sleep, withDeadline} from './deadline.js';
export {type PlannerLoopEvent, type PlannerLoopOptions, type PlannerLoopSummary, replicaTargets, runPlannerLoop} from './loop.js';
export {type MetricsServer, startMetricsServer} from './metrics-server.js';
export {type EngineSource, type FleetObservation, FleetObserver, workerCountsOf} from './observe-fleet.js';
export {type PlannerReadyInfo, type PlannerRunEvent, type PlannerRunOptions, type PlannerRunResult, runPlanner} from './run.js';
export {type ConnectorKind, engineSourceFor, kubernetesEngineSource, kubernetesFleet, localCapabilities, localEngineProcess, type LocalEngineOptions, plannerConfigFrom} from './setup.js';
export {type ActionStatus, formatTickLine, type TickRecord, tickRecord} from './tick-record.js';
