import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {float} from '../src/cli/number-flags.js';
import {loadProfile} from '../src/profile/artifact.js';
import {type EngineProfileResult, refitProfile} from '../src/profiler/profile-engine.js';

export default class Fit extends BaseCommand {
  static override summary = 'Refit a profile from its measured points (DIR/raw.jsonl) without touching any engine.';

  static override examples = ['<%= config.bin %> <%= command.id %> dynamo-plan-out', '<%= config.bin %> <%= command.id %> out/70b/h100_sxm-tp4 --max-fit-error 10'];

  static override args = {dir: Args.string({description: 'A profile directory (profile.json and raw.jsonl).', required: true})};

  static override flags = {
    config: Flags.string({description: 'Which engine configuration in raw.jsonl (default: the first).'}),
    'max-fit-error': float({description: 'Refuse a fit whose cross-validated MAPE exceeds this (percent) unless --force.', default: 15, min: 0.1}),
    'target-error': float({description: 'The accuracy target reported against (percent).', default: 5, min: 0.1}),
    force: Flags.boolean({description: 'Write the profile even if a fit misses --max-fit-error.'}),
  };

  async run(): Promise<EngineProfileResult> {
    const {args, flags} = await this.parse(Fit);
    const engine = loadProfile(args.dir).engine;
    const result = refitProfile({dir: args.dir, config: flags.config, engine, targetErrorPct: flags['target-error'], maxFitErrorPct: flags['max-fit-error'], force: flags.force});
    if (!this.jsonEnabled()) {
      for (const [name, fit] of [['TTFT(isl)', result.prefill], ['ITL(n, ctx)', result.decode]] as const) {
        this.log(fit ? `${name}: ${fit.form}, CV error ${fit.cvMapePct.toFixed(1)}%, CV max ${fit.maxErrorPct.toFixed(1)}%, R^2 ${fit.r2.toFixed(4)}` : `${name}: not enough points`);
      }
      this.log(`Wrote ${result.files.join(', ')}`);
    }
    return result;
  }
}
