// Real-time fidelity of the simulator under load: with 256 concurrent HTTP streams, how late does each engine step
// start compared with when the scheduler planned it (the previous step's end)? Goal: p99 < 2 ms.
// Measured for the shipped design (engine on its own thread) and, as the baseline in the same run, for the same
// scheduler and RealClock sharing the HTTP thread's event loop.
// Each configuration runs `repeats` times, alternating, and the median p99 is reported: this machine is a 2-core VM
// whose threads are sometimes descheduled for milliseconds, so single runs vary.
// Run: npx tsx test/bench/realtime-fidelity.bench.ts [streams] [seconds] [repeats]
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {RealClock} from '../../src/sim/clock/index.js';
import {startSimulator} from '../../src/sim/simulator.js';
import type {Clock} from '../../src/sim/types.js';

const streams = Number(process.argv[2] ?? 256);
const seconds = Number(process.argv[3] ?? 12);
const repeats = Number(process.argv[4] ?? 3);
const model = 'nvidia/Llama-3.1-8B-Instruct-FP8';
const client = fileURLToPath(new URL('./stream-load-client.ts', import.meta.url));

interface Run {
  clock: string;
  steps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanBatch: number;
  completed: number;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(name: string, inProcessClock?: Clock): Promise<Run> {
  const sim = await startSimulator({model, gpu: 'h200_sxm', port: 0, inProcessClock});
  const lateness: number[] = [];
  let batchSum = 0;
  let measuring = false;
  sim.engine.onStep((step) => {
    if (!measuring) return;
    lateness.push((step.start - step.plannedStart) * 1000);
    batchSum += step.numRunning;
  });
  const child = spawn(process.execPath, ['--import', 'tsx', client, sim.url, model, String(streams), String(seconds)], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  // Measure the middle of the run, once every stream is open and the batch is full.
  const warmup = setTimeout(() => (measuring = true), Math.min(3000, seconds * 200));
  const stop = setTimeout(() => (measuring = false), seconds * 1000 - 1000);
  await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(warmup);
  clearTimeout(stop);
  await sim.close();
  const sorted = Float64Array.from(lateness).sort();
  return {
    clock: name,
    steps: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
    meanBatch: batchSum / Math.max(1, sorted.length),
    completed: (JSON.parse(out || '{"completed":0}') as {completed: number}).completed,
  };
}

const threaded: Run[] = [];
const baseline: Run[] = [];
for (let i = 0; i < repeats; i++) {
  threaded.push(await measure('engine thread (shipped)'));
  baseline.push(await measure('baseline: engine in the HTTP thread', new RealClock()));
}
console.log(`streams=${streams} seconds=${seconds} repeats=${repeats} model=${model} gpu=h200_sxm`);
console.log('| engine | steps | mean batch | step-start lateness p50 / p99 / max (ms) | requests completed |');
console.log('|---|---|---|---|---|');
for (const run of [...threaded, ...baseline]) {
  console.log(`| ${run.clock} | ${run.steps} | ${run.meanBatch.toFixed(0)} | ${run.p50Ms.toFixed(3)} / ${run.p99Ms.toFixed(3)} / ${run.maxMs.toFixed(3)} | ${run.completed} |`);
}
const medianP99 = (runs: Run[]) => runs.map((run) => run.p99Ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
const shipped = medianP99(threaded);
console.log(`median p99: engine thread ${shipped.toFixed(3)} ms, baseline ${medianP99(baseline).toFixed(3)} ms ` +
  `(baseline / engine thread ${(medianP99(baseline) / shipped).toFixed(1)}x); goal p99 < 2 ms: ${shipped < 2 ? 'met' : 'NOT met'}`);
