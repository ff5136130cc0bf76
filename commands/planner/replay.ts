import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {interruptSignal} from '../../src/cli/interrupt.js';
import {float} from '../../src/cli/number-flags.js';
import {renderTable} from '../../src/cli/table.js';
import {BUILTIN_POLICIES, DEFAULT_STARTUP_S, type ReplayProgress, type ReplayResult, runReplay} from '../../src/replay/index.js';

export default class PlannerReplay extends BaseCommand {
  static override summary = 'Replay a trace against a simulated fleet under planner policies and compare SLA attainment and GPU-hours.';

  static override description = `Discrete-event simulation in virtual time: the trace's requests (Mooncake JSONL or Azure CSV) arrive at a fleet of
simulated vLLM engines (the profiled engine: model, GPU and TP from the profile; per-role pools, least-loaded
routing, engines that take --startup-s to become ready and drain before they stop), and the planner runs on its own
cadence (load ticks every load_adjustment_interval, throughput ticks every throughput_adjustment_interval), seeing
what a live planner sees and scaling the pools.

Policies: static-peak (the cheapest fixed fleet whose replay holds 99% of requests within the SLA, searched from the
replicas our sizer gives for the trace's busiest throughput interval),
throughput (Dynamo's static-threshold target), dynamo-sla (Dynamo's sla target with its defaults: a mean forecast every
180 s, no start-up model) and dynamo-plan (the sla target with our improvements and queue model: the configuration
docs/planner.md shows, which planner run runs). --config FILE adds your planner
configuration as a policy named after the file, and sets the mode, SLA and GPU budget every policy shares; without
it the policies run disaggregated with no GPU budget and Dynamo's SLA defaults (TTFT 500 ms, ITL 50 ms), which
--ttft-ms/--itl-ms override. Each autoscaling policy starts from the replicas its own throughput sizing gives the
trace's first interval (Dynamo's sizing, or the queue model's when the configuration has one).

Per policy: SLA attainment (share of all requests whose TTFT and mean ITL meet the targets), TTFT/ITL percentiles,
GPU-hours (engines charged from being asked for to stopping), scaling events and their timeline (--json). With
--report DIR each policy's diagnostics report is written to DIR/<policy>/. The run is deterministic for --seed.`;

  static override examples = [
    {description: 'Compare the four built-in policies on the Azure conversation trace at ten times its rate', command: '<%= config.bin %> <%= command.id %> --trace azure_llm_2023_conv.csv --rate-scale 10 --ttft-ms 500 --itl-ms 30 --compare static-peak,throughput,dynamo-sla,dynamo-plan'},
    {description: 'Your planner configuration against Dynamo\'s, with diagnostics reports', command: '<%= config.bin %> <%= command.id %> --config planner.yaml --trace mooncake.jsonl --compare dynamo-sla --report reports/'},
    {description: 'Machine-readable comparison, engines that take 3 minutes to start', command: '<%= config.bin %> <%= command.id %> --trace trace.jsonl --compare dynamo-sla,dynamo-plan --startup-s 180 --json'},
  ];

