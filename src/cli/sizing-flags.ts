import {Flags} from '@oclif/core';
import {badInput} from '../errors/errors.js';
import {loadCandidates, loadTraceWorkload, shippedProfileDirsFor} from '../sizing/load.js';
import type {Percentile, SizingInput, SizingMethod, SizingMode, WorkloadSpec} from '../sizing/types.js';
import {float, rate} from './number-flags.js';

/** The simulator's default model (src/sim/simulator.ts), not imported from there: that would load the whole simulator. */
const DEFAULT_MODEL = 'nvidia/Llama-3.1-8B-Instruct-FP8';

/** Defaults: Dynamo's documented SLA example (profiler docs and DGDR samples): ISL 3000, OSL 150, TTFT 200 ms, ITL 20 ms. */
export const SIZING_DEFAULTS = {isl: 3000, osl: 150, ttftMs: 200, itlMs: 20, percentile: 'p90' as Percentile};

/**
 * The inputs of sizing, shared by `size`, `dgdr` and `tune` so they read exactly the same: profiles, SLA, workload,
 * limits, mode and method.
 */
export const sizingFlags = {
  profile: Flags.string({
    description: 'A profile directory (holding profile.json) of one engine config: ours or imported from Dynamo; repeatable, one per config. Default: the shipped reference profiles of --model.',
    multiple: true,
    helpGroup: 'PROFILES',
  }),
  model: Flags.string({description: `Model whose shipped reference profiles to size with when no --profile is given (default ${DEFAULT_MODEL}); with --profile, a check that they are of this model.`, helpGroup: 'PROFILES'}),
  ttft: float({description: `Time-to-first-token target in ms at --percentile (default ${SIZING_DEFAULTS.ttftMs} with --itl ${SIZING_DEFAULTS.itlMs}, as Dynamo's docs).`, min: 0.001, exclusive: ['e2e'], helpGroup: 'SLA'}),
  itl: float({description: `Inter-token latency target in ms at --percentile, over generated tokens (default ${SIZING_DEFAULTS.itlMs}).`, min: 0.001, exclusive: ['e2e'], helpGroup: 'SLA'}),
  e2e: float({description: 'End-to-end latency target in ms instead of --ttft/--itl: sizing tries splits of it and keeps the cheapest.', min: 0.001, helpGroup: 'SLA'}),
  percentile: Flags.string({description: 'Percentile the targets hold at.', options: ['p50', 'p90', 'p95', 'p99'], default: SIZING_DEFAULTS.percentile, helpGroup: 'SLA'}),
  isl: Flags.integer({description: `Mean prompt length in tokens (default ${SIZING_DEFAULTS.isl}; with --trace, the trace's).`, min: 1, helpGroup: 'WORKLOAD'}),
  osl: Flags.integer({description: `Mean output length in tokens (default ${SIZING_DEFAULTS.osl}; with --trace, the trace's).`, min: 1, helpGroup: 'WORKLOAD'}),
  'request-rate': rate({description: 'Offered load in requests per second, Poisson arrivals (overrides a trace\'s own rate, keeping its lengths).', exclusive: ['concurrency'], helpGroup: 'WORKLOAD'}),
  concurrency: float({description: 'Requests kept in flight instead of a rate: converted to a rate by Little\'s law with the predicted E2E latency.', min: 0.001, helpGroup: 'WORKLOAD'}),
  trace: Flags.string({description: 'Take the rate and the ISL/OSL distributions from a trace: Mooncake JSONL or Azure LLM CSV.', exclusive: ['isl', 'osl'], helpGroup: 'WORKLOAD'}),
  'max-gpus': Flags.integer({description: 'GPU budget: when the load needs more, size the largest share of it that fits (reported).', min: 1, helpGroup: 'LIMITS'}),
  'gpus-per-node': Flags.integer({description: 'GPUs per node: configs needing more per engine are set aside; nodes are reported.', min: 1, helpGroup: 'LIMITS'}),
  'min-replicas': Flags.integer({description: 'Fewest engines per role.', default: 1, min: 1, helpGroup: 'LIMITS'}),
  mode: Flags.string({description: 'disagg: separate prefill and decode engines; agg: engines doing both; auto: size both and pick the one needing fewer GPUs.', options: ['auto', 'disagg', 'agg'], default: 'auto', helpGroup: 'SIZING'}),
  method: Flags.string({description: 'dynamo-plan: queueing theory at the percentile. dynamo: Dynamo\'s classic profiler formulas (averages, disaggregated), for comparison.', options: ['dynamo-plan', 'dynamo'], default: 'dynamo-plan', helpGroup: 'SIZING'}),
};

type SizingFlagValues = {
  profile?: string[];
  model?: string;
  ttft?: number;
  itl?: number;
  e2e?: number;
  percentile: string;
  isl?: number;
  osl?: number;
  'request-rate'?: number;
  concurrency?: number;
  trace?: string;
  'max-gpus'?: number;
  'gpus-per-node'?: number;
  'min-replicas': number;
  mode: string;
  method: string;
};

/** Read the profiles and the trace the flags name and build the sizing input (bad files are exit 3). */
export function sizingInputFromFlags(flags: SizingFlagValues): SizingInput {
  const dirs = flags.profile && flags.profile.length > 0 ? flags.profile : shippedProfileDirsFor(flags.model ?? DEFAULT_MODEL);
  const candidates = loadCandidates(dirs);
  if (flags.model && flags.profile) {
    for (const candidate of candidates) {
      if (candidate.engine.model !== null && candidate.engine.model.toLowerCase() !== flags.model.toLowerCase()) {
        throw badInput(`${candidate.source} profiles ${candidate.engine.model}, not --model ${flags.model}.`, 'Drop --model, or pass profiles of that model.', 'E_BAD_SIZING_INPUT');
      }
    }
  }
  return {
    candidates,
    sla: flags.e2e !== undefined ? {e2eMs: flags.e2e, percentile: flags.percentile as Percentile} : {ttftMs: flags.ttft ?? SIZING_DEFAULTS.ttftMs, itlMs: flags.itl ?? SIZING_DEFAULTS.itlMs, percentile: flags.percentile as Percentile},
    workload: workloadFromFlags(flags),
    limits: {maxGpus: flags['max-gpus'], gpusPerNode: flags['gpus-per-node'], minReplicas: flags['min-replicas']},
    mode: flags.mode as SizingMode | 'auto',
    method: flags.method as SizingMethod,
  };
}

function workloadFromFlags(flags: SizingFlagValues): WorkloadSpec {
  const load = flags.concurrency !== undefined ? {concurrency: flags.concurrency} : undefined;
  if (flags.trace) {
    const trace = loadTraceWorkload(flags.trace);
    return {...trace, ...(load ?? {requestRate: flags['request-rate'] ?? trace.requestRate}), ...(load ? {requestRate: undefined} : {})};
  }
  if (flags['request-rate'] === undefined && flags.concurrency === undefined) {
    throw badInput('No load given.', 'Pass --request-rate R (requests/s), --concurrency C (requests in flight), or --trace FILE.', 'E_BAD_SIZING_INPUT');
  }
  if (flags['request-rate'] === Infinity) throw badInput('--request-rate inf has no finite size.', 'Give the rate you expect, in requests per second.', 'E_BAD_SIZING_INPUT');
  return {isl: flags.isl ?? SIZING_DEFAULTS.isl, osl: flags.osl ?? SIZING_DEFAULTS.osl, ...(load ?? {requestRate: flags['request-rate']}), source: 'flags'};
}
