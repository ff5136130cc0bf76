// sizeDeployment: from profiles, an SLA and a workload to replicas and GPUs per role, disaggregated or aggregated.
import {badInput, DynamoPlanError, ExitCode} from '../errors/errors.js';
import {type Evaluated, evaluateCandidates, type Targets} from './evaluate.js';
import {type ModeOutcome, sizeMode} from './mode-sizing.js';
import type {CandidateEvaluation, ModeSizing, ModeSummary, SizingInput, SizingMode, SizingResult} from './types.js';
import {type PreparedWorkload, prepareWorkload} from './workload.js';

/** Shares of an E2E target tried as the TTFT budget; the rest is spread over the osl - 1 later tokens. */
const E2E_TTFT_SHARES = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6];
/** Most rounds of raising the rate to concurrency / predicted E2E (it settles in a few). */
const CONCURRENCY_ROUNDS = 12;

/** Size a deployment; throws exit 3 on inconsistent input and exit 5 when no candidate meets the SLA. */
export function sizeDeployment(input: SizingInput): SizingResult {
  checkInput(input);
  const workload = prepareWorkload(input.workload, input.sla.percentile);
  if (input.workload.requestRate !== undefined) return sizeForTargets(input, workload, input.workload.requestRate);
  // Closed loop of C clients: they send C / E2E requests per second (Little's law), and E2E depends on the sizing.
  // Start from the E2E the SLA allows (the lowest rate the clients can send while it holds) and raise the rate to
  // C / predicted E2E until the deployment sized for a rate predicts no more than that rate. Then its clients settle
  // at or below the rate sized for (E2E only grows with load), which whole replicas can make conservative.
  const concurrency = input.workload.concurrency!;
  let rate = (concurrency / allowedE2eMs(input, workload)) * 1000;
  let result = sizeForTargets(input, workload, rate);
  for (let round = 1; round < CONCURRENCY_ROUNDS; round++) {
    const sent = (concurrency / predictedE2eMs(result, workload)) * 1000;
    if (sent <= rate * 1.01) break;
    rate = sent;
    result = sizeForTargets(input, workload, rate);
  }
  result.workload.concurrency = concurrency;
  result.notes.push(`--concurrency ${concurrency}: sized for ${rate.toFixed(3)} req/s, the rate ${concurrency} clients send at the predicted mean E2E of ${predictedE2eMs(result, workload).toFixed(0)} ms (Little's law).`);
  return result;
}

function sizeForTargets(input: SizingInput, workload: PreparedWorkload, rateRps: number): SizingResult {
  const {sla} = input;
  if (sla.e2eMs === undefined) return sizeAt(input, workload, {ttftMs: sla.ttftMs!, itlMs: sla.itlMs!}, rateRps);
  // An E2E target: try splits of it into TTFT and ITL targets and keep the cheapest deployment.
  let best: SizingResult | undefined;
  let lastError: DynamoPlanError | undefined;
  for (const share of E2E_TTFT_SHARES) {
    const targets = {ttftMs: share * sla.e2eMs, itlMs: ((1 - share) * sla.e2eMs) / Math.max(1, workload.osl - 1)};
    try {
      const result = sizeAt(input, workload, targets, rateRps);
      if (!best || result.load_served_fraction > best.load_served_fraction + 1e-12 || (result.load_served_fraction >= best.load_served_fraction - 1e-12 && result.total_gpus < best.total_gpus)) best = result;
    } catch (error) {
      if (!(error instanceof DynamoPlanError) || error.exitCode !== ExitCode.slaNotAchievable) throw error;
      lastError = error;
    }
  }
  if (!best) throw e2eNotAchievable(input, workload, lastError!);
  best.sla.e2e_ms = sla.e2eMs;
  best.notes.push(`E2E ${sla.e2eMs} ms split as TTFT ${best.sla.ttft_ms.toFixed(0)} ms + ${workload.osl - 1} x ITL ${best.sla.itl_ms.toFixed(2)} ms (of the splits tried, the one needing the fewest GPUs; percentiles add up conservatively).`);
  return best;
}

