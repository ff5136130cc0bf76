// Speed of the virtual-time fleet: replaying the one-hour Azure conversation trace on a 16-engine deployment.
// Run: npx tsx test/bench/fleet-replay.bench.ts [trace] [rate-scale]
// The goal is under 30 s of wall time. The baseline is one scheduler on scheduler-virtual.bench.ts's
// workload (full 256-sequence batches), measured in the same run: the ratio says what a fleet pays per output token
// for its smaller batches, the router, the lifecycle and the planner's observations.

import {fileURLToPath} from 'node:url';
import {readTrace} from '../../src/loadgen/traces.js';
import {VirtualClock} from '../../src/sim/clock/index.js';
import {createStepCostModel, resolveEngineSpec} from '../../src/sim/cost/index.js';
import {FleetSimulator, requestsFromSchedule, summarizeFleet, type FleetOptions, type FleetRequest} from '../../src/sim/fleet/index.js';
import {Scheduler, type RequestListener} from '../../src/sim/scheduler/index.js';
import {seededRandom} from '../../src/util/hash.js';

const targetWallSeconds = 30;
const repeats = 3;
const defaultTrace = fileURLToPath(new URL('../../../shared/reference/traces/azure_llm_2023_conv.csv', import.meta.url));
const spec = resolveEngineSpec({model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'h100_sxm', tp: 1});
const sla = {ttftMs: 500, itlMs: 30};

interface Scenario {
  name: string;
  options: FleetOptions;
  /** A planner's loop on the fleet, if any. */
  drive?: (fleet: FleetSimulator) => void;
}

/**
 * A stand-in planner with the cadence of Dynamo's (5 s load ticks, 180 s throughput ticks): it reads a full tick
 * input every 5 s and moves the decode pool by one engine on its KV load, so observation, start-up and drain all run.
 */
function thresholdPlanner(fleet: FleetSimulator): void {
  let ticks = 0;
  fleet.every(5, (f) => {
    const tick = f.tickInput({traffic: ++ticks % 36 === 0});
    const maxKv = tick.capabilities!.decode!.max_kv_tokens!;
    const loads = tick.engines!.decode!.map((engine) => (engine.scheduled_decode_kv_tokens! + engine.queued_decode_kv_tokens!) / maxKv);
    const expected = tick.worker_counts!.expected_num_decode!;
    if (expected !== tick.worker_counts!.ready_num_decode) return; // a change is in progress
    if (loads.some((load) => load > 0.3) && expected < 16) f.setReplicas('decode', expected + 1);
    else if (loads.every((load) => load < 0.05) && expected > 4) f.setReplicas('decode', expected - 1);
  });
}

const scenarios: Scenario[] = [
  {name: '8 agg', options: {pools: {agg: {spec, replicas: 8}}}},
  {name: '4 prefill + 12 decode', options: {pools: {prefill: {spec, replicas: 4}, decode: {spec, replicas: 12}}, kvTransferS: 0.002}},
  {
    name: '4P + 12D, planner loop',
    options: {pools: {prefill: {spec, replicas: 4}, decode: {spec, replicas: 12, startupS: 60}}, kvTransferS: 0.002},
    drive: thresholdPlanner,
  },
];

function runScenario(scenario: Scenario, load: readonly FleetRequest[]) {
  const started = performance.now();
  const fleet = new FleetSimulator(scenario.options, load);
  scenario.drive?.(fleet);
  fleet.run();
  const result = fleet.result();
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.unfinished !== 0) throw new Error(`bench: ${result.unfinished} requests unfinished in ${scenario.name}`);
  const steps = result.engines.reduce((sum, engine) => sum + engine.steps, 0);
  return {wallSeconds, result, steps, summary: summarizeFleet(result, sla)};
}

/** scheduler-virtual.bench.ts's workload (prefix caching off): output tokens per wall second of one scheduler. */
function baselineTokensPerSecond(): number {
  const costModel = createStepCostModel(resolveEngineSpec({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu: 'h200_sxm', tp: 1}));
  const config = {maxNumSeqs: 256, maxNumBatchedTokens: 8192, blockSize: 16, numGpuBlocks: 14337, maxModelLen: 4096, enablePrefixCaching: false, role: 'agg' as const};
  const random = seededRandom(42);
  const clock = new VirtualClock();
  const scheduler = new Scheduler(config, costModel, clock);
  const listener: RequestListener = {onFinish: () => {}};
  let arrival = 0;
  for (let i = 0; i < 2000; i++) {
    arrival += -Math.log(1 - random()) / 60;
    const maxTokens = 512 + Math.floor(random() * 513);
    clock.schedule(arrival, () => scheduler.submit({id: `r${i}`, promptTokens: 512, maxTokens}, listener));
  }
  const started = performance.now();
  clock.run();
  return scheduler.counters.generationTokens / ((performance.now() - started) / 1000);
}

function main(): void {
  const tracePath = process.argv[2] || defaultTrace;
  const rateScale = Number(process.argv[3] ?? 1);
  const load = requestsFromSchedule(readTrace(tracePath, {rateScale}));
  const promptTokens = load.reduce((sum, request) => sum + request.isl, 0);
  const format = (value: number) => Math.round(value).toLocaleString('en-US');

  baselineTokensPerSecond(); // warm the JIT
  const baseline = Array.from({length: repeats}, baselineTokensPerSecond).sort((a, b) => a - b)[Math.floor(repeats / 2)]!;

  console.log(`fleet replay: ${tracePath.split('/').at(-1)} x${rateScale}, ${format(load.length)} requests over ` +
    `${(load.at(-1)!.atS / 60).toFixed(1)} min, ${format(promptTokens)} prompt tokens, ${spec.model.id} on ${spec.accelerator.sku}, ` +
    `SLA TTFT ${sla.ttftMs} ms / ITL ${sla.itlMs} ms`);
  console.log(`  baseline: one scheduler, full batches: ${format(baseline)} output tokens/s; every figure is the median of ${repeats} runs`);
  for (const scenario of scenarios) {
    // Every run simulates the same thing; the median wall time of a few damps other load on the machine.
    const runs = Array.from({length: repeats}, () => runScenario(scenario, load)).sort((a, b) => a.wallSeconds - b.wallSeconds);
    const {wallSeconds, result, steps, summary} = runs[Math.floor(repeats / 2)]!;
    const tokensPerSecond = result.outputTokens / wallSeconds;
    console.log(
      `  ${scenario.name.padEnd(24)} ${wallSeconds.toFixed(2)} s wall (${wallSeconds < targetWallSeconds ? 'meets' : 'MISSES'} the ${targetWallSeconds} s goal), ` +
        `${(result.endS / wallSeconds).toFixed(0)}x real time, ${format(load.length / wallSeconds)} requests/s, ` +
        `${format(tokensPerSecond)} output tokens/s (${(tokensPerSecond / baseline).toFixed(2)}x baseline), ` +
        `${format((promptTokens + result.outputTokens) / wallSeconds)} prompt+output tokens/s, ${format(steps / wallSeconds)} steps/s; ` +
        `TTFT p90 ${summary.ttftMs!.p90.toFixed(0)} ms, ITL p90 ${summary.itlMs!.p90.toFixed(1)} ms, ` +
        `SLA ${(summary.slaAttainment * 100).toFixed(2)}%, ${summary.gpuHours.toFixed(2)} GPU-h, ${summary.scalingEvents} scaling events`,
    );
  }
}

main();
