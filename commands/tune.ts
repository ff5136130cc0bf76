import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {allowLiveRendering} from '../src/cli/live-terminal.js';
import {renderSizing} from '../src/cli/render-sizing.js';
import {sizingFlags, sizingInputFromFlags} from '../src/cli/sizing-flags.js';
import {sizeDeployment, type SizingResult} from '../src/sizing/index.js';

export default class Tune extends BaseCommand {
  static override summary = 'Tune an SLA interactively: edit targets and workload, watch the deployment and its cost follow.';

  static override description = `Opens a terminal screen with the inputs of \`dynamo-plan size\` as editable fields (TTFT, ITL, percentile, ISL, OSL,
request rate, max GPUs, mode) and re-sizes on every keystroke: the chosen prefill/decode (or aggregated) configs,
replicas and GPUs, throughput per GPU, predicted TTFT/ITL against the targets with their headroom, the binding
constraint, and the other mode for comparison. Below, the frontier: throughput per GPU across a sweep of the focused
latency target (each point a sizing), the current operating point marked @, so you see what a looser target buys.

Keys: up/down move between fields; left/right or +/- step a value (about 10%, round values); digits then Enter type
one (Esc cancels; 0 as max GPUs removes the budget); s saves the DGDR (as \`dynamo-plan dgdr\` would write it) and j the
sizing JSON (as \`size --json\`) into --out-dir; r resets to the flags' values; q or Ctrl-C quits. An SLA no config
meets shows as INFEASIBLE with the best achievable latencies and what to relax.

Without a terminal (stdout not a TTY, or --json) it prints the sizing once, as \`size\` does, and exits.`;

  static override examples = [
    {description: 'Tune around 10 req/s on the shipped reference profile', command: '<%= config.bin %> <%= command.id %> --request-rate 10'},
    {description: 'Your profiles, a GPU budget, saving into deploy/', command: '<%= config.bin %> <%= command.id %> --profile out/70b-tp4 --profile out/70b-tp8 --request-rate 20 --max-gpus 32 --out-dir deploy'},
  ];

  static override flags = {
    ...sizingFlags,
    'out-dir': Flags.string({description: 'Directory `s` (DGDR) and `j` (sizing JSON) write to (default: the current directory).', default: '.', helpGroup: 'OUTPUT'}),
  };

  async run(): Promise<SizingResult | void> {
    const {flags} = await this.parse(Tune);
    const input = sizingInputFromFlags(flags);
    if (this.jsonEnabled() || !process.stdout.isTTY || !process.stdin.isTTY) {
      const result = sizeDeployment(input);
      if (!this.jsonEnabled()) this.log(renderSizing(result));
      this.logToStderr('tune is interactive: run it in a terminal to edit the SLA live; printed the sizing once.');
      return result;
    }
    // ink and react load only for the screen itself.
    allowLiveRendering();
    const {runTune} = await import('../src/tui/run-tune.js');
    await runTune(input, {outDir: flags['out-dir'], gpusPerNode: flags['gpus-per-node']});
  }
}
