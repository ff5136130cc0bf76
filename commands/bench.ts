import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {interruptSignal} from '../src/cli/interrupt.js';
import {header, headersFromFlags} from '../src/cli/header-flag.js';
import {float, rate} from '../src/cli/number-flags.js';
import {simulatorFlags} from '../src/cli/sim-flags.js';
import {renderTable} from '../src/cli/table.js';
import type {ApiKind} from '../src/engine/types.js';
import {type BenchProgress, runBench} from '../src/loadgen/bench.js';
import type {BenchSummary} from '../src/loadgen/summary.js';

export default class Bench extends BaseCommand {
  static override summary = 'Measure TTFT, ITL and throughput of an engine under a load you describe.';

  static override description = `An honest load generator for vLLM-compatible engines, like \`vllm bench serve\`, over OpenAI HTTP
(completions or chat, streaming SSE), KServe v2 gRPC (Dynamo's frontend) or vLLM's native gRPC.

The whole run is planned before it starts: send times from the arrival process (Poisson, gamma with a burstiness
factor, constant, or a Mooncake/Azure trace), prompts of exact token lengths (checked with the server's /tokenize
when it has one) and exact output lengths (max_tokens = min_tokens = --osl, ignore_eos). Sends follow the schedule
whatever is in flight (open loop), so slow responses cannot hide queueing; with --concurrency alone it runs a closed
loop. Times are stamped when bytes arrive, before parsing. TTFT and E2E are reported from the intended send time, and
TTFT also from the actual send; client queue time is reported separately.

With --out DIR each request's record is appended to DIR/records.jsonl as it completes, and DIR/summary.json is
written at the end (also after Ctrl-C, covering what completed). With no --url it starts the embedded simulator.`;

  static override examples = [
    {description: 'Poisson load at 4 req/s on the embedded simulator', command: '<%= config.bin %> <%= command.id %> --request-rate 4 --num-requests 200'},
    {description: 'A real vLLM server, chat API, bursty arrivals, goodput against an SLO', command: '<%= config.bin %> <%= command.id %> --url http://vllm:8000 --api chat --isl 2000 --osl 200 --request-rate 8 --burstiness 0.5 --duration 120 --goodput ttft:500,itl:25'},
    {description: 'Replay an hour of the Azure conversation trace twice as fast, keeping records', command: '<%= config.bin %> <%= command.id %> --trace azure_conv.csv --trace-time-scale 0.5 --out runs/azure'},
    {description: 'Closed loop: 64 clients, 1000 requests, KServe gRPC on Dynamo\'s frontend', command: '<%= config.bin %> <%= command.id %> --url grpc://frontend:8787 --api kserve --concurrency 64 --num-requests 1000'},
  ];

  static override flags = {
    url: Flags.string({description: 'Engine base URL: http(s)://host:port for OpenAI APIs, host:port (or grpc://host:port) for gRPC. Default: start the embedded simulator.'}),
    api: Flags.string({description: 'Transport and API.', options: ['completions', 'chat', 'kserve', 'vllm-grpc'], default: 'completions'}),
    model: Flags.string({description: 'Model name to request (default: the first of /v1/models; with no --url, the simulator\'s model, default nvidia/Llama-3.1-8B-Instruct-FP8).'}),
    'api-key': Flags.string({description: 'Bearer token for the OpenAI APIs.', env: 'OPENAI_API_KEY'}),
    header: header({description: 'Extra HTTP header, as Name=Value; repeatable.', multiple: true}),
    isl: Flags.integer({description: 'Input (prompt) length in tokens.', default: 1024, min: 1}),
    osl: Flags.integer({description: 'Output length in tokens (exact: max_tokens = min_tokens, ignore_eos).', default: 128, min: 1}),
    'range-ratio': float({description: 'Spread ISL and OSL uniformly over [x(1-r), x(1+r)], as vllm bench serve --random-range-ratio.', default: 0, min: 0, max: 1}),
    'request-rate': rate({description: 'Mean requests per second, or "inf" to send everything at once.', default: Infinity}),
    burstiness: float({description: 'Gamma arrival shape: 1 is Poisson, below 1 burstier, above 1 steadier.', default: 1, min: 0.01}),
    concurrency: Flags.integer({description: 'Most requests in flight. With --request-rate, excess requests wait in a client queue (measured); alone, a closed loop of this many clients.', min: 1}),
    'num-requests': Flags.integer({description: 'Requests to send (default 1000 when no --duration).', min: 1}),
    duration: float({description: 'Stop sending after this many seconds.', min: 0.001}),
    trace: Flags.string({description: 'Replay a trace: Mooncake JSONL (timestamp ms, input_length, output_length, hash_ids) or Azure LLM CSV (TIMESTAMP, ContextTokens, GeneratedTokens).'}),
    'trace-time-scale': float({description: 'Multiply the trace\'s gaps (0.5 replays it twice as fast).', min: 0.000001, exclusive: ['trace-rate-scale']}),
    'trace-rate-scale': float({description: 'Multiply the trace\'s request rate (2 sends twice as many per second).', min: 0.000001}),
    goodput: Flags.string({description: 'SLOs in ms for goodput, e.g. ttft:200,itl:20,tpot:25,e2e:5000; a request is good when all hold.'}),
    seed: Flags.integer({description: 'Seed for arrivals, lengths and prompts.', default: 0}),
    warmup: Flags.integer({description: 'Unmeasured warm-up requests sent first.', default: 2, min: 0}),
    'request-timeout': float({description: 'Seconds to wait for a response to start.', default: 600, min: 0.001}),
    'stall-timeout': float({description: 'Seconds without a byte before a stream counts as stalled.', default: 60, min: 0.001}),
    out: Flags.string({description: 'Directory for records.jsonl (appended as requests complete) and summary.json.'}),
    gpu: simulatorFlags.gpu,
    tp: simulatorFlags.tp,
  };

