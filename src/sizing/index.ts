// SLA sizing: per-engine capacity from fitted models, queueing at a percentile, replicas and GPUs per role.
export {type DecodeCapacity, type DecodeLimits, decodeCapacity, prefillRequestsPerSecond} from './capacity.js';
export {loadCandidate, loadCandidates, loadTraceWorkload, shippedProfileDirs, shippedProfileDirsFor} from './load.js';
export {sizeDeployment} from './size.js';
export type {
  Binding,
  CandidateEvaluation,
  LengthSample,
  ModeSummary,
  Percentile,
  RoleEngine,
  RoleKind,
  SizedRole,
  SizingCandidate,
  SizingInput,
  SizingLimits,
  SizingMethod,
  SizingMode,
  SizingResult,
  SlaTarget,
  WorkloadSpec,
} from './types.js';