function sizeAt(input: SizingInput, workload: PreparedWorkload, targets: Targets, rateRps: number): SizingResult {
  const evaluated = evaluateCandidates(input, workload, targets);
  const notes: string[] = [];
  const modes = modesToTry(input, notes);
  const outcomes = modes.map((mode) => ({mode, outcome: sizeMode(mode, evaluated, input, rateRps)}));
  // The winner serves the most of the load, then needs the fewest GPUs, then has the most headroom.
  const feasible = outcomes.filter((entry): entry is {mode: SizingMode; outcome: {feasible: true; sizing: ModeSizing}} => entry.outcome.feasible);
  if (feasible.length === 0) throw slaNotAchievable(input, workload, targets, evaluated, outcomes);
  feasible.sort((a, b) => b.outcome.sizing.load_served_fraction - a.outcome.sizing.load_served_fraction || a.outcome.sizing.total_gpus - b.outcome.sizing.total_gpus || b.outcome.sizing.capacity_rps - a.outcome.sizing.capacity_rps);
  const winner = feasible[0]!.outcome.sizing;
  const loser = outcomes.find((entry) => entry.mode !== winner.mode);
  const alternative = loser ? summary(loser.mode, loser.outcome) : null;
  const advantage = loser?.outcome.feasible ? {gpus_saved: loser.outcome.sizing.total_gpus - winner.total_gpus, throughput_per_gpu_ratio: winner.throughput_per_gpu / loser.outcome.sizing.throughput_per_gpu} : null;
  notes.push(...sizingNotes(input, workload, winner, evaluated));
  return {
    method: input.method,
    mode: winner.mode,
    sla: {ttft_ms: targets.ttftMs, itl_ms: targets.itlMs, e2e_ms: null, percentile: input.sla.percentile},
    workload: {isl: workload.isl, osl: workload.osl, request_rate: rateRps, concurrency: null, samples: workload.samples, source: input.workload.source ?? 'flags'},
    roles: winner.roles,
    total_gpus: winner.total_gpus,
    nodes: input.limits.gpusPerNode ? Math.ceil(winner.total_gpus / input.limits.gpusPerNode) : null,
    throughput_per_gpu: winner.throughput_per_gpu,
    output_tokens_per_s: winner.served_rps * workload.osl,
    capacity_rps: winner.capacity_rps,
    load_served_fraction: winner.load_served_fraction,
    alternative,
    advantage,
    candidates: [...evaluated.prefill, ...evaluated.decode, ...evaluated.agg].map((role) => role.evaluation),
    notes,
  };
}

function modesToTry(input: SizingInput, notes: string[]): SizingMode[] {
  if (input.method === 'dynamo') {
    if (input.mode === 'agg') throw badInput('--method dynamo sizes disaggregated deployments only.', 'Use --mode disagg (or auto) with --method dynamo, or --method dynamo-plan for aggregated sizing.', 'E_BAD_SIZING_INPUT');
    if (input.mode === 'auto') notes.push("Dynamo's classic formulas size disaggregated deployments only: aggregated was not considered.");
    return ['disagg'];
  }
  return input.mode === 'auto' ? ['disagg', 'agg'] : [input.mode];
}

function summary(mode: SizingMode, outcome: ModeOutcome): ModeSummary {
  if (!outcome.feasible) return {mode, feasible: false, total_gpus: null, throughput_per_gpu: null, load_served_fraction: null, reason: outcome.reason};
  return {mode, feasible: true, total_gpus: outcome.sizing.total_gpus, throughput_per_gpu: outcome.sizing.throughput_per_gpu, load_served_fraction: outcome.sizing.load_served_fraction};
}