  async run(): Promise<BenchSummary> {
    const {flags} = await this.parse(Bench);
    const interrupt = interruptSignal();
    const progress = this.progress();
    try {
      const summary = await runBench({
        url: flags.url,
        api: flags.api as ApiKind,
        model: flags.model,
        apiKey: flags['api-key'],
        headers: headersFromFlags(flags.header),
        isl: flags.isl,
        osl: flags.osl,
        rangeRatio: flags['range-ratio'],
        requestRate: flags['request-rate'],
        burstiness: flags.burstiness,
        concurrency: flags.concurrency,
        numRequests: flags['num-requests'],
        durationS: flags.duration,
        trace: flags.trace,
        traceTimeScale: flags['trace-time-scale'],
        traceRateScale: flags['trace-rate-scale'],
        goodput: flags.goodput,
        seed: flags.seed,
        warmupRequests: flags.warmup,
        requestTimeoutS: flags['request-timeout'],
        stallTimeoutS: flags['stall-timeout'],
        outDir: flags.out,
        simulator: {model: flags.model, gpu: flags.gpu, tp: flags.tp},
        signal: interrupt.signal,
        onProgress: (event) => progress.update(describeProgress(event)),
      });
      progress.done();
      if (!this.jsonEnabled()) this.log(renderSummary(summary));
      return summary;
    } finally {
      progress.done();
      interrupt.dispose();
    }
  }
}

function describeProgress(event: BenchProgress): string {
  if (event.type === 'phase') return `${event.phase}...`;
  if (event.type === 'warmup') return `warm-up ${event.done}/${event.total}`;
  return `${event.elapsedS.toFixed(1)}s  sent ${event.sent}/${event.planned}  done ${event.completed}  in flight ${event.inFlight}  errors ${event.errors}`;
}

function renderSummary(summary: BenchSummary): string {
  const row = (name: string, metric: BenchSummary['ttft_ms']) =>
    metric ? [name, ...[metric.mean, metric.p50, metric.p90, metric.p95, metric.p99, metric.max].map((value) => value.toFixed(2))] : [name, '-', '-', '-', '-', '-', '-'];
  const errors = Object.entries(summary.errors.by_kind).map(([kind, count]) => `${kind} ${count}`).join(', ');
  const lines = [
    `${summary.api} ${summary.model} at ${summary.url}`,
    `requests ${summary.requests} (completed ${summary.completed}, errors ${summary.errors.total}${errors ? `: ${errors}` : ''}) in ${summary.duration_s.toFixed(2)} s`,
    `throughput ${fmt(summary.request_throughput)} req/s, ${fmt(summary.output_token_throughput)} output tok/s` +
      (summary.goodput ? `; goodput ${fmt(summary.goodput.requests_per_s)} req/s (${((summary.goodput.fraction ?? 0) * 100).toFixed(1)}% good)` : ''),
    '',
    renderTable(['latency (ms)', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'], [
      row('TTFT', summary.ttft_ms),
      row('TTFT from actual send', summary.ttft_from_actual_send_ms),
      row('ITL', summary.itl_ms),
      row('TPOT', summary.tpot_ms),
      row('E2E', summary.e2e_ms),
      row('client queue', summary.queue_ms),
    ]),
  ];
  if (summary.out_dir) lines.push('', `records: ${summary.out_dir}/records.jsonl, summary: ${summary.out_dir}/summary.json`);
  return lines.join('\n');
}

function fmt(value: number | null): string {
  return value === null ? '-' : value.toFixed(2);
}
