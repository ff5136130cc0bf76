// Adaptive vs fixed-grid profiling on the simulator, in one run: engine time spent, and the fits' error on a dense
// held-out grid of points neither sweep measured. Goal: the adaptive sweep reaches <= 5% error on the held-out grid
// with at most a third of the engine time of a Dynamo-style fixed grid (16 ISLs; 6 contexts x 6 concurrencies).
// Run: npx tsx test/bench/adaptive-sweep.bench.ts [model] [gpu] [tp]
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createEngineClient} from '../../src/engine/create-client.js';
import {fitItl, fitTtft, itlAt, type ItlModel, ttftAt, type TtftModel} from '../../src/fit/index.js';
import {PromptBuilder} from '../../src/loadgen/prompts.js';
import {contextRange, type EngineLimits, maxConcurrency, prefillRange} from '../../src/profiler/adaptive-plan.js';
import {discoverEngineFacts} from '../../src/profiler/engine-facts.js';
import {pointMeasurer} from '../../src/profiler/point-measurer.js';
import type {PointSpec} from '../../src/profiler/points.js';
import {profileEngine} from '../../src/profiler/profile-engine.js';
import {type RawPointLine, RawPointLog} from '../../src/profiler/raw-point-log.js';
import {runSweep} from '../../src/profiler/sweep.js';
import {startSimulatorOnThread} from '../../src/sim/simulator.js';

const [model = 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu = 'h200_sxm', tp = '1'] = process.argv.slice(2);
const root = mkdtempSync(join(tmpdir(), 'dynamo-plan-adaptive-'));
const sim = await startSimulatorOnThread({model, gpu, tp: Number(tp), port: 0});
const {client, tokenize} = await createEngineClient({api: 'completions', url: sim.info.url, requestTimeoutS: 600, stallTimeoutS: 120});
const facts = await discoverEngineFacts(sim.info.url);
const limits: EngineLimits = {maxModelLen: facts.maxModelLen!, kvCapacityTokens: facts.kvCapacityTokens!, maxNumSeqs: sim.info.maxNumSeqs, decodeOsl: 64, concurrencyCap: 256};
const builder = new PromptBuilder({tokenize});

const linear = (from: number, to: number, count: number) => Array.from({length: count}, (_, i) => Math.round(from + ((to - from) * i) / (count - 1)));
const [islFrom, islTo] = prefillRange(limits);
const [ctxFrom, ctxTo] = contextRange(limits);

async function sweep(name: string, plan: PointSpec[], seed: number): Promise<{lines: RawPointLine[]; seconds: number}> {
  const log = new RawPointLog(join(root, name), name);
  const started = performance.now();
  const lines = await runSweep({plan, log, measure: pointMeasurer({client, builder, seed, decode: {osl: limits.decodeOsl}})});
  log.close();
  return {lines, seconds: (performance.now() - started) / 1000};
}

const points = (lines: RawPointLine[]) => ({
  prefill: lines.flatMap(({point}) => (point.kind === 'prefill' && point.medianMs !== null ? [{isl: point.isl, ttftMs: point.medianMs}] : [])),
  decode: lines.flatMap(({point}) => (point.kind === 'decode' && point.itlMs !== null ? [{concurrency: point.concurrency, context: point.context, itlMs: point.itlMs}] : [])),
});

// Dynamo's thorough grid: 16 evenly spaced ISLs; 6 evenly spaced contexts x 6 concurrencies up to what KV holds.
const fixedPlan: PointSpec[] = [
  ...linear(islFrom, islTo, 16).map((isl): PointSpec => ({kind: 'prefill', isl})),
  ...linear(ctxFrom, ctxTo, 6).flatMap((context) => linear(1, maxConcurrency(limits, context), 6).map((concurrency): PointSpec => ({kind: 'decode', concurrency, context}))),
];
// Held out: points between the grids' points, measured only to score the fits.
const heldOutPlan: PointSpec[] = [
  ...linear(islFrom + 333, islTo - 333, 10).map((isl): PointSpec => ({kind: 'prefill', isl})),
  ...linear(ctxFrom + 150, ctxTo - 150, 4).flatMap((context) => linear(3, Math.max(4, maxConcurrency(limits, context) - 5), 4).map((concurrency): PointSpec => ({kind: 'decode', concurrency, context}))),
];

