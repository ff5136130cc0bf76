// Speed of one sizeDeployment: the tune TUI re-sizes on every keystroke and must answer in < 50 ms.
// Run: npx tsx test/bench/sizing.bench.ts [runs]
// All 4 shipped reference profiles are candidates at once (relabelled as one model, as if they were four configs of
// it: sizing refuses mixed models), mode auto, so every candidate is evaluated as prefill, decode and aggregated.
// Baseline in the same run: --method dynamo (no queueing maths). Also timed: a trace's ISL spread, an E2E target
// (nine TTFT/ITL splits) and --concurrency (a few re-sizings).
import {loadCandidates, loadTraceWorkload, shippedProfileDirs, type SizingInput, sizeDeployment} from '../../src/sizing/index.js';
import {packagePath} from '../../src/util/paths.js';

const runs = Number(process.argv[2] ?? 300);
const candidates = loadCandidates(shippedProfileDirs()).map((candidate) => ({...candidate, engine: {...candidate.engine, model: 'bench/four-configs'}}));
const base: SizingInput = {
  candidates,
  sla: {ttftMs: 400, itlMs: 40, percentile: 'p90'},
  workload: {isl: 3000, osl: 150, requestRate: 20},
  limits: {minReplicas: 1},
  mode: 'auto',
  method: 'dynamo-plan',
};
const trace = loadTraceWorkload(packagePath('..', 'shared', 'reference', 'traces', 'azure_llm_2023_conv.csv'));

const cases: [string, SizingInput][] = [
  ['method dynamo (baseline)', {...base, mode: 'disagg', method: 'dynamo'}],
  ['dynamo-plan, ISL/OSL means', base],
  [`dynamo-plan, trace (${trace.samples.length} requests)`, {...base, workload: trace}],
  ['dynamo-plan, --e2e 8000', {...base, sla: {e2eMs: 8000, percentile: 'p90'}}],
  ['dynamo-plan, --concurrency 64', {...base, workload: {isl: 3000, osl: 150, concurrency: 64}}],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const rows: string[] = [];
let baselineMedian = 0;
for (const [name, sizing] of cases) {
  for (let i = 0; i < 10; i++) sizeDeployment(sizing); // warm-up: JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    sizeDeployment(sizing);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  if (baselineMedian === 0) baselineMedian = median;
  rows.push(`| ${name} | ${median.toFixed(2)} | ${quantile(times, 0.99).toFixed(2)} | ${(median / baselineMedian).toFixed(1)}x |`);
}
console.log(`${runs} runs each, 4 candidates, mode auto`);
console.log('| case | median ms | p99 ms | vs baseline |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
