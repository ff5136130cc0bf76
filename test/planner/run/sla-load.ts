// The SLA the end-to-end test holds the planner to, the load that tests it, and the planner's thresholds: each latency,
// rate and threshold is the simulator's own cost-model figure for the small engines the local connector starts, times
// a stated factor.
import {join} from 'node:path';
import {gamma} from '../../../src/loadgen/arrivals.js';
import {runBench} from '../../../src/loadgen/bench.js';
import {type GoodputSlo, meetsSlo} from '../../../src/loadgen/goodput.js';
import {type BenchRecord, readRecords} from '../../../src/loadgen/records.js';
import {requestLatencies} from '../../../src/loadgen/request-latencies.js';
import {percentile} from '../../../src/loadgen/stats.js';
import type {BenchSummary} from '../../../src/loadgen/summary.js';
import {resolveEngineSpec} from '../../../src/sim/cost/index.js';
import {type FleetRequest, simulateFleet} from '../../../src/sim/fleet/index.js';

export const MODEL = 'Qwen/Qwen3-0.6B';
/** Small engines: 2 sequences per batch and a ~11k-token KV cache, so a modest request rate makes a queue. */
const ENGINE = {gpu: 'h100_sxm', gpuMemoryUtilization: 0.06, maxModelLen: 4096, maxNumSeqs: 2};
const ISL = 512;
const OSL = 64;
/** Share of the requests that must meet both targets (goodput fraction), and the percentile the targets bound. */
export const SLA_PERCENTILE = 90;
const SEED = 1;

/** The `planner run --connector local` flags that start these engines. */
export function engineFlags(): string[] {
  return ['--model', MODEL, '--gpu', ENGINE.gpu, '--gpu-memory-utilization', String(ENGINE.gpuMemoryUtilization),
    '--max-model-len', String(ENGINE.maxModelLen), '--max-num-seqs', String(ENGINE.maxNumSeqs)];
}

const spec = resolveEngineSpec({model: MODEL, gpu: ENGINE.gpu, tp: 1, gpuMemoryUtilization: ENGINE.gpuMemoryUtilization, maxModelLen: ENGINE.maxModelLen});

/** A fleet of `replicas` of these engines serving `requests`, in the simulator's virtual time. */
export function simulate(replicas: number, requests: readonly FleetRequest[]) {
  return simulateFleet({pools: {agg: {spec, replicas, maxNumSeqs: ENGINE.maxNumSeqs}}}, requests);
}

/** What one engine does by the cost model: latencies of a request alone, and requests per second when saturated. */
function engineFigures() {
  const alone = simulate(1, [{atS: 0, isl: ISL, osl: OSL}]).records[0]!;
  const backlog = 40;
  const saturated = simulate(1, Array.from({length: backlog}, () => ({atS: 0, isl: ISL, osl: OSL})));
  return {
    kvTokens: spec.kvCapacityTokens,
    ttftMs: alone.ttftS! * 1000,
    itlMs: alone.meanItlS! * 1000,
    capacityRps: backlog / Math.max(...saturated.records.map((record) => record.finishS)),
  };
}

const figures = engineFigures();

/**
 * The SLA. TTFT: a request may wait while one engine serves QUEUE_ALLOWANCE requests ahead of it, which a fleet sized
 * for the load stays well inside while one overloaded engine's queue outgrows it within seconds. ITL: the batch limit
 * keeps the step time flat under any load, so the target is the cost model's ITL with headroom for real-time serving
 * by several processes on a shared, busy machine.
 */
const QUEUE_ALLOWANCE = 8;
const ITL_HEADROOM = 5;
export const SLA: Required<Pick<GoodputSlo, 'ttft' | 'itl'>> = {
  ttft: Math.round(figures.ttftMs + (QUEUE_ALLOWANCE / figures.capacityRps) * 1000),
  itl: Math.round(figures.itlMs * ITL_HEADROOM),
};

/**
 * Load thresholds that imply the SLA (optimization_target load; why not sla: see e2e.test.ts). An agg engine's signal is
 * (KV of running requests + queued KV + queued prompt tokens) / KV capacity, a waiting request counting as both
 * queued KV and a queued prompt. Up: a full batch and a request waiting (halfway between the loads with none and with
 * one waiting), so the fleet grows before a queue does; down: only engines that hold less than one prompt, i.e. idle.
 */
export function loadThresholds(): {up: number; down: number} {
  const percent = (tokens: number) => Math.round((1000 * tokens) / figures.kvTokens) / 10;
  const fullBatch = ENGINE.maxNumSeqs * (ISL + OSL);
  return {up: percent(fullBatch + 2 * 0.5 * ISL), down: percent(ISL / 2)};
}

/** The load: a low Poisson rate one engine carries easily, then one it cannot carry within the SLA, then nothing. */
export const PHASES = {
  low: {rate: round1(figures.capacityRps / 5), durationS: 5},
  high: {rate: round1(figures.capacityRps * 1.3), durationS: 12},
};

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The virtual-time arrivals of a phase, as bench sends them (same process, same seed). */
export function phaseRequests(phase: {rate: number; durationS: number}): FleetRequest[] {
  return gamma(phase.rate, 1, {durationS: phase.durationS}, SEED).map((atS) => ({atS, isl: ISL, osl: OSL}));
}

/** A bench record with its send and first-token times as Unix seconds, to line up with the planner's ticks. */
export interface SentRecord extends BenchRecord {
  sent_unix_s: number;
  first_token_unix_s: number | null;
}

/** One open-loop phase through `url`: the summary, the records, and when the run's clock started (Unix seconds). */
export async function runPhase(url: string, phase: {rate: number; durationS: number}, outDir: string): Promise<{summary: BenchSummary; records: SentRecord[]; startUnixS: number}> {
  let startUnixS = NaN;
  const summary = await runBench({url, api: 'completions', model: MODEL, isl: ISL, osl: OSL, rangeRatio: 0, requestRate: phase.rate, burstiness: 1, durationS: phase.durationS,
    seed: SEED, warmupRequests: 0, requestTimeoutS: 120, stallTimeoutS: 60, simulator: {}, outDir, goodput: `ttft:${SLA.ttft},itl:${SLA.itl}`,
    // The run's clock starts right after the 'running' phase is reported (there is no warmup).
    onProgress: (progress) => {
      if (progress.type === 'phase' && progress.phase === 'running') startUnixS = Date.now() / 1000;
    }});
  const records = readRecords(join(outDir, 'records.jsonl')).map((record) => ({
    ...record,
    sent_unix_s: startUnixS + record.intended_send_s,
    first_token_unix_s: record.first_token_s === null ? null : startUnixS + record.first_token_s,
  }));
  return {summary, records, startUnixS};
}

/** How the requests fared against the SLA: goodput fraction (failed requests miss), TTFT and mean-ITL percentiles. */
export function slaOf(records: readonly BenchRecord[]) {
  const ttft: number[] = [];
  const itl: number[] = [];
  let good = 0;
  for (const record of records) {
    if (record.error_kind !== null) continue;
    const latencies = requestLatencies(record);
    if (latencies.ttftS !== null) ttft.push(latencies.ttftS * 1000);
    if (latencies.meanItlS !== null) itl.push(latencies.meanItlS * 1000);
    if (meetsSlo(latencies, SLA)) good++;
  }
  const at = (values: number[]) => (values.length === 0 ? NaN : percentile(values.toSorted((a, b) => a - b), SLA_PERCENTILE));
  return {requests: records.length, goodFraction: records.length === 0 ? NaN : good / records.length, ttftMs: at(ttft), itlMs: at(itl)};
}