const adaptive = await (async () => {
  const started = performance.now();
  const result = await profileEngine({
    dir: join(root, 'adaptive'), config: 'adaptive', client, builder, limits, seed: 11,
    engine: {model, backend: 'vllm', backendVersion: null, accelerator: gpu, tp: Number(tp), pp: 1, dp: 1, gpusPerEngine: Number(tp), role: 'agg', maxNumSeqs: limits.maxNumSeqs, maxNumBatchedTokens: sim.info.maxNumBatchedTokens, kvCapacityTokens: limits.kvCapacityTokens, maxModelLen: limits.maxModelLen},
    targetErrorPct: 5, maxFitErrorPct: 1000, force: true, maxPoints: 40, budgetS: 600,
  });
  return {result, seconds: (performance.now() - started) / 1000};
})();
const fixed = await sweep('fixed', fixedPlan, 22);
const heldOut = await sweep('held-out', heldOutPlan, 33);
const truth = points(heldOut.lines);

const fixedPoints = points(fixed.lines);
const fixedTtft = fitTtft(fixedPoints.prefill).model as TtftModel;
const fixedItl = fitItl(fixedPoints.decode, {maxNumSeqs: limits.maxNumSeqs}).model as ItlModel;
const {loadProfile} = await import('../../src/profile/artifact.js');
const adaptiveFits = loadProfile(join(root, 'adaptive')).fits!;

function errors(ttft: TtftModel, itl: ItlModel): {ttftMape: number; ttftMax: number; itlMape: number; itlMax: number} {
  const ttftErr = truth.prefill.map((p) => Math.abs(ttftAt(ttft, p.isl) - p.ttftMs) / p.ttftMs * 100);
  const itlErr = truth.decode.map((p) => Math.abs(itlAt(itl, p.concurrency, p.context) - p.itlMs) / p.itlMs * 100);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {ttftMape: mean(ttftErr), ttftMax: Math.max(...ttftErr), itlMape: mean(itlErr), itlMax: Math.max(...itlErr)};
}

const a = errors(adaptiveFits.prefill as TtftModel, adaptiveFits.decode as ItlModel);
const f = errors(fixedTtft, fixedItl);
console.log(`${model} on ${gpu} x${tp} (simulator); held-out grid: ${truth.prefill.length} prefill + ${truth.decode.length} decode points`);
console.log('| sweep | points | engine time (s) | TTFT error mean / max (%) | ITL error mean / max (%) |');
console.log('|---|---|---|---|---|');
console.log(`| adaptive (shipped) | ${adaptive.result.points.prefill + adaptive.result.points.decode} | ${adaptive.result.engineTimeS.toFixed(1)} | ${a.ttftMape.toFixed(2)} / ${a.ttftMax.toFixed(2)} | ${a.itlMape.toFixed(2)} / ${a.itlMax.toFixed(2)} |`);
console.log(`| baseline: Dynamo-style fixed grid | ${fixed.lines.length} | ${fixed.seconds.toFixed(1)} | ${f.ttftMape.toFixed(2)} / ${f.ttftMax.toFixed(2)} | ${f.itlMape.toFixed(2)} / ${f.itlMax.toFixed(2)} |`);
const ratio = adaptive.result.engineTimeS / fixed.seconds;
const accurate = Math.max(a.ttftMape, a.itlMape) <= 5;
console.log(`engine time adaptive / fixed: ${ratio.toFixed(2)}; goal (<= 0.33 and <= 5% held-out error): ${ratio <= 1 / 3 && accurate ? 'met' : 'NOT met'}`);
await client.close();
await sim.close();
rmSync(root, {recursive: true, force: true});
