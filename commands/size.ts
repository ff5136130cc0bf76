import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {sizingFlags, sizingInputFromFlags} from '../src/cli/sizing-flags.js';
import {renderTable} from '../src/cli/table.js';
import type {SizedRole, SizingResult} from '../src/sizing/index.js';
import {runSize, type SizingValidation, type ValidatedSizing} from '../src/sizing/validate.js';

export default class Size extends BaseCommand {
  static override summary = 'Size a deployment for a latency SLA: which config per role, how many replicas and GPUs.';

  static override description = `Reads engine profiles (made by \`dynamo-plan profile\` or imported from Dynamo) and sizes a deployment that meets
a TTFT and ITL target at a percentile for your workload, disaggregated (separate prefill and decode engines) or
aggregated, and says which needs fewer GPUs and by how much.

How: a prefill engine is a FIFO M/G/1 queue whose service time is the fitted TTFT at each prompt length; its capacity is
the largest request rate whose TTFT at the percentile meets the target. A decode engine's batch is the Poisson
population of Little's law; its capacity is the largest rate whose ITL at the percentile (over generated tokens) meets
the target within the KV cache and max_num_seqs. Aggregated engines share each step between decode and prompt chunks
under max_num_batched_tokens. Replicas = ceil(demand / capacity per engine); the configs needing the fewest GPUs win.
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
    if (!this.jsonEnabled()) this.log(renderSizing(result) + (result.validation ? `\n\n${renderValidation(result.validation)}` : ''));
    return result;
  }
}

function renderSizing(result: SizingResult): string {
  const {sla, workload} = result;
  const target = `TTFT ${ms(sla.ttft_ms)} ms, ITL ${ms(sla.itl_ms)} ms at ${sla.percentile}${sla.e2e_ms === null ? '' : ` (from E2E ${ms(sla.e2e_ms)} ms)`}`;
  const load = `${workload.request_rate.toFixed(2)} req/s${workload.concurrency === null ? '' : ` (${workload.concurrency} in flight)`}, ISL ${workload.isl.toFixed(0)}, OSL ${workload.osl.toFixed(0)}${workload.samples > 0 ? ` (${workload.samples} requests of ${workload.source})` : ''}`;
  const lines = [
    `${result.mode === 'disagg' ? 'Disaggregated' : 'Aggregated'}: ${result.total_gpus} GPUs${result.nodes === null ? '' : ` on ${result.nodes} node(s)`} for ${target}; ${load}${result.method === 'dynamo' ? " [Dynamo's classic formulas]" : ''}`,
    '',
    renderTable(
      ['role', 'config', 'replicas', 'GPUs', 'req/s per engine (max)', 'batch', `TTFT ${sla.percentile} (target)`, `ITL ${sla.percentile} (target)`, 'bound by'],
      result.roles.map((role) => roleRow(role, result)),
    ),
    '',
    `Throughput ${result.output_tokens_per_s.toFixed(0)} output tokens/s, ${result.throughput_per_gpu.toFixed(0)} per GPU; headroom to ${result.capacity_rps.toFixed(2)} req/s within the SLA.`,
  ];
  if (result.load_served_fraction < 1) lines.push(`Only ${(result.load_served_fraction * 100).toFixed(1)}% of the load fits the GPU budget.`);
  if (result.alternative) {
    const alt = result.alternative;
    const name = alt.mode === 'disagg' ? 'Disaggregated' : 'Aggregated';
    if (!alt.feasible) lines.push(`${name} cannot meet the SLA: ${alt.reason}.`);
    else if (result.advantage) {
      const saved = result.advantage.gpus_saved;
      lines.push(`${name} would need ${alt.total_gpus} GPUs (${alt.throughput_per_gpu!.toFixed(0)} tokens/s per GPU): ${result.mode} ${saved > 0 ? `saves ${saved} GPU(s)` : 'needs as many GPUs but has more headroom'}, ${result.advantage.throughput_per_gpu_ratio.toFixed(2)}x the throughput per GPU.`);
    }
  }
  lines.push('', renderTable(['candidate', 'role', 'GPUs/engine', 'req/s per GPU', 'best TTFT', 'best ITL', 'bound by', 'meets SLA'], result.candidates.map((entry) => [
    entry.config,
    entry.role,
    String(entry.gpus_per_engine),
    entry.capacity_rps_per_gpu.toFixed(2),
    entry.best_ttft_ms === null ? '-' : ms(entry.best_ttft_ms),
    entry.best_itl_ms === null ? '-' : ms(entry.best_itl_ms),
    entry.binding,
    entry.feasible ? 'yes' : entry.excluded ? `no: ${entry.excluded}` : 'no',
  ])));
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `Note: ${note}`));
  return lines.join('\n');
}

function roleRow(role: SizedRole, result: SizingResult): string[] {
  const versus = (value: number | null, limit: number) => (value === null ? '-' : `${ms(value)} (${ms(limit)})`);
  return [
    role.role,
    role.config.name,
    `${role.replicas}${role.replicas_set_by === 'demand' ? '' : ` (${role.replicas_set_by})`}`,
    String(role.gpus),
    `${role.load_rps_per_engine.toFixed(2)} (${role.capacity_rps_per_engine.toFixed(2)})`,
    role.batch === null ? '-' : role.batch.toFixed(1),
    versus(role.predicted_ttft_ms, result.sla.ttft_ms),
    versus(role.predicted_itl_ms, result.sla.itl_ms),
    role.binding,
  ];
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function renderValidation(validation: SizingValidation): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const row = (name: string, check: SizingValidation['ttft_ms']) => [name, ms(check.target), check.predicted === null ? '-' : ms(check.predicted), check.achieved === null ? 'missed' : ms(check.achieved), pct(check.attainment)];
  const load = validation.load === 'trace' ? 'the trace replayed' : 'Poisson arrivals at the sized rate';
  return [
    `Validation: ${validation.requests} requests (${load}) simulated over ${validation.simulated_s.toFixed(0)} s of virtual time; figures over the last ${validation.measured}.`,
    renderTable(['latency', 'target ms', `predicted ${validation.percentile}`, `simulated ${validation.percentile}`, 'within target'], [row('TTFT', validation.ttft_ms), row('ITL (per request)', validation.itl_ms)]),
    `SLA attainment (both targets): ${pct(validation.sla_attainment)}. ${validation.meets_sla ? `The SLA holds at ${validation.percentile}.` : `The SLA does NOT hold at ${validation.percentile}: size with more headroom (a higher --percentile) or relax the targets.`}`,
  ].join('\n');
}
