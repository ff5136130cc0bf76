// A decode point: ITL with `concurrency` sequences decoding together at a given mean context.
import type {EngineClient, GenerationInput} from '../engine/types.js';
import {badInput, interrupted} from '../errors/errors.js';
import type {PromptBuilder} from '../loadgen/prompts.js';
import type {BenchRecord} from '../loadgen/records.js';
import {runRequests, type RunRequest} from '../loadgen/runner.js';
import {mix32} from '../util/hash.js';
import {type MeasuredDecodePoint, type PointError, roundMs} from './points.js';
import {itlStats, steadyDecode} from './steady-window.js';

export interface DecodePointOptions {
  client: EngineClient;
  concurrency: number;
  /** Mean KV tokens per sequence over the measurement: prompts are `context - osl/2` tokens. */
  context: number;
  osl?: number;
  builder: PromptBuilder;
  seed: number;
  signal?: AbortSignal;
}

// Each prompt ends in this many tokens of its own after the shared prefix: one KV block, so requests differ (as
// real ones do) while nearly all of each prefill is a cache hit.
const DISTINCT_TAIL_TOKENS = 16;

/**
 * Sends `concurrency` requests at once in a closed loop of that width, each generating exactly `osl` tokens, and
 * measures their token gaps in the steady window (steady-window.ts). The prompts share one prefix, which a warm-up
 * request puts in the prefix cache first, so the measured prefills are cache hits (Dynamo's profiler gets the same
 * by repeating its warm-up run's seed) and barely disturb the decode steps. A point whose run has a failed request
 * is run once more; a second failure is recorded as the point's error.
 */
export async function measureDecodePoint(options: DecodePointOptions): Promise<MeasuredDecodePoint> {
  const {client, concurrency, context, builder, signal} = options;
  const osl = options.osl ?? 128;
  const promptTokens = Math.round(context - osl / 2);
  if (promptTokens < 1) throw badInput(`A decode point at context ${context} leaves no prompt with OSL ${osl}.`, 'Use a context larger than half the OSL.');
  const prefixTokens = promptTokens - DISTINCT_TAIL_TOKENS;
  const shared = prefixTokens > 0 ? {prefix: {id: `decode:${options.seed}:${promptTokens}`, tokens: prefixTokens}} : {};
  const pointSeed = mix32(options.seed, promptTokens);
  const build = async (index: number): Promise<RunRequest> => {
    const prompt = await builder.build(promptTokens, mix32(pointSeed, index), shared);
    return {index, sendAtS: 0, input: {prompt: prompt.text, maxTokens: osl, minTokens: osl, ignoreEos: true}, promptTokens: prompt.tokens};
  };
  const requests: RunRequest[] = [];
  for (let i = 0; i < concurrency; i++) requests.push(await build(i));
  const warmup: GenerationInput = {...(await build(concurrency)).input, maxTokens: 1, minTokens: 1};

  const run = async () => {
    const streams = await runRequests({client, requests, maxConcurrency: concurrency, closedLoop: true, warmup: [warmup], signal});
    if (signal?.aborted) throw interrupted();
    return streams;
  };
  let streams = await run();
  if (firstFailure(streams)) streams = await run();
  const point = {kind: 'decode', concurrency, context, osl, promptTokens} as const;
  const unmeasured = (windowS: number, error: PointError): MeasuredDecodePoint => ({...point, itlMs: null, itlP50Ms: null, itlP90Ms: null, tokensPerSecond: null, gaps: 0, windowS, error});
  const failure = firstFailure(streams);
  if (failure) return unmeasured(0, failure);

  const window = steadyDecode(streams);
  const windowS = Math.max(0, window.endS - window.startS);
  const stats = itlStats(window);
  if (!stats) return unmeasured(windowS, {kind: 'no_steady_window', message: `the ${concurrency} streams never decoded two tokens all at once`});
  return {
    ...point,
    itlMs: roundMs(stats.meanMs),
    itlP50Ms: roundMs(stats.p50Ms),
    itlP90Ms: roundMs(stats.p90Ms),
    tokensPerSecond: Math.round(stats.tokensPerSecond * 10) / 10,
    gaps: window.gapsS.length,
    windowS: Math.round(windowS * 1e6) / 1e6,
    error: null,
  };
}

function firstFailure(streams: readonly BenchRecord[]): PointError | undefined {
  const failed = streams.find((stream) => stream.error_kind !== null);
  return failed ? {kind: failed.error_kind!, message: failed.error_message ?? failed.error_kind!} : undefined;
}
