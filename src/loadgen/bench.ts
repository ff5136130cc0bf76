import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {createEngineClient, type TargetOptions} from '../engine/create-client.js';
import type {ApiKind, GenerationInput} from '../engine/types.js';
import {badInput, interrupted} from '../errors/errors.js';
import {type SimulatorOnThread, type SimulatorOptions, startSimulatorOnThread} from '../sim/simulator.js';
import {writeFileAtomic} from '../util/files.js';
import {mix32} from '../util/hash.js';
import {gamma} from './arrivals.js';
import {parseGoodput} from './goodput.js';
import {lengthSampler, withLengths} from './lengths.js';
import {PromptBuilder} from './prompts.js';
import {RecordWriter} from './records.js';
import {type RunProgress, type RunRequest, runRequests} from './runner.js';
import type {PlannedRequest, RequestLimit} from './schedule.js';
import {type BenchSummary, summarizeRecords} from './summary.js';
import {readTrace} from './traces.js';

export interface BenchOptions {
  /** The engine; undefined starts the embedded simulator (configured by `simulator`). */
  url?: string;
  api: ApiKind;
  model?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  isl: number;
  osl: number;
  rangeRatio: number;
  /** Requests per second; Infinity sends everything at once. */
  requestRate: number;
  burstiness: number;
  /** With a request rate: the cap on requests in flight. Alone: a closed loop of this many. */
  concurrency?: number;
  numRequests?: number;
  durationS?: number;
  trace?: string;
  traceTimeScale?: number;
  traceRateScale?: number;
  goodput?: string;
  seed: number;
  warmupRequests: number;
  requestTimeoutS: number;
  stallTimeoutS: number;
  outDir?: string;
  simulator: SimulatorOptions;
  signal?: AbortSignal;
  onProgress?: (progress: BenchProgress) => void;
}

export type BenchProgress = {type: 'phase'; phase: string} | RunProgress;

/**
 * `dynamo-plan bench`: plan the whole run up front (send times, lengths, prompts of exact token lengths), send it
 * open loop (or closed loop for a bare --concurrency), append each request's record to DIR/records.jsonl as it
 * completes, and summarise. Interrupted runs keep and summarise what completed, then report the interruption.
 */
