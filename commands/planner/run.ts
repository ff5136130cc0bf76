import {appendFileSync} from 'node:fs';
import {Flags, ux} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {interruptSignal} from '../../src/cli/interrupt.js';
import {float} from '../../src/cli/number-flags.js';
import {ExitCode} from '../../src/errors/errors.js';
import {formatTickLine, type PlannerReadyInfo, type PlannerRunEvent, type PlannerRunResult, runPlanner} from '../../src/planner/service/index.js';

export default class PlannerRun extends BaseCommand {
  static override summary = 'Run the planner live: observe the fleet, decide on the config\'s cadence, scale it, report.';

  static override description = `The runtime planner as a service, in one process: on every load interval (and throughput interval) it
reads each engine's /metrics (a --engine list, the local fleet, or the DGD's worker pods) and, with --prometheus,
traffic and latency over the throughput window; decides with the planner core (schemas/planner-config.schema.json,
Dynamo's field names and defaults); and scales through the connector:

  kubernetes  the DynamoGraphDeployment's scaling adapters (or the DGD itself), in-cluster or with --kubeconfig
  local       simulated engines (\`sim serve\`) on this machine behind a least-loaded OpenAI-compatible router,
              whose URL is printed as "router: http://..." so you can send load to it (\`dynamo-plan bench --url\`)
  virtual     each decision written to --decision-file or POSTed to --webhook, for systems it does not drive

--advisory decides and reports without acting. A failed scrape, a Prometheus that is down or a connector error is
reported on that tick's line and the planner goes on (a failed action is decided again on the next tick). It serves
its own /metrics (dynamo_planner_*, Dynamo's names) on --metrics-port and the live diagnostics report on
--dashboard-port, both on 127.0.0.1 unless --host says otherwise, and writes the report every report_interval_hours
and at shutdown. SIGTERM finishes the tick, writes the report, stops the local fleet and exits 0; Ctrl-C does the same
and exits 130.`;

  static override examples = [
    {description: 'A local fleet of Qwen3-0.6B engines on simulated H100s, scaled on KV load, with metrics and dashboard', command: '<%= config.bin %> <%= command.id %> --connector local --model Qwen/Qwen3-0.6B --gpu h100_sxm --config planner.yaml --metrics-port 9091 --dashboard-port 8080'},
    {description: 'Then, in another terminal, load it through the router it printed', command: '<%= config.bin %> bench --url http://127.0.0.1:PORT --model Qwen/Qwen3-0.6B --request-rate 20 --duration 120'},
    {description: 'In a cluster (service account), advisory first, JSON logs', command: '<%= config.bin %> <%= command.id %> --config /etc/planner/config.yaml --dgd llama-8b --advisory --log-format json'},
    {description: 'Decisions for a system it does not drive, written to a file', command: '<%= config.bin %> <%= command.id %> --connector virtual --decision-file decisions.json --engine http://10.0.0.5:8000 --prometheus http://prometheus:9090'},
  ];

  static override flags = {
    config: Flags.string({description: 'Planner configuration, YAML or JSON (default: Dynamo\'s defaults; the flags below override it).'}),
    connector: Flags.string({description: 'How to act (default: the config\'s environment when it names one, else kubernetes).', options: ['kubernetes', 'local', 'virtual']}),
    advisory: Flags.boolean({description: 'Decide and report, but never scale.'}),
    'metrics-port': Flags.integer({description: 'Serve the planner\'s /metrics on this port (0: not served).', min: 0, max: 65_535}),
    'dashboard-port': Flags.integer({description: 'Serve the live diagnostics report on this port (0: not served).', min: 0, max: 65_535}),
    host: Flags.string({description: 'Address the metrics, dashboard and local router listen on.', default: '127.0.0.1'}),
    'report-dir': Flags.string({description: 'Where diagnostics reports are written (config report_output_dir).'}),
    'log-format': Flags.string({description: 'Per-tick log: text (one line per tick on stdout) or json (also one JSON line per tick on stderr, or --log-file).', options: ['text', 'json'], default: 'text'}),
    'log-file': Flags.string({description: 'Append the per-tick log lines to this file instead of stderr.'}),
    profile: Flags.string({description: 'Profile directory giving engine capacity (throughput scaling) and limits; repeatable.', multiple: true}),
    engine: Flags.string({description: 'Engine base URL to scrape (its /metrics); repeatable. Default: the local fleet or the DGD\'s pods.', multiple: true}),
    prometheus: Flags.string({description: 'Prometheus server to read traffic and latency from (config metric_pulling_prometheus_endpoint).'}),
    'model-name': Flags.string({description: 'Keep only series of this model (config model_name; local: the engines\' model).'}),
    model: Flags.string({description: 'local: catalog model of the engines.', default: 'nvidia/Llama-3.1-8B-Instruct-FP8', helpGroup: 'LOCAL'}),
    gpu: Flags.string({description: 'local: accelerator the engines simulate.', default: 'h200_sxm', helpGroup: 'LOCAL'}),
    tp: Flags.integer({description: 'local: tensor-parallel degree (GPUs per engine).', default: 1, min: 1, helpGroup: 'LOCAL'}),
    'initial-replicas': Flags.integer({description: 'local: engines to start with (default: the config\'s min_endpoint).', min: 0, helpGroup: 'LOCAL'}),
    'router-port': Flags.integer({description: 'local: port of the router (0 picks one).', default: 0, min: 0, max: 65_535, helpGroup: 'LOCAL'}),
    'max-num-seqs': Flags.integer({description: 'local: the engines\' batch limit.', min: 1, helpGroup: 'LOCAL'}),
    'max-model-len': Flags.integer({description: 'local: the engines\' context length.', min: 16, helpGroup: 'LOCAL'}),
    'gpu-memory-utilization': float({description: 'local: share of GPU memory the engines use (a smaller KV cache).', min: 0.05, max: 1, helpGroup: 'LOCAL'}),
    kubeconfig: Flags.string({description: 'kubernetes: kubeconfig file (default: the pod\'s service account, else $KUBECONFIG or ~/.kube/config).', helpGroup: 'KUBERNETES'}),
    context: Flags.string({description: 'kubernetes: kubeconfig context (default: the current one).', helpGroup: 'KUBERNETES'}),
    namespace: Flags.string({description: 'kubernetes: namespace of the DGD (default: the context\'s or the pod\'s).', helpGroup: 'KUBERNETES'}),
    dgd: Flags.string({description: 'kubernetes: the DynamoGraphDeployment to scale.', env: 'DYN_PARENT_DGD_K8S_NAME', helpGroup: 'KUBERNETES'}),
    'decision-file': Flags.string({description: 'virtual: write each decision to this file.', helpGroup: 'VIRTUAL'}),
    webhook: Flags.string({description: 'virtual: POST each decision to this URL.', helpGroup: 'VIRTUAL'}),
  };