function sizingNotes(input: SizingInput, workload: PreparedWorkload, winner: ModeSizing, evaluated: Evaluated): string[] {
  const notes: string[] = [];
  if (winner.load_served_fraction < 1) {
    notes.push(`The GPU budget of ${input.limits.maxGpus} serves ${(winner.load_served_fraction * 100).toFixed(1)}% of the ${(winner.served_rps / winner.load_served_fraction).toFixed(2)} req/s asked for.`);
  }
  for (const role of [...evaluated.prefill, ...evaluated.decode, ...evaluated.agg]) {
    if (role.evaluation.excluded) notes.push(`${role.candidate.name} set aside as ${role.role}: it ${role.evaluation.excluded}.`);
  }
  if (input.method === 'dynamo') {
    notes.push("Dynamo's classic formulas: mean ISL/OSL, lone-request TTFT (no queueing), mean ITL at the largest batch meeting the target; the percentile is not modelled.");
  } else if (winner.mode === 'disagg') {
    notes.push('Disaggregated TTFT = prefill (queue + service) + the first decode step; the KV transfer between them is not modelled.');
  }
  if (workload.samples > 0) notes.push(`ISL/OSL spread from ${workload.samples} requests of ${input.workload.source ?? 'the sample'}; prefix-cache hits are not modelled.`);
  return notes;
}

/** The E2E the SLA lets a request take on average: TTFT + (osl - 1) ITL at the targets. */
function allowedE2eMs(input: SizingInput, workload: PreparedWorkload): number {
  if (input.sla.e2eMs !== undefined) return input.sla.e2eMs;
  return input.sla.ttftMs! + (workload.osl - 1) * input.sla.itlMs!;
}

/** Mean E2E of the sized deployment: mean TTFT + (osl - 1) mean ITL of the roles producing them. */
function predictedE2eMs(result: SizingResult, workload: PreparedWorkload): number {
  const ttft = Math.max(...result.roles.map((role) => role.mean_ttft_ms ?? 0));
  const itl = Math.max(...result.roles.map((role) => role.mean_itl_ms ?? 0));
  return ttft + (workload.osl - 1) * itl;
}

function slaNotAchievable(input: SizingInput, workload: PreparedWorkload, targets: Targets, evaluated: Evaluated, outcomes: {mode: SizingMode; outcome: ModeOutcome}[]): DynamoPlanError {
  const all = [...evaluated.prefill, ...evaluated.decode, ...evaluated.agg].map((role) => role.evaluation);
  const bestTtft = minOf(all.map((entry) => entry.best_ttft_ms));
  const bestItl = minOf(all.map((entry) => entry.best_itl_ms));
  const figures = input.candidates.map((candidate) => {
    const own = all.filter((entry) => entry.config === candidate.name);
    const ttft = minOf(own.map((entry) => entry.best_ttft_ms));
    const itl = minOf(own.map((entry) => entry.best_itl_ms));
    return `${candidate.name} reaches TTFT ${fmt(ttft)} ms, ITL ${fmt(itl)} ms`;
  });
  const reasons = outcomes.map(({mode, outcome}) => `${mode}: ${outcome.feasible ? 'feasible' : outcome.reason}`).join('; ');
  const budgetBound = outcomes.every(({outcome}) => !outcome.feasible && outcome.reason.startsWith('the GPU budget'));
  const message = budgetBound
    ? `No deployment fits the GPU budget (${reasons}).`
    : `No candidate meets TTFT ${fmt(targets.ttftMs)} ms and ITL ${fmt(targets.itlMs)} ms at ${input.sla.percentile} for ISL ${workload.isl} / OSL ${workload.osl} (${reasons}): ${figures.join('; ')} at best.`;
  const hint = budgetBound
    ? 'Raise --max-gpus, lower --min-replicas, or allow configs with fewer GPUs per engine.'
    : `Relax the SLA (TTFT needs at least ${fmt(bestTtft)} ms, ITL at least ${fmt(bestItl)} ms with these profiles, plus headroom for load), shorten prompts, loosen --percentile, or profile a faster config (more GPUs per engine).`;
  return new DynamoPlanError(message, {
    code: 'E_SLA_NOT_ACHIEVABLE',
    exitCode: ExitCode.slaNotAchievable,
    hint,
    details: {
      sla: {ttft_ms: targets.ttftMs, itl_ms: targets.itlMs, e2e_ms: input.sla.e2eMs ?? null, percentile: input.sla.percentile},
      best_ttft_ms: bestTtft,
      best_itl_ms: bestItl,
      modes: outcomes.map(({mode, outcome}) => ({mode, feasible: outcome.feasible, ...(outcome.feasible ? {} : {reason: outcome.reason})})),
      candidates: all satisfies CandidateEvaluation[],
    },
  });
}

