import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {type PlannerStepResult, runPlannerStep} from '../../src/planner/step.js';

export default class PlannerStep extends BaseCommand {
  static override summary = 'Decide one planner tick: replicas to scale to, the reasons, and what the decision rested on.';

  static override description = `Runs the runtime planner's decision core once on a tick read from --input (schemas/planner-tick.schema.json,
modelled on Dynamo's TickInput: traffic of the last interval, worker counts, capabilities, per-engine queue and KV
observations; every field but now_s may be absent). The configuration (YAML or JSON, schemas/planner-config.schema.json)
uses Dynamo's PlannerConfig field names and defaults.

With --state FILE the planner's memory (cadence, predictors, throughput floor, step-time regressions, hold timers) is
read from FILE when it exists and written back atomically after the decision, so successive calls behave like one
running planner; --no-save-state reads without writing. Without --state every call starts fresh, and a fresh state
runs every enabled loop at once.`;

  static override examples = [
    {description: 'One decision for a tick, static thresholds (target throughput)', command: '<%= config.bin %> <%= command.id %> --config planner.yaml --input tick.json'},
    {description: 'SLA target with engine capacity from a profile, carrying state between calls', command: '<%= config.bin %> <%= command.id %> --config sla.yaml --input tick-0600.json --state planner-state.json --profile profiles/llama8b-h200 --json'},
  ];

  static override flags = {
    config: Flags.string({description: 'Planner configuration, YAML or JSON.', required: true}),
    input: Flags.string({description: 'The tick to decide, JSON (or YAML).', required: true}),
    state: Flags.string({description: 'Planner state file: read if it exists, written back after the decision.'}),
    'save-state': Flags.boolean({description: 'Write the updated state back to --state (--no-save-state to only read it).', default: true, allowNo: true}),
    profile: Flags.string({description: 'Profile directory giving per-engine capacity for throughput scaling; repeatable (default: the config\'s profile_results_dir).', multiple: true}),
  };

  async run(): Promise<PlannerStepResult> {
    const {flags} = await this.parse(PlannerStep);
    const result = runPlannerStep({configPath: flags.config, inputPath: flags.input, statePath: flags.state, saveState: flags['save-state'], profileDirs: flags.profile ?? []});
    if (!this.jsonEnabled()) {
      const show = (value: number | null) => (value === null ? 'no change' : String(value));
      this.log(`prefill: ${show(result.scale_to.prefill)}, decode: ${show(result.scale_to.decode)}`);
      this.log(`reasons: load ${result.reasons.load}, throughput ${result.reasons.throughput}`);
      for (const note of result.diagnostics.notes) this.log(`  note: ${note}`);
    }
    return result;
  }
}
