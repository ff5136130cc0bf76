import {summarize, type MetricSummary} from '../../loadgen/stats.js';
import type {FleetResult} from './types.js';

/** Latency targets, milliseconds; a request meets the SLA when its TTFT and its mean ITL are both within them. */
export interface SlaTargets {
  ttftMs: number;
  itlMs: number;
}

export interface FleetSummary {
  /** Requests in the load: finished, aborted by an engine, or unfinished when the run stopped. */
  requests: number;
  finished: number;
  aborted: number;
  unfinished: number;
  /** TTFT over the requests that produced a first token, ms. */
  ttftMs: MetricSummary | null;
  /** Each request's mean ITL (its SLA figure) over the requests with at least two tokens, ms. */
  itlMs: MetricSummary | null;
  e2eMs: MetricSummary | null;
  /** Share of all requests in the load that finished within both targets; aborted and unfinished ones miss. */
  slaAttainment: number;
  gpuSeconds: number;
  gpuHours: number;
  scalingEvents: number;
  outputTokens: number;
  simulatedS: number;
}

/**
 * Percentiles and SLA attainment of a fleet run. A request with a single output token has no ITL and meets the ITL
 * target vacuously, as in goodput (src/loadgen/goodput.ts).
 */
export function summarizeFleet(result: FleetResult, targets: SlaTargets): FleetSummary {
  const ttft: number[] = [];
  const itl: number[] = [];
  const e2e: number[] = [];
  let aborted = 0;
  let met = 0;
  for (const record of result.records) {
    if (record.finishReason === 'abort') {
      aborted++;
      continue;
    }
    e2e.push(record.e2eS * 1000);
    if (record.ttftS !== null) ttft.push(record.ttftS * 1000);
    if (record.meanItlS !== null) itl.push(record.meanItlS * 1000);
    const ttftOk = record.ttftS !== null && record.ttftS * 1000 <= targets.ttftMs;
    const itlOk = record.meanItlS === null || record.meanItlS * 1000 <= targets.itlMs;
    if (ttftOk && itlOk) met++;
  }
  const requests = result.records.length + result.unfinished;
  return {
    requests,
    finished: result.records.length - aborted,
    aborted,
    unfinished: result.unfinished,
    ttftMs: summarize(ttft),
    itlMs: summarize(itl),
    e2eMs: summarize(e2e),
    slaAttainment: requests === 0 ? 1 : met / requests,
    gpuSeconds: result.gpuSeconds,
    gpuHours: result.gpuSeconds / 3600,
    scalingEvents: result.scalingEvents.length,
    outputTokens: result.outputTokens,
    simulatedS: result.endS,
  };
}
