// A prefill point: TTFT of one prompt length, one request at a time, so nothing shares the engine with it.
import type {EngineClient, GenerationInput} from '../engine/types.js';
import {interrupted} from '../errors/errors.js';
import type {PromptBuilder} from '../loadgen/prompts.js';
import type {BenchRecord} from '../loadgen/records.js';
import {runRequests} from '../loadgen/runner.js';
import {percentile} from '../loadgen/stats.js';
import {mix32} from '../util/hash.js';
import {type MeasuredPrefillPoint, type PointError, roundMs} from './points.js';

export interface PrefillPointOptions {
  client: EngineClient;
  isl: number;
  samples?: number;
  warmup?: number;
  /** Output tokens per request: a few, as Dynamo's profiler uses 5, so decode barely adds to the request. */
  osl?: number;
  builder: PromptBuilder;
  seed: number;
  signal?: AbortSignal;
}

/**
 * Every request of the point (warm-ups, samples, retries) gets a prompt of its own, with no shared prefix, so the
 * prefix cache never serves part of a prompt and TTFT is the whole prefill. Prompts are a function of (seed, isl,
 * request number), so an engine that already served this seed's prompts would hit its cache: a sweep that
 * re-measures points on the same engine (a resume) should pass a new seed.
 */
export async function measurePrefillPoint(options: PrefillPointOptions): Promise<MeasuredPrefillPoint> {
  const {client, isl, builder, signal} = options;
  const samples = options.samples ?? 3;
  const osl = options.osl ?? 5;
  if (osl < 1 || osl > 5) throw new RangeError(`a prefill point's OSL must be 1..5, got ${osl}`);
  const pointSeed = mix32(options.seed, isl);
  let promptNumber = 0;
  const nextRequest = async () => {
    const prompt = await builder.build(isl, mix32(pointSeed, promptNumber++));
    const input: GenerationInput = {prompt: prompt.text, maxTokens: osl, minTokens: osl, ignoreEos: true};
    return {input, promptTokens: prompt.tokens};
  };

  for (let i = 0; i < (options.warmup ?? 1); i++) await client.generate((await nextRequest()).input, () => {}, signal);
  const ttftMs: number[] = [];
  let error: PointError | null = null;
  for (let sample = 0; sample < samples && !error; sample++) {
    let record = await sendOne(client, await nextRequest(), signal);
    if (failed(record)) record = await sendOne(client, await nextRequest(), signal);
    if (failed(record)) error = {kind: record.error_kind ?? 'other', message: record.error_message ?? 'the request produced no output token'};
    else ttftMs.push(roundMs((record.first_token_s! - record.actual_send_s) * 1000));
  }
  const sorted = ttftMs.toSorted((a, b) => a - b);
  return {kind: 'prefill', isl, osl, ttftMs, medianMs: sorted.length > 0 ? roundMs(percentile(sorted, 50)) : null, error};
}

/** Runs one request alone; an abort abandons the point rather than recording an aborted sample. */
async function sendOne(client: EngineClient, request: {input: GenerationInput; promptTokens: number}, signal: AbortSignal | undefined): Promise<BenchRecord> {
  const [record] = await runRequests({client, requests: [{index: 0, sendAtS: 0, ...request}], maxConcurrency: 1, closedLoop: true, signal});
  if (signal?.aborted || !record) throw interrupted();
  return record;
}

function failed(record: BenchRecord): boolean {
  return record.error_kind !== null || record.first_token_s === null;
}
