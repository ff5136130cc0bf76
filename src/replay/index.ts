// Planner replay: policies replayed on a trace against a simulated fleet in virtual time, compared side by side.
export {BUILTIN_POLICIES, type BuiltinPolicy, builtinPolicy, type PolicyBase, resolvePolicies} from './policies.js';
export {DEFAULT_PROFILE, DEFAULT_STARTUP_S, type ReplayOptions, type ReplayResult, runReplay} from './replay.js';
export {gpuSecondsUntil, peakGpus} from './outcome.js';
export {runPolicy, tickIntervalS, type PolicyRun, type PolicyRunInput} from './run-policy.js';
export {peakLoad, openingLoad, replicasFor, windowLoads} from './static-sizing.js';
export type {Percentiles, PolicyOutcome, ReplayPolicy, ReplayProgress, ReplayScalingEvent, ReplaySla} from './types.js';
