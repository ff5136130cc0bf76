export {requestProblem, type SchedulerConfig} from './config.js';
export type {
  BlockHash,
  FinishReason,
  RequestListener,
  RequestStats,
  SchedulerCounters,
  SimRequest,
  StepInfo,
} from './request.js';
export {Scheduler, type SchedulerOptions} from './scheduler.js';
