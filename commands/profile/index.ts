import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {interruptSignal} from '../../src/cli/interrupt.js';
import {float} from '../../src/cli/number-flags.js';
import {simulatorFlags} from '../../src/cli/sim-flags.js';
import {renderTable} from '../../src/cli/table.js';
import {type ProfileRunResult, runProfile} from '../../src/profiler/run-profile.js';

export default class Profile extends BaseCommand {
  static override summary = 'Profile engines: measure TTFT and ITL, fit models of them, write a profile artifact.';

  static override description = `Measures time to first token across prompt lengths (one request at a time) and inter-token latency
across context length x concurrency (at steady state, prefix-cached prompts), starting from a coarse grid and adding
points where the fitted models are least certain until they reach --target-error (cross-validated) or the budget
runs out. Writes DIR/profile.json (engine facts, points, fitted models and their accuracy), DIR/raw.jsonl (every
point, appended the moment it is measured), and DIR/dynamo/ (Dynamo's planner profile format: NPZ and ConfigMap JSON).

With no --endpoint it profiles the embedded simulator, one engine per --tp value. Ctrl-C stops cleanly (exit 130)
and --resume DIR continues without repeating or losing points.`;

  static override examples = [
    {description: 'Profile the default model on the simulator into ./dynamo-plan-out', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Two parallel configs of a 70B model on simulated H100s', command: '<%= config.bin %> <%= command.id %> --model meta-llama/Llama-3.1-70B-Instruct --gpu h100_sxm --tp 4,8 --out out/70b'},
    {description: 'A deployed vLLM engine (TP 2)', command: '<%= config.bin %> <%= command.id %> --endpoint tp2=http://vllm-tp2:8000,tp=2 --max-num-seqs 256 --out out/real'},
    {description: 'Continue an interrupted sweep', command: '<%= config.bin %> <%= command.id %> --resume out/real --endpoint tp2=http://vllm-tp2:8000,tp=2'},
  ];

  static override flags = {
    out: Flags.string({description: 'Output directory.', default: 'dynamo-plan-out'}),
    resume: Flags.string({description: 'Continue the sweep in this directory (measured points are kept, not repeated).'}),
    endpoint: Flags.string({description: 'A deployed engine: [name=]URL[,tp=N][,gpus=N][,role=agg|prefill|decode]; http(s):// for the OpenAI API, grpc://host:port for vLLM gRPC (add api=kserve for KServe v2); repeatable.', multiple: true}),
    'served-model': Flags.string({description: 'Model name to request from --endpoint engines (default: what /v1/models lists; required for KServe).'}),
    model: simulatorFlags.model,
    gpu: simulatorFlags.gpu,
    tp: Flags.string({description: 'Tensor-parallel degrees to profile on the simulator, e.g. 1,2,4.', default: '1'}),
    'kv-capacity': Flags.integer({description: 'KV cache capacity in tokens, when the engine does not expose vllm:cache_config_info.', min: 1}),
    'max-model-len': Flags.integer({description: 'max_model_len, when /v1/models does not say.', min: 16}),
    'max-num-seqs': Flags.integer({description: 'The engine\'s max_num_seqs (not discoverable from vLLM; default 1024).', min: 1}),
    'max-num-batched-tokens': Flags.integer({description: 'The engine\'s max_num_batched_tokens (not discoverable from vLLM).', min: 1}),
    'target-error': float({description: 'Stop adding points once both fits\' cross-validated MAPE is at most this (percent).', default: 5, min: 0.1}),
    'max-fit-error': float({description: 'Refuse to write a profile whose fit is worse than this cross-validated MAPE (percent) unless --force.', default: 15, min: 0.1}),
    'budget-s': float({description: 'Engine time the whole sweep may take, in seconds (split across configs); no point starts once it is spent. Large models with long contexts need more.', default: 300, min: 1}),
    'max-points': Flags.integer({description: 'Most points per config.', default: 40, min: 8}),
    'decode-osl': Flags.integer({description: 'Output tokens per request in decode points.', default: 64, min: 8}),
    'concurrency-cap': Flags.integer({description: 'Most concurrent streams in a decode point (decode points otherwise go up to what the KV cache and max_num_seqs allow).', default: 1024, min: 1}),
    force: Flags.boolean({description: 'Write the profile even if a fit misses --max-fit-error; reuse an output directory.'}),
    seed: Flags.integer({description: 'Seed for prompts.', default: 0}),
  };

  async run(): Promise<ProfileRunResult> {
    const {flags} = await this.parse(Profile);
    const interrupt = interruptSignal();
    const progress = this.progress();
    try {
      const result = await runProfile({
        outDir: flags.resume ?? flags.out,
        resume: flags.resume !== undefined,
        endpoints: flags.endpoint ?? [],
        servedModel: flags['served-model'],
        model: flags.model,
        gpu: flags.gpu,
        tp: flags.tp.split(',').map((value) => Number(value.trim())),
        kvCapacity: flags['kv-capacity'],
        maxModelLen: flags['max-model-len'],
        maxNumSeqs: flags['max-num-seqs'],
        maxNumBatchedTokens: flags['max-num-batched-tokens'],
        targetErrorPct: flags['target-error'],
        maxFitErrorPct: flags['max-fit-error'],
        budgetS: flags['budget-s'],
        maxPoints: flags['max-points'],
        decodeOsl: flags['decode-osl'],
        concurrencyCap: flags['concurrency-cap'],
        force: flags.force,
        seed: flags.seed,
        signal: interrupt.signal,
        onProgress: (event) => {
          if (event.type === 'phase') progress.update(`${event.config}: ${event.phase}...`);
          else if (event.type === 'point') progress.update(`${event.config}: ${event.phase} point ${event.index + 1}/${event.total} ${event.key}${event.etaS === undefined ? '' : `, ~${Math.ceil(event.etaS)}s left`}`);
          else progress.update(`${event.config}: ${event.points} points, CV error prefill ${pct(event.prefillCvMape)} decode ${pct(event.decodeCvMape)}, ${event.engineTimeS.toFixed(0)}s of engine time`);
        },
      });
      progress.done();
      if (!this.jsonEnabled()) this.log(render(result));
      return result;
    } finally {
      progress.done();
      interrupt.dispose();
    }
  }
}

function pct(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)}%`;
}

function render(result: ProfileRunResult): string {
  const rows = result.configs.flatMap((config) => [
    [config.config, 'TTFT(isl)', String(config.points.prefill), config.prefill?.form ?? '-', pct(config.prefill?.cvMapePct ?? null), pct(config.prefill?.maxErrorPct ?? null)],
    [config.config, 'ITL(n, ctx)', String(config.points.decode), config.decode?.form ?? '-', pct(config.decode?.cvMapePct ?? null), pct(config.decode?.maxErrorPct ?? null)],
  ]);
  const lines = [renderTable(['config', 'model', 'points', 'form', 'CV error', 'CV max error'], rows), ''];
  for (const config of result.configs) {
    lines.push(`${config.config}: ${config.targetReached ? 'reached' : 'did not reach'} the ${config.targetErrorPct}% target in ${config.engineTimeS.toFixed(0)} s of engine time; files in ${config.dir}`);
    for (const note of config.notes) lines.push(`  note: ${note}`);
  }
  return lines.join('\n');
}
