// Messages between the HTTP thread and the engine thread (see threaded-engine.ts). Plain data only: they are
// structured-cloned by postMessage.

import type {SchedulerConfig} from '../scheduler/index.js';
import type {EngineSpec} from '../cost/index.js';
import type {EngineFinishReason, EngineRequest, EngineRequestTimes} from './serving-engine.js';

export interface EngineThreadInit {
  config: SchedulerConfig;
  spec: EngineSpec;
  /** One Int32 over a SharedArrayBuffer: set to 1 and notified after every message, to end the thread's waits. */
  wakeFlag: Int32Array;
}

export type ToEngineThread =
  | {type: 'submit'; slot: number; request: EngineRequest}
  | {type: 'abort'; slot: number}
  | {type: 'close'};

export interface GaugeSnapshot {
  running: number;
  waiting: number;
  kvCacheUsage: number;
  promptTokens: number;
  generationTokens: number;
  preemptions: number;
  prefixQueries: number;
  prefixHits: number;
}

export interface StepSummary {
  scheduledTokens: number;
  plannedStart: number;
  start: number;
  numRunning: number;
}

/** Everything one engine event produced, sent as one message. `tokens` holds (slot, index, time) triples. */
export interface EngineThreadBatch {
  type: 'batch';
  tokens: number[];
  finishes: {slot: number; time: number; reason: EngineFinishReason; times: EngineRequestTimes}[];
  rejections: {slot: number; message: string}[];
  steps: StepSummary[];
  gauges: GaugeSnapshot;
}

export type FromEngineThread = {type: 'ready'; gauges: GaugeSnapshot} | EngineThreadBatch;