export async function runBench(options: BenchOptions): Promise<BenchSummary> {
  const slo = options.goodput ? parseGoodput(options.goodput) : undefined;
  const report = (phase: string) => options.onProgress?.({type: 'phase', phase});
  let simulator: SimulatorOnThread | undefined;
  if (!options.url) {
    report('starting the embedded simulator');
    simulator = await startSimulatorOnThread({...options.simulator, host: '127.0.0.1', port: 0, grpcPort: isGrpc(options.api) ? 0 : undefined});
  }
  try {
    const target: TargetOptions = {
      api: options.api,
      url: options.url ?? (isGrpc(options.api) ? simulator!.info.grpcUrl! : simulator!.info.url),
      model: options.model ?? (simulator ? simulator.info.servedModelName : undefined),
      apiKey: options.apiKey,
      headers: options.headers,
      requestTimeoutS: options.requestTimeoutS,
      stallTimeoutS: options.stallTimeoutS,
      // The simulator's HTTP API tokenizes for gRPC runs too, so prompts have exact lengths there as well.
      tokenizeUrl: simulator?.info.url,
    };
    report('connecting');
    const {client, model, tokenize} = await createEngineClient(target);
    try {
      report('planning requests');
      const plan = planRequests(options);
      const builder = new PromptBuilder({tokenize});
      const requests: RunRequest[] = [];
      for (const planned of plan) {
        if (options.signal?.aborted) throw interrupted('Interrupted while building prompts; nothing was sent.');
        const prompt = await builder.build(planned.isl, mix32(options.seed, planned.index), planned.hashIds ? {hashIds: planned.hashIds} : undefined);
        requests.push({index: planned.index, sendAtS: planned.sendAtS, promptTokens: prompt.tokens, input: generationInput(prompt.text, planned.osl)});
      }
      const warmup = await warmupInputs(builder, options);
      const writer = options.outDir ? openRecords(options.outDir) : undefined;
      report('running');
      const records = await runRequests({
        client,
        requests,
        maxConcurrency: options.concurrency,
        closedLoop: isClosedLoop(options),
        durationS: options.durationS,
        warmup,
        signal: options.signal,
        onProgress: options.onProgress,
        onRequestDone: (record) => writer?.append(record),
      });
      writer?.close();
      const summary: BenchSummary = {
        url: target.url,
        model,
        api: options.api,
        ...(options.outDir ? {out_dir: options.outDir} : {}),
        ...summarizeRecords(records, {slo}),
      };
      if (options.outDir) writeFileAtomic(join(options.outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      if (options.signal?.aborted) {
        const kept = options.outDir ? ` Records of the ${records.length} completed requests are in ${options.outDir}.` : '';
        throw interrupted(`Interrupted after ${records.length} of ${requests.length} requests.${kept}`, options.outDir ? 'The summary there covers what completed.' : 'Pass --out DIR to keep per-request records and a summary.');
      }
      return summary;
    } finally {
      await client.close();
    }
  } finally {
    await simulator?.close();
  }
}

/** A bare --concurrency (no rate, no trace) is a closed loop; with a rate it caps an open loop. */
function isClosedLoop(options: BenchOptions): boolean {
  return options.concurrency !== undefined && !Number.isFinite(options.requestRate) && !options.trace;
}

function isGrpc(api: ApiKind): boolean {
  return api === 'kserve' || api === 'vllm-grpc';
}

function generationInput(prompt: string, osl: number): GenerationInput {
  // Exact output lengths, as vllm bench serve and Dynamo's profiler ask for: the SLA is about these lengths.
  return {prompt, maxTokens: osl, minTokens: osl, ignoreEos: true};
}

function planRequests(options: BenchOptions): PlannedRequest[] {
  if (options.trace) {
    return readTrace(options.trace, {timeScale: options.traceTimeScale, rateScale: options.traceRateScale, limit: options.numRequests, durationS: options.durationS});
  }
  const limit: RequestLimit = {n: options.numRequests, durationS: options.durationS};
  if (limit.n === undefined && limit.durationS === undefined) limit.n = 1000;
  if (isClosedLoop(options) && limit.n === undefined) {
    throw badInput('A closed-loop run (--concurrency without --request-rate) needs --num-requests.', 'Add --num-requests N, or give a --request-rate.');
  }
  const lengths = lengthSampler({isl: options.isl, osl: options.osl, rangeRatio: options.rangeRatio}, options.seed);
  const sendTimes = Number.isFinite(options.requestRate)
    ? gamma(options.requestRate, options.burstiness, limit, options.seed)
    : Array.from({length: limit.n!}, () => 0);
  return withLengths(sendTimes, lengths);
}

async function warmupInputs(builder: PromptBuilder, options: BenchOptions): Promise<GenerationInput[]> {
  const inputs: GenerationInput[] = [];
  for (let i = 0; i < options.warmupRequests; i++) {
    const prompt = await builder.build(Math.min(options.isl, 256), mix32(options.seed ^ 0x77a2, i));
    inputs.push(generationInput(prompt.text, Math.min(options.osl, 16)));
  }
  return inputs;
}

function openRecords(outDir: string): RecordWriter {
  const path = join(outDir, 'records.jsonl');
  // Appending to another run's records would mix two runs in one summary; never overwrite them either.
  if (existsSync(path)) throw badInput(`${path} already holds the records of another run.`, 'Pass a new --out directory, or move that one away.', 'E_OUT_DIR_USED');
  try {
    mkdirSync(outDir, {recursive: true});
  } catch (error) {
    throw badInput(`Cannot create ${outDir}: ${(error as NodeJS.ErrnoException).code}.`, 'Pick a writable --out directory.');
  }
  return new RecordWriter(path);
}
