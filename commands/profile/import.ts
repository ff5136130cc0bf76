import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {type DynamoImportResult, importDynamoProfile} from '../../src/profile/import-dynamo.js';
import type {ValueRange} from '../../src/profile/summary.js';

export default class ProfileImport extends BaseCommand {
  static override summary = 'Import a Dynamo SLA-profiler result as a dynamo-plan profile.';

  static override description = `Reads the interpolation data Dynamo's SLA profiler measured on the selected prefill and decode engines, in
either form: the profiler's selected_prefill_interpolation/raw_data.npz and selected_decode_interpolation/raw_data.npz,
or the planner ConfigMap's prefill_raw_data.json and decode_raw_data.json. SOURCE may be the profiler's output
directory (the NPZs are preferred when both forms are there) or the files themselves.

Writes DIR/profile.json: prefill points (ISL, TTFT) and decode points (concurrency, context, ITL), with concurrency
recovered as x_kv_usage * max_kv_tokens / y_context_length. Dynamo's files do not name the model, the GPU or the
parallelism: give them with the flags, or they are recorded as unknown (null). GPUs per engine is recovered from the
prefill throughput when not given.`;

  static override examples = [
    {description: 'Import a profiler output directory', command: '<%= config.bin %> <%= command.id %> profiling_results --out profiles/llama8b-h200 --model nvidia/Llama-3.1-8B-Instruct-FP8 --gpu h200_sxm --tp 1'},
    {description: 'Import the two files of the planner ConfigMap', command: '<%= config.bin %> <%= command.id %> prefill_raw_data.json decode_raw_data.json --out profiles/from-configmap'},
  ];

  static override strict = false;

  static override args = {
    source: Args.string({description: 'Dynamo profiler output directory, or its raw_data.npz / *_raw_data.json files (several may be given).', required: true}),
  };

  static override flags = {
    out: Flags.string({description: 'Profile directory to write profile.json into (created if missing).', required: true}),
    force: Flags.boolean({description: 'Replace an existing profile.json in --out.'}),
    model: Flags.string({description: 'Model the profile was measured with (Hugging Face id).'}),
    gpu: Flags.string({description: 'Accelerator SKU (DGDR hardware.gpuSku), e.g. h200_sxm.'}),
    tp: Flags.integer({description: 'Tensor-parallel degree of the profiled engines.', min: 1}),
    'gpus-per-engine': Flags.integer({description: 'GPUs per engine (default: recovered from the prefill throughput per GPU).', min: 1}),
  };

  async run(): Promise<DynamoImportResult> {
    const {argv, flags} = await this.parse(ProfileImport);
    const result = importDynamoProfile({
      sources: argv as string[],
      outDir: flags.out,
      force: flags.force,
      model: flags.model,
      accelerator: flags.gpu,
      tp: flags.tp,
      gpusPerEngine: flags['gpus-per-engine'],
    });
    if (!this.jsonEnabled()) this.render(result);
    return result;
  }

  private render(result: DynamoImportResult): void {
    const range = (values: ValueRange | null, unit = '') => (values ? `${values.min}-${values.max}${unit}` : 'none');
    const {engine} = result;
    this.log(`Wrote ${result.profile}`);
    for (const file of result.files) this.log(`  from ${file}`);
    this.log(`  prefill: ${result.prefill.points} points, ISL ${range(result.prefill.isl, ' tokens')}`);
    this.log(`  decode:  ${result.decode.points} points, context ${range(result.decode.context, ' tokens')}, concurrency ${range(result.decode.concurrency)}`);
    this.log(`  max_kv_tokens ${engine.kvCapacityTokens ?? 'unknown'}, GPUs per engine ${engine.gpusPerEngine ?? 'unknown'}`);
    if (result.unknownEngineFields.length > 0) this.log(`  unknown (not in Dynamo's files): ${result.unknownEngineFields.join(', ')}`);
  }
}