  async run(): Promise<PlannerRunResult | void> {
    const {flags} = await this.parse(PlannerRun);
    const interrupt = interruptSignal();
    const json = this.jsonEnabled();
    const log = (line: string) => (flags['log-file'] ? appendFileSync(flags['log-file'], `${line}\n`) : process.stderr.write(`${line}\n`));
    const onEvent = (event: PlannerRunEvent) => {
      if (event.type === 'tick' && flags['log-format'] === 'json') log(JSON.stringify(event.record));
      if (json) {
        // One compact line when up, so scripts can read it and go; the summary comes at the end.
        if (event.type === 'ready') ux.stdout(JSON.stringify(event.info));
        return;
      }
      if (event.type === 'ready') this.printReady(event.info);
      else if (event.type === 'fleet') this.log(`fleet: ${event.message}`);
      else if (event.type === 'tick') this.log(formatTickLine(event.record));
      else if (event.type === 'report') this.log(`report: ${event.path}`);
      else if (event.type === 'stopping') this.log('stopping: writing the report and closing the connector');
    };
    let result: PlannerRunResult;
    try {
      result = await runPlanner({
        configPath: flags.config,
        overrides: {
          advisory: flags.advisory ? true : undefined,
          metric_reporting_prometheus_port: flags['metrics-port'],
          live_dashboard_port: flags['dashboard-port'],
          report_output_dir: flags['report-dir'],
          metric_pulling_prometheus_endpoint: flags.prometheus,
          model_name: flags['model-name'],
        },
        connector: flags.connector as 'kubernetes' | 'local' | 'virtual' | undefined,
        host: flags.host,
        profileDirs: flags.profile ?? [],
        engineUrls: flags.engine ?? [],
        local: {model: flags.model, gpu: flags.gpu, tp: flags.tp, initialReplicas: flags['initial-replicas'], routerPort: flags['router-port'],
          maxNumSeqs: flags['max-num-seqs'], maxModelLen: flags['max-model-len'], gpuMemoryUtilization: flags['gpu-memory-utilization']},
        kubernetes: {kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, dgd: flags.dgd},
        virtual: {file: flags['decision-file'], webhook: flags.webhook},
        signal: interrupt.signal,
        onEvent,
      });
    } finally {
      interrupt.dispose();
    }
    if (!json) {
      const {actions} = result;
      this.log(`stopped after ${result.ticks} ticks: ${result.decisions} scaling decisions (${actions.applied} applied, ${actions.failed} failed, ${actions.advisory} advisory), ` +
        `${result.ticks_with_issues} ticks with issues, ${result.gpu_hours.toFixed(4)} GPU-hours`);
    }
    if (interrupt.signalName() === 'SIGINT') {
      if (json) this.logJson(result);
      this.exit(ExitCode.interrupted);
    }
    return result;
  }

  private printReady(info: PlannerReadyInfo): void {
    // The router first: it is what a user sends load to.
    if (info.router_url) this.log(`router: ${info.router_url}`);
    if (info.metrics_url) this.log(`metrics: ${info.metrics_url}`);
    if (info.dashboard_url) this.log(`dashboard: ${info.dashboard_url}`);
    const intervals = [info.load_adjustment_interval_s !== null ? `load every ${info.load_adjustment_interval_s} s` : '', info.throughput_adjustment_interval_s !== null ? `throughput every ${info.throughput_adjustment_interval_s} s` : ''].filter(Boolean).join(', ');
    this.log(`planner: ${info.connector} connector${info.advisory ? ' (advisory: decides, acts on nothing)' : ''}, mode ${info.mode}, target ${info.optimization_target}, ${intervals}; reports in ${info.report_dir}`);
  }
}
