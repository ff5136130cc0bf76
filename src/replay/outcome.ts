// A replayed policy's figures: SLA attainment and latency percentiles (src/sim/fleet's summary), GPU-hours charged
// up to the last request, and the scaling timeline.
import type {MetricSummary} from '../loadgen/stats.js';
import {summarizeFleet, type FleetResult} from '../sim/fleet/index.js';
import type {PolicyRun} from './run-policy.js';
import type {Percentiles, PolicyOutcome, ReplayPolicy, ReplaySla} from './types.js';

export function policyOutcome(policy: ReplayPolicy, run: PolicyRun, sla: ReplaySla, firstArrivalS: number, start: {prefill: number; decode: number}): PolicyOutcome {
  const {result, endS} = run;
  const summary = summarizeFleet(result, {ttftMs: sla.ttft_ms, itlMs: sla.itl_ms});
  return {
    name: policy.name,
    description: policy.description,
    sla_attainment: summary.slaAttainment,
    ttft_ms: percentiles(summary.ttftMs),
    itl_ms: percentiles(summary.itlMs),
    gpu_hours: gpuSecondsUntil(result, endS) / 3600,
    scaling_events: result.scalingEvents.length,
    peak_gpus: peakGpus(result, endS),
    requests: summary.requests,
    unfinished: summary.unfinished,
    aborted: summary.aborted,
    simulated_s: Math.max(0, endS - firstArrivalS),
    planner_ticks: run.ticks,
    initial_replicas: start,
    timeline: result.scalingEvents.map((event) => ({at_s: event.atS, component: event.role, from_count: event.from, to_count: event.to})),
  };
}

/** GPU-seconds of every engine from when it was asked for to when it stopped, or `endS`. */
export function gpuSecondsUntil(result: FleetResult, endS: number): number {
  let seconds = 0;
  for (const engine of result.engines) seconds += engine.gpus * Math.max(0, Math.min(engine.stoppedS ?? endS, endS) - engine.requestedS);
  return seconds;
}

/** The most GPUs held at once (engines starting, ready or draining). */
export function peakGpus(result: FleetResult, endS: number): number {
  const changes: [number, number][] = [];
  for (const engine of result.engines) {
    const stopS = Math.min(engine.stoppedS ?? endS, endS);
    if (stopS <= engine.requestedS) continue;
    changes.push([engine.requestedS, engine.gpus], [stopS, -engine.gpus]);
  }
  // Releases before acquisitions at the same instant: a replaced engine is not counted twice.
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let held = 0;
  let peak = 0;
  for (const [, delta] of changes) {
    held += delta;
    peak = Math.max(peak, held);
  }
  return peak;
}

function percentiles(summary: MetricSummary | null): Percentiles | null {
  return summary ? {p50: summary.p50, p90: summary.p90, p99: summary.p99} : null;
}
