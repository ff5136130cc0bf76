import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {renderValidatedSizing} from '../src/cli/render-sizing.js';
import {sizingFlags, sizingInputFromFlags} from '../src/cli/sizing-flags.js';
import {runSize, type ValidatedSizing} from '../src/sizing/validate.js';

export default class Size extends BaseCommand {
  static override summary = 'Size a deployment for a latency SLA: which config per role, how many replicas and GPUs.';

  static override description = `Reads engine profiles (made by \`dynamo-plan profile\` or imported from Dynamo) and sizes a deployment that meets
a TTFT and ITL target at a percentile for your workload, disaggregated (separate prefill and decode engines) or
aggregated, and says which needs fewer GPUs and by how much.

How: prefill engines behind the least-loaded router are one FIFO M/G/c queue whose service time is the fitted TTFT at
each prompt length (plus the first decode step when disaggregated); they carry the largest request rate whose TTFT at
the percentile meets the target. A decode engine's batch is the Poisson
population of Little's law; its capacity is the largest rate whose ITL at the percentile (over generated tokens) meets
the target within the KV cache and max_num_seqs. Aggregated engines share each step between decode and prompt chunks
under max_num_batched_tokens. Replicas = the fewest engines whose pool carries the demand; the configs needing the fewest GPUs win.
--validate checks the answer by simulating the deployment, engine by engine, in virtual time.
Dynamo sizes from averages with a fixed queueing factor; --method dynamo shows its classic formulas for comparison.

Defaults follow Dynamo's documented example: ISL 3000, OSL 150, TTFT 200 ms, ITL 20 ms, at p90. With no --profile it
uses the shipped reference profiles of --model (default nvidia/Llama-3.1-8B-Instruct-FP8 on one H200).
Exit 5 when no config meets the SLA: the error gives the best TTFT/ITL each config reaches.`;

  static override examples = [
    {description: '10 req/s of 3000-token prompts and 150-token answers at the default SLA', command: '<%= config.bin %> <%= command.id %> --request-rate 10'},
    {description: 'Your own profiles (one per parallel config), a tighter SLA at p95', command: '<%= config.bin %> <%= command.id %> --profile out/70b-tp4 --profile out/70b-tp8 --ttft 300 --itl 25 --percentile p95 --request-rate 20 --isl 4000 --osl 500'},
    {description: 'Rate and length distributions from a trace, within 16 GPUs', command: '<%= config.bin %> <%= command.id %> --trace mooncake_trace.jsonl --max-gpus 16 --gpus-per-node 8'},
    {description: '64 clients in flight, E2E target, Dynamo\'s classic formulas for comparison', command: '<%= config.bin %> <%= command.id %> --concurrency 64 --e2e 5000 --method dynamo --json'},
  ];

  static override flags = {
    ...sizingFlags,
    validate: Flags.boolean({description: 'Check the answer by simulation: run the sized deployment in virtual time (the simulator\'s scheduler and cost model per engine) at the load (Poisson at the rate, or the trace itself) and report achieved percentiles and SLA attainment beside the predicted ones.', helpGroup: 'VALIDATION'}),
    'validate-requests': Flags.integer({description: 'Requests to simulate with --validate (default: 300 s of arrivals, 2000 to 50000).', min: 100, dependsOn: ['validate'], helpGroup: 'VALIDATION'}),
    seed: Flags.integer({description: 'Seed of the simulated arrivals.', default: 0, helpGroup: 'VALIDATION'}),
  };

  async run(): Promise<ValidatedSizing> {
    const {flags} = await this.parse(Size);
    const result = runSize(sizingInputFromFlags(flags), flags.validate ? {requests: flags['validate-requests'], seed: flags.seed} : false);
    if (!this.jsonEnabled()) this.log(renderValidatedSizing(result));
    return result;
  }
}