function e2eNotAchievable(input: SizingInput, workload: PreparedWorkload, last: DynamoPlanError): DynamoPlanError {
  const details = last.details as {best_ttft_ms: number | null; best_itl_ms: number | null};
  const needed = (details.best_ttft_ms ?? 0) + (workload.osl - 1) * (details.best_itl_ms ?? 0);
  return new DynamoPlanError(`No split of E2E ${input.sla.e2eMs} ms into TTFT and ITL targets is met at ${input.sla.percentile} for ISL ${workload.isl} / OSL ${workload.osl}: the fastest engines need about ${fmt(needed)} ms even unloaded.`, {
    code: 'E_SLA_NOT_ACHIEVABLE',
    exitCode: ExitCode.slaNotAchievable,
    hint: `Relax --e2e to well above ${fmt(needed)} ms, shorten --osl or --isl, or profile a faster config.`,
    details: {...last.details, e2e_needed_ms: needed},
  });
}

function checkInput(input: SizingInput): void {
  const fail = (message: string, hint: string) => badInput(message, hint, 'E_BAD_SIZING_INPUT');
  if (input.candidates.length === 0) throw fail('No profiles to size with.', 'Pass --profile DIR (a directory holding profile.json), or --model with a shipped reference profile.');
  const models = [...new Set(input.candidates.map((candidate) => candidate.engine.model).filter((model) => model !== null))];
  if (models.length > 1) throw fail(`The profiles are of different models: ${models.join(', ')}.`, 'Size one model at a time: pass only its profiles.');
  const names = input.candidates.map((candidate) => candidate.name);
  if (new Set(names).size !== names.length) throw fail(`Two candidates share a name: ${names.join(', ')}.`, 'Give each profile a distinct config name.');
  const {sla, workload, limits} = input;
  const hasPair = sla.ttftMs !== undefined && sla.itlMs !== undefined;
  if (sla.e2eMs !== undefined ? sla.ttftMs !== undefined || sla.itlMs !== undefined : !hasPair) throw fail('Give --ttft and --itl, or --e2e alone.', 'An E2E target is split into TTFT and ITL targets by sizing itself.');
  for (const [name, value] of [['TTFT', sla.ttftMs], ['ITL', sla.itlMs], ['E2E', sla.e2eMs], ['ISL', workload.isl], ['OSL', workload.osl]] as const) {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) throw fail(`The ${name} must be a positive number, got ${value}.`, 'Targets are milliseconds; lengths are tokens.');
  }
  if ((workload.requestRate === undefined) === (workload.concurrency === undefined)) throw fail('Give a request rate or a concurrency, not both or neither.', 'Use --request-rate R (requests/s) or --concurrency C (requests in flight).');
  const load = workload.requestRate ?? workload.concurrency!;
  if (!(load > 0 && Number.isFinite(load))) throw fail(`The load must be a positive number, got ${load}.`, 'Give requests per second, or requests in flight.');
  if (!(Number.isInteger(limits.minReplicas) && limits.minReplicas >= 1)) throw fail(`--min-replicas must be a positive integer, got ${limits.minReplicas}.`, 'Use 1 or more.');
}

function minOf(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : Math.min(...present);
}

function fmt(value: number | null): string {
  if (value === null) return '-';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
