import {badInput, DynamoPlanError} from '../errors/errors.js';
import {startModuleWorker} from '../util/module-worker.js';
import {type DeploymentPresetName, type EfficiencyParameters, createStepCostModel, type EngineSpec, type KvCacheDtypeOption, resolveEngineSpec} from './cost/index.js';
import {engineSchedulerConfig} from './engine/scheduler-config.js';
import {SimEngine} from './engine/sim-engine.js';
import type {ServingEngine} from './engine/serving-engine.js';
import {ThreadedEngine} from './engine/threaded-engine.js';
import {FaultPlanner, type FaultOptions, noFaults} from './server/faults.js';
import {type GrpcFront, startGrpcFront} from './server/grpc-server.js';
import {type HttpFront, startHttpFront} from './server/http-server.js';
import {EngineMetrics} from './server/metrics.js';
import type {Clock, EngineRole} from './types.js';

export interface SimulatorOptions {
  model?: string;
  gpu?: string;
  tp?: number;
  role?: EngineRole;
  servedModelName?: string;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  maxModelLen?: number;
  gpuMemoryUtilization?: number;
  kvCacheDtype?: KvCacheDtypeOption;
  enablePrefixCaching?: boolean;
  deployment?: string;
  /** Overrides of the accelerator's efficiency parameters (e.g. a slower prefill), for what-if runs and tests. */
  efficiency?: Partial<EfficiencyParameters>;
  catalogFile?: string;
  seed?: number;
  meanOutputTokens?: number;
  faults?: Partial<FaultOptions>;
  host?: string;
  port?: number;
  /** Also serve KServe v2 and vLLM gRPC on this port (0 picks one); undefined serves HTTP only. */
  grpcPort?: number;
  /**
   * Run the engine on this clock in the HTTP thread (benchmarks compare against it). By default the engine runs on
   * its own thread with a real-time clock, so HTTP work cannot delay its steps.
   */
  inProcessClock?: Clock;
  /**
   * Told when the HTTP front has written a request's first token to its socket, with the prompt's token ids and the
   * absolute time in seconds (performance.timeOrigin-based): lets benchmarks check a client's TTFT against the server.
   */
  onFirstTokenWritten?: (promptTokenIds: readonly number[], timeS: number) => void;
}

export interface SimulatorInfo {
  url: string;
  /** host:port of the gRPC server, when one was asked for. */
  grpcUrl?: string;
  servedModelName: string;
  model: string;
  gpu: string;
  tp: number;
  role: EngineRole;
  deployment: string;
  maxModelLen: number;
  kvCapacityTokens: number;
  numGpuBlocks: number;
  blockSize: number;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  enablePrefixCaching: boolean;
}

export interface Simulator {
  url: string;
  info: SimulatorInfo;
  spec: EngineSpec;
  engine: ServingEngine;
  http: HttpFront;
  grpc?: GrpcFront;
  close(): Promise<void>;
}

export const DEFAULT_MODEL = 'nvidia/Llama-3.1-8B-Instruct-FP8';
export const DEFAULT_GPU = 'h200_sxm';

