// Real-time fidelity of the simulator under load: with 256 concurrent HTTP streams, how late does each engine step
// start compared with when the scheduler planned it (the previous step's end)? Goal: p99 < 2 ms.
// Baseline, measured in the same run: the same server on a clock that uses setTimeout alone.
// Run: npx tsx test/bench/realtime-fidelity.bench.ts [streams] [seconds]
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {RealClock} from '../../src/sim/clock/index.js';
import {startSimulator} from '../../src/sim/simulator.js';
import type {Clock, TimerHandle} from '../../src/sim/types.js';

const streams = Number(process.argv[2] ?? 256);
const seconds = Number(process.argv[3] ?? 20);
const model = 'nvidia/Llama-3.1-8B-Instruct-FP8';
const client = fileURLToPath(new URL('./stream-load-client.ts', import.meta.url));

/** What a naive implementation would do: one setTimeout per timer, 1 ms granularity, late when the loop is busy. */
class TimeoutOnlyClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  now(): number {
    return performance.now() / 1000;
  }
  schedule(atS: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, (atS - this.now()) * 1000)));
    return {id};
  }
  cancel(handle: TimerHandle): void {
    clearTimeout(this.timers.get(handle.id));
    this.timers.delete(handle.id);
  }
}

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

async function measure(name: string, clock: Clock): Promise<Run> {
  const sim = await startSimulator({model, gpu: 'h200_sxm', port: 0, clock});
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

const realClock = await measure('RealClock (setTimeout + setImmediate to the exact time)', new RealClock());
const baseline = await measure('baseline: setTimeout only', new TimeoutOnlyClock());
console.log(`streams=${streams} seconds=${seconds} model=${model} gpu=h200_sxm`);
console.log('clock | steps | mean batch | step-start lateness p50 / p99 / max (ms) | requests completed');
for (const run of [realClock, baseline]) {
  console.log(`${run.clock} | ${run.steps} | ${run.meanBatch.toFixed(0)} | ${run.p50Ms.toFixed(3)} / ${run.p99Ms.toFixed(3)} / ${run.maxMs.toFixed(3)} | ${run.completed}`);
}
console.log(`p99 ratio baseline / RealClock: ${(baseline.p99Ms / realClock.p99Ms).toFixed(1)}x; goal p99 < 2 ms: ${realClock.p99Ms < 2 ? 'met' : 'NOT met'}`);
