// Speed of the scheduler in virtual time: simulated output tokens per wall-clock second.
// Run: npx tsx test/bench/scheduler-virtual.bench.ts [requests] [seed]
// The workload is seeded, so every run simulates exactly the same tokens and steps; only the wall time varies.

import {VirtualClock} from '../../src/sim/clock/index.js';
import {Scheduler, type RequestListener, type SchedulerConfig} from '../../src/sim/scheduler/index.js';
import {createStepCostModel, resolveEngineSpec} from '../../src/sim/cost/index.js';
import {seededRandom} from '../../src/util/hash.js';

const targetTokensPerSecond = 1_000_000;

const config: SchedulerConfig = {
  maxNumSeqs: 256,
  maxNumBatchedTokens: 8192,
  blockSize: 16,
  // ~229k tokens: without prefix caching a full batch outgrows it, so the run exercises preemption too.
  numGpuBlocks: 14337,
  maxModelLen: 4096,
  enablePrefixCaching: false,
  role: 'agg',
};

// The shipped roofline model of the calibrated set-up, so steps cost what `sim serve` would charge.
const costModel = createStepCostModel(resolveEngineSpec({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu: 'h200_sxm', tp: 1}));

const promptTokens = 512;
const sharedPrefixBlocks = 16; // 256 of the 512 prompt tokens are one of a few system prompts
const systemPrompts = 8;
// Faster than a full batch of 256 completes them (it finishes ~15 requests/s), so the batch stays full and requests queue.
const arrivalsPerSecond = 60;
const repeats = 5;

interface BenchResult {
  tokens: number;
  steps: number;
  simulatedSeconds: number;
  wallSeconds: number;
  preemptions: number;
  prefixHitRate: number;
}

function blockHashes(requestIndex: number, systemPrompt: number): number[] {
  const hashes: number[] = [];
  for (let i = 0; i < promptTokens / config.blockSize; i++) {
    hashes.push(i < sharedPrefixBlocks ? systemPrompt * 1000 + i : 1_000_000 + requestIndex * 100 + i);
  }
  return hashes;
}

function runScheduler(requests: number, seed: number, enablePrefixCaching: boolean): BenchResult {
  const random = seededRandom(seed);
  const clock = new VirtualClock();
  const scheduler = new Scheduler({...config, enablePrefixCaching}, costModel, clock);
  let expectedTokens = 0;
  let finishedTokens = 0;
  const listener: RequestListener = {onFinish: (_t, _reason, stats) => (finishedTokens += stats.outputTokens)};

  let arrival = 0;
  for (let i = 0; i < requests; i++) {
    arrival += -Math.log(1 - random()) / arrivalsPerSecond;
    const maxTokens = 512 + Math.floor(random() * 513);
    const hashes = blockHashes(i, Math.floor(random() * systemPrompts));
    expectedTokens += maxTokens;
    clock.schedule(arrival, () => scheduler.submit({id: `r${i}`, promptTokens, maxTokens, blockHashes: hashes}, listener));
  }

  const started = performance.now();
  clock.run();
  const wallSeconds = (performance.now() - started) / 1000;

  const {counters} = scheduler;
  if (counters.generationTokens !== expectedTokens || finishedTokens !== expectedTokens) {
    throw new Error(`bench: simulated ${counters.generationTokens} tokens, expected ${expectedTokens}`);
  }
  return {
    tokens: counters.generationTokens,
    steps: counters.steps,
    simulatedSeconds: clock.now(),
    wallSeconds,
    preemptions: counters.preemptions,
    prefixHitRate: counters.prefixCacheQueries === 0 ? 0 : counters.prefixCacheHits / counters.prefixCacheQueries,
  };
}

/**
 * The floor any scheduler pays: the same number of steps, touching the same number of per-sequence token counters,
 * with no scheduling at all. Dividing by it makes the figure comparable across machines.
 */
function runBareLoop(tokens: number, batch: number): number {
  const perSequence = new Float64Array(batch);
  let counted = 0;
  const started = performance.now();
  while (counted < tokens) {
    for (let i = 0; i < batch && counted < tokens; i++) {
      perSequence[i]!++;
      counted++;
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  if (perSequence.reduce((sum, value) => sum + value, 0) !== tokens) throw new Error('bench: bare loop miscounted');
  return wallSeconds;
}

/** Each run simulates the same thing, so keep its figures and take the median wall time: one run is ~0.1 s and noisy. */
function medianRun(run: () => BenchResult): BenchResult {
  const results = Array.from({length: repeats}, run).sort((a, b) => a.wallSeconds - b.wallSeconds);
  return results[Math.floor(repeats / 2)]!;
}

function main(): void {
  const requests = Number(process.argv[2] ?? 2000);
  const seed = Number(process.argv[3] ?? 42);
  // Warm the JIT so the measured runs compare steady-state code.
  runScheduler(200, seed + 1, false);
  runScheduler(200, seed + 1, true);

  const off = medianRun(() => runScheduler(requests, seed, false));
  const on = medianRun(() => runScheduler(requests, seed, true));
  const bareSeconds = Math.min(...Array.from({length: repeats}, () => runBareLoop(off.tokens, config.maxNumSeqs)));

  const format = (value: number) => Math.round(value).toLocaleString('en-US');
  console.log(`scheduler in virtual time: ${requests} requests, prompt ${promptTokens}, output 512..1024, ` +
    `maxNumSeqs ${config.maxNumSeqs}, Poisson ${arrivalsPerSecond}/s, seed ${seed}, median of ${repeats} runs`);
  for (const [name, result] of [['prefix caching off', off], ['prefix caching on', on]] as const) {
    const tokensPerSecond = result.tokens / result.wallSeconds;
    console.log(
      `  ${name.padEnd(19)} ${format(result.tokens)} tokens, ${format(result.steps)} steps, ` +
        `${result.simulatedSeconds.toFixed(1)} s simulated, ${result.wallSeconds.toFixed(3)} s wall: ` +
        `${format(tokensPerSecond)} tokens/s, ${format(result.steps / result.wallSeconds)} steps/s, ` +
        `${result.preemptions} preemptions, prefix hit rate ${(result.prefixHitRate * 100).toFixed(1)}%` +
        ` (${tokensPerSecond >= targetTokensPerSecond ? 'meets' : 'BELOW'} the ${format(targetTokensPerSecond)} tokens/s target)`,
    );
  }
  console.log(`  bare counting loop  ${format(off.tokens / bareSeconds)} tokens/s`);
  console.log(`  ratios: prefix on / off speed ${(off.wallSeconds / on.wallSeconds).toFixed(2)}; ` +
    `scheduler (off) / bare loop speed ${(bareSeconds / off.wallSeconds).toFixed(4)}`);
}

main();