/** Resolve an engine from the catalogs, start its scheduler on a real-time clock, and serve it over HTTP. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const spec = resolveEngineSpec({
    model: options.model ?? DEFAULT_MODEL,
    gpu: options.gpu ?? DEFAULT_GPU,
    tp: options.tp ?? 1,
    gpuMemoryUtilization: options.gpuMemoryUtilization,
    kvCacheDtype: options.kvCacheDtype,
    maxModelLen: options.maxModelLen,
    catalogFile: options.catalogFile,
    deployment: {preset: options.deployment as DeploymentPresetName | undefined, ...options.efficiency},
  });
  const role = options.role ?? 'agg';
  const config = engineSchedulerConfig(spec, role, options);
  const {maxNumSeqs, maxNumBatchedTokens, enablePrefixCaching} = config;
  const engine: ServingEngine = options.inProcessClock
    ? new SimEngine(config, createStepCostModel(spec), options.inProcessClock)
    : await ThreadedEngine.start({config, spec});
  const servedModelName = options.servedModelName ?? spec.model.id;
  const metrics = new EngineMetrics({
    modelName: servedModelName,
    maxModelLen: spec.maxModelLen,
    cache: {blockSize: spec.blockSize, numGpuBlocks: spec.numGpuBlocks, cacheDtype: spec.kvCacheDtype, enablePrefixCaching, gpuMemoryUtilization: spec.gpuMemoryUtilization},
    source: engine.gauges,
  });
  engine.onStep((step) => metrics.observeStep(step.scheduledTokens));
  const faults = {...noFaults, ...options.faults};
  const seed = options.seed ?? 0;
  const generation = {
    engine,
    metrics,
    faults: new FaultPlanner(faults, seed),
    role,
    maxModelLen: spec.maxModelLen,
    blockSize: spec.blockSize,
    enablePrefixCaching,
    requestOverheadS: spec.requestOverheadSeconds,
    meanNaturalOutputTokens: options.meanOutputTokens ?? 256,
    seed,
    stallMs: faults.stallMs,
    onFirstTokenWritten: options.onFirstTokenWritten,
  };
  let http: HttpFront;
  try {
    http = await startHttpFront({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8000,
      servedModelName,
      modelId: spec.model.id,
      maxModelLen: spec.maxModelLen,
      vocabSize: spec.model.vocab,
      startupDelayS: faults.startupDelayS,
      generation,
    });
  } catch (error) {
    await engine.close();
    throw listenError(error, options);
  }
  let grpc: GrpcFront | undefined;
  try {
    // Both fronts drive one engine, metrics and fault plan, so /metrics counts gRPC requests too.
    if (options.grpcPort !== undefined) {
      grpc = await startGrpcFront({
        host: options.host ?? '127.0.0.1',
        port: options.grpcPort,
        servedModelName,
        modelId: spec.model.id,
        maxModelLen: spec.maxModelLen,
        vocabSize: spec.model.vocab,
        ready: http.ready,
        generation,
      });
    }
  } catch (error) {
    await http.close();
    await engine.close();
    throw error;
  }
  const info: SimulatorInfo = {
    url: http.url,
    ...(grpc ? {grpcUrl: grpc.url} : {}),
    servedModelName,
    model: spec.model.id,
    gpu: spec.accelerator.sku,
    tp: spec.tp,
    role,
    deployment: spec.deployment,
    maxModelLen: spec.maxModelLen,
    kvCapacityTokens: spec.kvCapacityTokens,
    numGpuBlocks: spec.numGpuBlocks,
    blockSize: spec.blockSize,
    maxNumSeqs,
    maxNumBatchedTokens,
    enablePrefixCaching,
  };
  return {
    url: http.url,
    info,
    spec,
    engine,
    http,
    grpc,
    async close() {
      await grpc?.close();
      await http.close();
      await engine.close();
    },
  };
}

function listenError(error: unknown, options: SimulatorOptions): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 8000}`;
  if (code === 'EADDRINUSE') return badInput(`Port ${where} is already in use.`, 'Stop what is using it, or pass --port 0 to pick a free port.', 'E_PORT_IN_USE');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return badInput(`Cannot listen on ${where}: no such local address.`, 'Use --host 127.0.0.1, 0.0.0.0 or an address of this machine.', 'E_BAD_HOST');
  if (code === 'EACCES') return badInput(`Not allowed to listen on ${where}.`, 'Ports below 1024 need privileges; pick a higher --port.', 'E_PORT_FORBIDDEN');
  return error;
}

/** A simulator on its own worker thread (simulator-thread.ts): what a load generator in this process talks to. */
export interface SimulatorOnThread {
  info: SimulatorInfo;
  close(): Promise<void>;
}

export async function startSimulatorOnThread(options: Omit<SimulatorOptions, 'inProcessClock' | 'onFirstTokenWritten'>): Promise<SimulatorOnThread> {
  const worker = startModuleWorker(import.meta.url, 'simulator-thread', options);
  type Reply = {type: 'ready'; info: SimulatorInfo} | {type: 'failed'; error: {message: string; options?: DynamoPlanError['options']}} | {type: 'closed'};
  const info = await new Promise<SimulatorInfo>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: Reply) => {
      if (reply.type === 'ready') resolve(reply.info);
      else if (reply.type === 'failed') {
        void worker.terminate();
        // Errors cross threads as plain data; rebuild ours so exit codes and hints survive.
        reject(reply.error.options ? new DynamoPlanError(reply.error.message, reply.error.options) : new Error(reply.error.message));
      }
    });
  });
  return {
    info,
    async close() {
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage({type: 'close'});
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
    },
  };
}
