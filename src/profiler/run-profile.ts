// `dynamo-plan profile`: profile each engine configuration asked for, real endpoints or simulators started here.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {createEngineClient} from '../engine/create-client.js';
import {badInput} from '../errors/errors.js';
import {PromptBuilder} from '../loadgen/prompts.js';
import type {EngineFacts} from '../profile/artifact.js';
import {type SimulatorOptions, startSimulatorOnThread} from '../sim/simulator.js';
import type {EngineLimits} from './adaptive-plan.js';
import {type EndpointSpec, parseEndpoint} from './endpoint-spec.js';
import {BatchCapProbe} from './batch-cap-probe.js';
import {discoverEngineFacts} from './engine-facts.js';
import {type EngineProfileResult, profileEngine, type ProfileProgress} from './profile-engine.js';
import {RAW_POINTS_FILE} from './raw-point-log.js';

export interface ProfileRunOptions {
  outDir: string;
  /** Deployed engines; none: start a simulator per --tp. */
  endpoints: string[];
  model: string;
  /** The model name a deployed engine serves, when it cannot be discovered (KServe gRPC). */
  servedModel?: string;
  gpu: string;
  tp: number[];
  /** Efficiency overrides for simulated engines (what-if runs, tests). */
  simulatorEfficiency?: SimulatorOptions['efficiency'];
  /** Engine facts that cannot be discovered, from flags. */
  kvCapacity?: number;
  maxModelLen?: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  targetErrorPct: number;
  maxFitErrorPct: number;
  budgetS: number;
  maxPoints: number;
  decodeOsl: number;
  concurrencyCap: number;
  resume: boolean;
  force: boolean;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (event: ProfileProgress | {type: 'phase'; config: string; phase: string}) => void;
}

export interface ProfileRunResult {
  outDir: string;
  configs: EngineProfileResult[];
}

// vLLM V1's default max_num_seqs (OpenAI server, GPUs with >= 70 GiB), when the engine cannot tell us.
const DEFAULT_MAX_NUM_SEQS = 1024;

export async function runProfile(options: ProfileRunOptions): Promise<ProfileRunResult> {
  const endpoints = options.endpoints.map(parseEndpoint);
  const count = endpoints.length > 0 ? endpoints.length : options.tp.length;
  const configs: EngineProfileResult[] = [];
  const budgetS = options.budgetS / count;
  for (let i = 0; i < count; i++) {
    const endpoint = endpoints[i];
    const tp = endpoint ? endpoint.tp : options.tp[i]!;
    const config = endpoint ? endpoint.name : `${options.gpu}-tp${tp}`;
    const dir = count === 1 ? options.outDir : join(options.outDir, config);
    checkOutDir(dir, options);
    configs.push(await profileConfig({...options, budgetS}, config, dir, endpoint, tp));
  }
  return {outDir: options.outDir, configs};
}

function checkOutDir(dir: string, options: ProfileRunOptions): void {
  const raw = join(dir, RAW_POINTS_FILE);
  if (existsSync(raw) && !options.resume && !options.force) {
    throw badInput(`${dir} already holds a sweep (${RAW_POINTS_FILE}).`, 'Pass --resume to continue it, or a new --out directory.', 'E_OUT_DIR_USED');
  }
}

async function profileConfig(options: ProfileRunOptions, config: string, dir: string, endpoint: EndpointSpec | undefined, tp: number | null): Promise<EngineProfileResult> {
  const report = (phase: string) => options.onProgress?.({type: 'phase', config, phase});
  report(endpoint ? `connecting to ${endpoint.url}` : `starting a simulated ${options.model} on ${options.gpu} x${tp}`);
  const simulator = endpoint
    ? undefined
    : await startSimulatorOnThread({model: options.model, gpu: options.gpu, tp: tp ?? 1, port: 0, maxNumSeqs: options.maxNumSeqs, maxNumBatchedTokens: options.maxNumBatchedTokens, seed: options.seed, efficiency: options.simulatorEfficiency});
  try {
    const url = endpoint?.url ?? simulator!.info.url;
    const api = endpoint?.api ?? 'completions';
    const {client, model, tokenize} = await createEngineClient({api, url, model: endpoint ? options.servedModel : simulator!.info.servedModelName, requestTimeoutS: 600, stallTimeoutS: 120});
    try {
      // gRPC engines expose neither /v1/models nor /metrics here: their facts come from flags.
      const discovered = api === 'completions' ? await discoverEngineFacts(url) : {};
      const kvCapacityTokens = options.kvCapacity ?? discovered.kvCapacityTokens;
      const maxModelLen = options.maxModelLen ?? discovered.maxModelLen;
      if (!kvCapacityTokens || !maxModelLen) {
        throw badInput(`${url} does not expose its ${kvCapacityTokens ? 'max_model_len' : 'KV cache capacity'}.`, 'Pass --kv-capacity TOKENS and --max-model-len TOKENS.', 'E_ENGINE_FACTS');
      }
      const maxNumSeqs = options.maxNumSeqs ?? simulator?.info.maxNumSeqs ?? null;
      const notes: string[] = [];
      const gpusPerEngine = endpoint?.gpus ?? tp ?? 1;
      if (endpoint && endpoint.gpus === null && tp === null) notes.push('GPUs per engine not given; per-GPU throughput assumes 1 (add ,gpus=N or ,tp=N to --endpoint).');
      if (maxNumSeqs === null) notes.push(`max_num_seqs is not exposed by the engine; decode points were planned up to vLLM's default ${DEFAULT_MAX_NUM_SEQS} (pass --max-num-seqs).`);
      const maxNumBatchedTokens = options.maxNumBatchedTokens ?? simulator?.info.maxNumBatchedTokens ?? null;
      const engine: EngineFacts = {
        model: simulator ? simulator.info.model : model,
        backend: 'vllm',
        backendVersion: simulator ? 'dynamo-plan-sim' : null,
        accelerator: simulator ? simulator.info.gpu : null,
        tp,
        pp: 1,
        dp: 1,
        gpusPerEngine,
        role: endpoint?.role ?? 'agg',
        maxNumSeqs,
        maxNumBatchedTokens,
        kvCapacityTokens,
        maxModelLen,
      };
      const limits: EngineLimits = {
        maxModelLen,
        kvCapacityTokens,
        maxNumSeqs: maxNumSeqs ?? DEFAULT_MAX_NUM_SEQS,
        decodeOsl: options.decodeOsl,
        concurrencyCap: options.concurrencyCap,
      };
      report('sweeping');
      // An engine that does not say its max_num_seqs shows it by queueing requests beyond it.
      const probe = maxNumSeqs === null && api === 'completions' ? new BatchCapProbe(url) : undefined;
      try {
        return await profileEngine({
        dir,
        config,
        client,
        builder: new PromptBuilder({tokenize}),
        engine,
        limits,
        targetErrorPct: options.targetErrorPct,
        maxFitErrorPct: options.maxFitErrorPct,
        force: options.force,
        maxPoints: options.maxPoints,
        budgetS: options.budgetS,
        seed: options.seed,
        notes,
        inferMaxNumSeqs: probe ? () => probe.inferredMaxNumSeqs : undefined,
        signal: options.signal,
        onProgress: options.onProgress,
        });
      } finally {
        await probe?.close();
      }
    } finally {
      await client.close();
    }
  } finally {
    await simulator?.close();
  }
}