  static override flags = {
    config: Flags.string({description: 'Planner configuration (YAML or JSON), replayed as a policy named after the file.'}),
    trace: Flags.string({description: 'Trace to replay: Mooncake JSONL (timestamp ms, input_length, output_length, hash_ids) or Azure LLM CSV.', required: true}),
    profile: Flags.string({description: 'Profile directory of the engine to simulate and size with; repeatable for separate prefill and decode profiles (default: the config\'s profile_results_dir, else the shipped Llama-3.1-8B on H100 SXM).', multiple: true}),
    compare: Flags.string({description: `Policies to run side by side, comma-separated: ${BUILTIN_POLICIES.join(', ')}, and your config's name.`}),
    'startup-s': float({description: 'Seconds from asking for an engine to its serving requests (pod start, weight load, CUDA graphs; about a minute for an 8B model with weights cached on the node).', default: DEFAULT_STARTUP_S, min: 0}),
    'rate-scale': float({description: 'Send X times the trace\'s requests over the same timeline (copies spread between the original arrivals).', min: 0.000001}),
    'time-scale': float({description: 'Multiply the trace\'s gaps (0.5 replays it in half the time, at twice the rate).', min: 0.000001}),
    'ttft-ms': float({description: 'TTFT target, ms (default: the config\'s ttft, else 500).', min: 0.001}),
    'itl-ms': float({description: 'ITL target, ms (default: the config\'s itl, else 50).', min: 0.001}),
    report: Flags.string({description: 'Write each policy\'s diagnostics report (self-contained HTML) to DIR/<policy>/.'}),
    seed: Flags.integer({description: 'Seed for the router\'s tie-breaks and --rate-scale\'s copies.', default: 0}),
  };

  async run(): Promise<ReplayResult> {
    const {flags} = await this.parse(PlannerReplay);
    const interrupt = interruptSignal();
    const progress = this.progress();
    try {
      const result = await runReplay({
        tracePath: flags.trace,
        configPath: flags.config,
        policies: flags.compare?.split(',').map((name) => name.trim()).filter((name) => name !== ''),
        profileDirs: flags.profile,
        startupS: flags['startup-s'],
        rateScale: flags['rate-scale'],
        timeScale: flags['time-scale'],
        ttftMs: flags['ttft-ms'],
        itlMs: flags['itl-ms'],
        reportDir: flags.report,
        seed: flags.seed,
        signal: interrupt.signal,
        onProgress: (event) => progress.update(describeProgress(event)),
      });
      progress.done();
      if (!this.jsonEnabled()) this.log(renderComparison(result));
      return result;
    } finally {
      progress.done();
      interrupt.dispose();
    }
  }
}

let current = '';
function describeProgress(event: ReplayProgress): string {
  if (event.type === 'policy') {
    current = `${event.policy} (${event.index + 1}/${event.total})`;
    return `${current}...`;
  }
  return `${current}: virtual ${event.virtualS.toFixed(0)} s of ${event.traceEndS.toFixed(0)} s`;
}

function renderComparison(result: ReplayResult): string {
  const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(value < 100 ? 1 : 0));
  const rows = result.policies.map((policy) => [
    policy.name,
    `${(policy.sla_attainment * 100).toFixed(2)}%`,
    ms(policy.ttft_ms?.p50), ms(policy.ttft_ms?.p90), ms(policy.ttft_ms?.p99),
    ms(policy.itl_ms?.p50), ms(policy.itl_ms?.p90), ms(policy.itl_ms?.p99),
    policy.gpu_hours.toFixed(2),
    String(policy.peak_gpus),
    String(policy.scaling_events),
  ]);
  const {trace, sla} = result;
  const lines = [
    `${trace.path}: ${trace.requests} requests over ${trace.duration_s.toFixed(0)} s (rate x${trace.rate_scale}), mean ISL ${trace.mean_isl.toFixed(0)}, OSL ${trace.mean_osl.toFixed(0)}, peak ${trace.peak_rps.toFixed(2)} req/s per ${trace.peak_interval_s} s`,
    `${result.engine.model} on ${result.engine.accelerator} TP${result.engine.tp}, ${result.mode}, SLA TTFT ${sla.ttft_ms} ms and ITL ${sla.itl_ms} ms per request, start-up ${result.startup_s} s, seed ${result.seed}`,
    '',
    renderTable(['policy', 'SLA met', 'TTFT p50', 'p90', 'p99', 'ITL p50', 'p90', 'p99', 'GPU-h', 'peak GPUs', 'scalings'], rows),
  ];
  for (const policy of result.policies) {
    for (const report of policy.reports ?? []) lines.push(`${policy.name} report: ${report}`);
  }
  return lines.join('\n');
}
