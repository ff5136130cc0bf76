import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {type Prediction, predictFromProfile} from '../../src/profile/predict.js';

export default class ProfilePredict extends BaseCommand {
  static override summary = 'Ask a profile: TTFT at an ISL, ITL at a batch size and context, and the throughput per GPU there.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> dynamo-plan-out --isl 4096',
    '<%= config.bin %> <%= command.id %> dynamo-plan-out --isl 4096 --concurrency 64 --context 4160 --json',
  ];

  static override args = {dir: Args.string({description: 'A profile directory (holding profile.json).', required: true})};

  static override flags = {
    isl: Flags.integer({description: 'Prompt length in tokens: predicts TTFT and prefill tokens/s/GPU.', min: 1}),
    concurrency: Flags.integer({description: 'Sequences decoding together: with --context, predicts ITL and decode tokens/s/GPU.', min: 1}),
    context: Flags.integer({description: 'Tokens of context per decoding sequence (ISL + OSL/2 on average).', min: 1}),
  };

  async run(): Promise<Prediction> {
    const {args, flags} = await this.parse(ProfilePredict);
    const prediction = predictFromProfile(args.dir, {isl: flags.isl, concurrency: flags.concurrency, context: flags.context});
    if (!this.jsonEnabled()) {
      this.log(`${prediction.model ?? 'unknown model'} on ${prediction.accelerator ?? 'unknown GPU'} (${prediction.gpus_per_engine} GPU per engine)`);
      if (prediction.ttft_ms !== undefined) this.log(`  ISL ${prediction.isl}: TTFT ${prediction.ttft_ms.toFixed(1)} ms, prefill ${prediction.prefill_tokens_per_s_per_gpu!.toFixed(0)} tokens/s/GPU`);
      if (prediction.itl_ms !== undefined) this.log(`  ${prediction.concurrency} sequences at context ${prediction.context}: ITL ${prediction.itl_ms.toFixed(2)} ms, decode ${prediction.decode_tokens_per_s_per_gpu!.toFixed(0)} tokens/s/GPU`);
      for (const warning of prediction.warnings) this.warn(warning);
    }
    return prediction;
  }
}
