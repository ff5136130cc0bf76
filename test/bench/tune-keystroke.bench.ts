// Per-keystroke recompute of `dynamo-plan tune`: the state change, the sizing and the frontier sweep (about 13
// sizings, cached across keystrokes), as the screen does on every key. Goal: under 50 ms.
// Run: npx tsx test/bench/tune-keystroke.bench.ts [sessions]
// A scripted session of 56 keys (ITL down into infeasible and back, TTFT, percentile, ISL, rate, max GPUs, mode,
// reset) is replayed with a fresh cache per session. Timed per key, as the screen does it: the sizing, then new
// frontier points while KEYSTROKE_SWEEP_BUDGET lasts ("keystroke"); and the follow-up passes that fill in the rest of
// the frontier after the key is drawn ("complete": the key's time until the whole frontier is sized). Baselines in
// the same run: the sizing alone, and the whole frontier on every key without the cache.
import {loadCandidates, loadTraceWorkload, shippedProfileDirs, shippedProfileDirsFor, type SizingInput} from '../../src/sizing/index.js';
import {FrontierCache} from '../../src/tui/frontier.js';
import {evaluateSizing} from '../../src/tui/outcome.js';
import {initialTuneState, type TuneAction, tuneReducer} from '../../src/tui/tune-state.js';
import {computeView, KEYSTROKE_SWEEP_BUDGET} from '../../src/tui/view.js';
import {packagePath} from '../../src/util/paths.js';

const sessions = Number(process.argv[2] ?? 10);
const move = (by: 1 | -1, times = 1): TuneAction[] => Array<TuneAction>(times).fill({type: 'move', by});
const step = (by: 1 | -1, times = 1): TuneAction[] => Array<TuneAction>(times).fill({type: 'step', by});
// Fields: ttft, itl, percentile, isl, osl, rate, maxGpus, mode.
const script: TuneAction[] = [
  ...move(1), ...step(-1, 14), ...step(1, 6), // ITL down past the engines' best, and back
  ...move(-1), ...step(-1, 4), ...step(1, 6), // TTFT
  ...move(1, 2), ...step(1, 2), ...step(-1, 2), // percentile
  ...move(1), ...step(1, 3), // ISL
  ...move(1, 2), ...step(1, 4), // rate
  ...move(1), {type: 'step', by: -1, context: {totalGpus: 8}}, ...step(-1, 2), // a GPU budget
  ...move(1), ...step(1, 2), // mode
  {type: 'reset'},
];

const four = loadCandidates(shippedProfileDirs()).map((candidate) => ({...candidate, engine: {...candidate.engine, model: 'bench/four-configs'}}));
const trace = loadTraceWorkload(packagePath('..', 'shared', 'reference', 'traces', 'azure_llm_2023_conv.csv'));
const base = (candidates: SizingInput['candidates']): SizingInput => ({
  candidates,
  sla: {ttftMs: 400, itlMs: 40, percentile: 'p90'},
  workload: {isl: 3000, osl: 150, requestRate: 20},
  limits: {minReplicas: 1},
  mode: 'auto',
  method: 'dynamo-plan',
});
const cases: [string, SizingInput][] = [
  ['shipped default profile (H200 8B FP8), ISL/OSL means', {...base(loadCandidates(shippedProfileDirsFor('nvidia/Llama-3.1-8B-Instruct-FP8'))), sla: {ttftMs: 200, itlMs: 20, percentile: 'p90'}}],
  ['4 reference profiles, ISL/OSL means', base(four)],
  [`4 reference profiles, Azure conv trace (${trace.samples.length} requests)`, {...base(four), workload: trace}],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

type Mode = 'sizing only (baseline)' | 'keystroke (sizing + budgeted frontier)' | 'complete frontier, cached' | 'complete frontier, no cache';
function time(start: SizingInput, mode: Mode): {times: number[]; hitRate: number} {
  const times: number[] = [];
  let hits = 0;
  let lookups = 0;
  for (let session = 0; session < sessions; session++) {
    let state = initialTuneState(start);
    const cache = new FrontierCache();
    for (const action of script) {
      const begin = process.hrtime.bigint();
      state = tuneReducer(state, action);
      if (mode === 'sizing only (baseline)') evaluateSizing(state.input);
      else if (mode === 'complete frontier, no cache') computeView(state.input, state.axis, new FrontierCache());
      else {
        let view = computeView(state.input, state.axis, cache, KEYSTROKE_SWEEP_BUDGET);
        if (mode === 'keystroke (sizing + budgeted frontier)') times.push(elapsedMs(begin));
        while (view.frontier.pending > 0) view = computeView(state.input, state.axis, cache, KEYSTROKE_SWEEP_BUDGET);
        if (mode === 'keystroke (sizing + budgeted frontier)') continue;
      }
      times.push(elapsedMs(begin));
    }
    hits += cache.hits;
    lookups += cache.hits + cache.misses;
  }
  return {times: times.sort((a, b) => a - b), hitRate: lookups === 0 ? 0 : hits / lookups};
}

function elapsedMs(begin: bigint): number {
  return Number(process.hrtime.bigint() - begin) / 1e6;
}

console.log(`${sessions} sessions x ${script.length} keys per case`);
console.log('| case | recompute | median ms | p99 ms | max ms | vs sizing only | cache hits |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, start] of cases) {
  time(start, 'complete frontier, cached'); // warm-up: JIT, trace summaries
  let baseline = 0;
  for (const mode of ['sizing only (baseline)', 'keystroke (sizing + budgeted frontier)', 'complete frontier, cached', 'complete frontier, no cache'] as const) {
    const {times, hitRate} = time(start, mode);
    const median = quantile(times, 0.5);
    if (baseline === 0) baseline = median;
    const hits = mode === 'complete frontier, cached' ? `${(hitRate * 100).toFixed(0)}%` : '-';
    console.log(`| ${name} | ${mode} | ${median.toFixed(2)} | ${quantile(times, 0.99).toFixed(2)} | ${times.at(-1)!.toFixed(2)} | ${(median / baseline).toFixed(1)}x | ${hits} |`);
  }
}
