import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {interruptSignal} from '../src/cli/interrupt.js';
import {renderValidatedSizing} from '../src/cli/render-sizing.js';
import {sizingFlags, sizingInputFromFlags} from '../src/cli/sizing-flags.js';
import type {ManifestApiVersion} from '../src/manifest/index.js';
import {type PlanResult, runPlan} from '../src/plan/run-plan.js';
import Dgdr from './dgdr.js';
import Profile from './profile/index.js';

/** The load sized for when none is given: enough to need several engines of the default model. */
const DEFAULT_REQUEST_RATE = 10;

export default class Plan extends BaseCommand {
  static override summary = 'The whole job: profile the engines, size a deployment for your SLA, check it by simulation, write the DGDR.';

  static override description = `Runs \`profile\` (the embedded simulator by default, or --endpoint URLs), then \`size --validate\` on the profiles
it measured, then \`dgdr\`, and prints the answer: which configuration, how many replicas and GPUs meet the TTFT and
ITL targets at the percentile for your load, what the simulation achieved with that deployment, and where the files
are. Everything lands in --out: profile.json, raw.jsonl, report.html and dynamo/ (as \`profile\` writes them),
sizing.json (as \`size --json\`) and dgdr.yaml (as \`dgdr\`).

A profile already in --out is reused, so changing the SLA or the load and running again takes seconds; --force
profiles again. Defaults: Dynamo's documented SLA example (ISL 3000, OSL 150, TTFT 200 ms, ITL 20 ms at p90) at
${DEFAULT_REQUEST_RATE} requests per second.`;

  static override examples = [
    {description: 'Profile the default model on the simulator and size it for the default SLA at 10 req/s', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Your SLA and load; then again with a tighter ITL (reuses the profile)', command: '<%= config.bin %> <%= command.id %> --request-rate 40 --ttft 300 --itl 25 && <%= config.bin %> <%= command.id %> --request-rate 40 --ttft 300 --itl 15'},
    {description: 'Two tensor-parallel configs of a 70B model on simulated H100s, with the runtime planner in the DGDR', command: '<%= config.bin %> <%= command.id %> --model meta-llama/Llama-3.1-70B-Instruct --gpu h100_sxm --tp 4,8 --request-rate 5 --ttft 1000 --itl 40 --planner --out out/70b'},
  ];

  static override flags = {
    out: Profile.flags.out,
    endpoint: Profile.flags.endpoint,
    model: Profile.flags.model,
    gpu: Profile.flags.gpu,
    tp: Profile.flags.tp,
    'budget-s': Profile.flags['budget-s'],
    force: Flags.boolean({description: 'Profile again even if --out already holds a profile.'}),
    seed: Profile.flags.seed,
    ttft: sizingFlags.ttft,
    itl: sizingFlags.itl,
    e2e: sizingFlags.e2e,
    percentile: sizingFlags.percentile,
    isl: sizingFlags.isl,
    osl: sizingFlags.osl,
    'request-rate': {...sizingFlags['request-rate'], description: `Offered load in requests per second, Poisson arrivals (default ${DEFAULT_REQUEST_RATE} unless --concurrency or --trace).`},
    concurrency: sizingFlags.concurrency,
    trace: sizingFlags.trace,
    'max-gpus': sizingFlags['max-gpus'],
    'gpus-per-node': sizingFlags['gpus-per-node'],
    'min-replicas': sizingFlags['min-replicas'],
    mode: sizingFlags.mode,
    validate: Flags.boolean({description: 'Check the sizing by simulating the deployment in virtual time.', default: true, allowNo: true}),
    name: Dgdr.flags.name,
    namespace: Dgdr.flags.namespace,
    image: Dgdr.flags.image,
    planner: Dgdr.flags.planner,
    'api-version': Dgdr.flags['api-version'],
  };

  async run(): Promise<PlanResult> {
    const {flags} = await this.parse(Plan);
    const interrupt = interruptSignal();
    const progress = this.progress();
    const noLoad = flags['request-rate'] === undefined && flags.concurrency === undefined && flags.trace === undefined;
    try {
      const result = await runPlan({
        profile: {
          outDir: flags.out,
          endpoints: flags.endpoint ?? [],
          model: flags.model,
          gpu: flags.gpu,
          tp: flags.tp.split(',').map((value) => Number(value.trim())),
          targetErrorPct: Profile.flags['target-error'].default as number,
          maxFitErrorPct: Profile.flags['max-fit-error'].default as number,
          budgetS: flags['budget-s'],
          maxPoints: Profile.flags['max-points'].default as number,
          decodeOsl: Profile.flags['decode-osl'].default as number,
          concurrencyCap: Profile.flags['concurrency-cap'].default as number,
          resume: false,
          force: flags.force,
          seed: flags.seed,
          signal: interrupt.signal,
          onProgress: (event) => {
            if (event.type === 'phase') progress.update(`profiling ${event.config}: ${event.phase}...`);
            else if (event.type === 'point') progress.update(`profiling ${event.config}: ${event.phase} point ${event.index + 1}/${event.total}${event.etaS === undefined ? '' : `, ~${Math.ceil(event.etaS)}s left`}`);
          },
        },
        sizingInput: (dirs) => sizingInputFromFlags({...flags, profile: dirs, model: undefined, method: 'dynamo-plan', 'request-rate': noLoad ? DEFAULT_REQUEST_RATE : flags['request-rate']}),
        manifest: {name: flags.name, namespace: flags.namespace, image: flags.image, planner: flags.planner, maxGpuBudget: flags['max-gpus'], minEndpoint: flags['min-replicas'], gpusPerNode: flags['gpus-per-node'], apiVersion: flags['api-version'] as ManifestApiVersion},
        validate: flags.validate,
        onPhase: (phase) => {
          if (phase !== 'profiling') progress.update(`${phase}...`);
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

function render(result: PlanResult): string {
  const {sizing, files, profiles} = result;
  const lines = [
    profiles.reused ? `Reused the profile in ${profiles.dirs.join(', ')} (pass --force to profile again).` : `Profiled ${profiles.dirs.length} engine config(s) into ${profiles.dirs.join(', ')}.`,
    '',
    renderValidatedSizing(sizing),
    '',
    `Files: ${files.dgdr} (kubectl apply -f it), ${files.sizing}, ${files.reports.join(', ')} (open in a browser).`,
  ];
  return lines.join('\n');
}
