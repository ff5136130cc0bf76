import {Counter, Gauge, Histogram, Registry} from 'prom-client';

/** What the engine exposes at scrape time (read from the scheduler, cheap to compute). */
export interface EngineGaugeSource {
  running(): number;
  waiting(): number;
  kvCacheUsage(): number;
  counters(): {promptTokens: number; generationTokens: number; preemptions: number; prefixQueries: number; prefixHits: number};
}

export interface CacheConfig {
  blockSize: number;
  numGpuBlocks: number;
  cacheDtype: string;
  enablePrefixCaching: boolean;
  gpuMemoryUtilization: number;
}

export type FinishedReason = 'stop' | 'length' | 'abort' | 'error';

// Bucket boundaries as vLLM V1 declares them, so dashboards and histogram_quantile() behave the same.
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const REQUEST_LATENCY_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];
const ITERATION_TOKEN_BUCKETS = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

/** 1, 2, 5, 10, 20, 50, ... up to `max`, as vLLM's build_1_2_5_buckets. */
export function oneTwoFiveBuckets(max: number): number[] {
  const buckets: number[] = [];
  for (let exponent = 1; ; exponent *= 10) {
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * exponent;
      if (value > max) return buckets;
      buckets.push(value);
    }
  }
}

/** One request's timeline, in seconds on the engine clock. */
export interface FinishedRequestTimes {
  arrival: number;
  scheduled: number;
  firstToken: number;
  finished: number;
  promptTokens: number;
  outputTokens: number;
  maxTokens: number;
}

/**
 * The engine's /metrics in vLLM V1 names, types, labels and buckets. Counters and gauges are read from the
 * scheduler at scrape time; latency histograms are observed as requests progress.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly labels: {engine: string; model_name: string};
  private readonly ttft: Histogram.Internal<string>;
  private readonly itl: Histogram.Internal<string>;
  private readonly perOutputToken: Histogram<string>;
  private readonly e2e: Histogram<string>;
  private readonly queue: Histogram<string>;
  private readonly inference: Histogram<string>;
  private readonly prefill: Histogram<string>;
  private readonly decode: Histogram<string>;
  private readonly promptTokens: Histogram<string>;
  private readonly generationTokens: Histogram<string>;
  private readonly maxTokensParam: Histogram<string>;
  private readonly iterationTokens: Histogram.Internal<string>;
  private readonly success: Counter<string>;

  constructor(options: {modelName: string; maxModelLen: number; cache: CacheConfig; source: EngineGaugeSource}) {
    const {source} = options;
    const labels = {engine: '0', model_name: options.modelName};
    this.labels = labels;
    const labelNames = ['engine', 'model_name'];
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({name, help, labelNames, registers, collect() { this.set(labels, read()); }});
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', () => source.running());
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', () => source.waiting());
    gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', () => source.kvCacheUsage());

    const counterFromSource = (name: string, help: string, read: () => number) => {
      let reported = 0;
      return new Counter({name, help, labelNames, registers, collect() {
        const now = read();
        if (now > reported) this.inc(labels, now - reported);
        reported = now;
      }});
    };
    counterFromSource('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', () => source.counters().promptTokens);
    counterFromSource('vllm:generation_tokens_total', 'Number of generation tokens processed.', () => source.counters().generationTokens);
    counterFromSource('vllm:num_preemptions_total', 'Cumulative number of preemptions from the engine.', () => source.counters().preemptions);
    counterFromSource('vllm:prefix_cache_queries_total', 'Prefix cache queries, in terms of number of queried tokens.', () => source.counters().prefixQueries);
    counterFromSource('vllm:prefix_cache_hits_total', 'Prefix cache hits, in terms of number of cached tokens.', () => source.counters().prefixHits);
    this.success = new Counter({name: 'vllm:request_success_total', help: 'Count of successfully processed requests.', labelNames: ['engine', 'finished_reason', 'model_name'], registers});

    const cacheInfo = new Gauge({
      name: 'vllm:cache_config_info',
      help: 'Information of the LLMEngine CacheConfig.',
      labelNames: ['block_size', 'cache_dtype', 'enable_prefix_caching', 'engine', 'gpu_memory_utilization', 'num_gpu_blocks'],
      registers,
    });
    cacheInfo.set({
      block_size: String(options.cache.blockSize),
      cache_dtype: options.cache.cacheDtype,
      enable_prefix_caching: String(options.cache.enablePrefixCaching),
      engine: '0',
      gpu_memory_utilization: String(options.cache.gpuMemoryUtilization),
      num_gpu_blocks: String(options.cache.numGpuBlocks),
    }, 1);

    const histogram = (name: string, help: string, buckets: number[]) => new Histogram({name, help, labelNames, buckets, registers});
    // Observed once per token: bind the label set once, since prom-client hashes a label object on every call.
    this.ttft = histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', TTFT_BUCKETS).labels(labels);
    this.itl = histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', ITL_BUCKETS).labels(labels);
    this.perOutputToken = histogram('vllm:request_time_per_output_token_seconds', 'Histogram of time_per_output_token_seconds per request.', ITL_BUCKETS);
    this.e2e = histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', REQUEST_LATENCY_BUCKETS);
    this.queue = histogram('vllm:request_queue_time_seconds', 'Histogram of time spent in WAITING phase for request.', REQUEST_LATENCY_BUCKETS);
    this.inference = histogram('vllm:request_inference_time_seconds', 'Histogram of time spent in RUNNING phase for request.', REQUEST_LATENCY_BUCKETS);
    this.prefill = histogram('vllm:request_prefill_time_seconds', 'Histogram of time spent in PREFILL phase for request.', REQUEST_LATENCY_BUCKETS);
    this.decode = histogram('vllm:request_decode_time_seconds', 'Histogram of time spent in DECODE phase for request.', REQUEST_LATENCY_BUCKETS);
    const tokenBuckets = oneTwoFiveBuckets(options.maxModelLen);
    this.promptTokens = histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', tokenBuckets);
    this.generationTokens = histogram('vllm:request_generation_tokens', 'Number of generation tokens processed.', tokenBuckets);
    this.maxTokensParam = histogram('vllm:request_params_max_tokens', 'Histogram of the max_tokens request parameter.', tokenBuckets);
    this.iterationTokens = histogram('vllm:iteration_tokens_total', 'Histogram of number of tokens per engine_step.', ITERATION_TOKEN_BUCKETS).labels(labels);
  }

  observeStep(tokens: number): void {
    this.iterationTokens.observe(tokens);
  }

  observeInterTokenLatency(seconds: number): void {
    this.itl.observe(seconds);
  }

  observeFirstToken(secondsSinceArrival: number): void {
    this.ttft.observe(secondsSinceArrival);
  }

  /** A request left the engine; aborted requests count in request_success_total{finished_reason="abort"} only. */
  observeFinished(reason: FinishedReason, times: FinishedRequestTimes): void {
    this.success.inc({...this.labels, finished_reason: reason});
    if (reason === 'abort' || reason === 'error') return;
    const labels = this.labels;
    this.e2e.observe(labels, times.finished - times.arrival);
    this.queue.observe(labels, times.scheduled - times.arrival);
    this.inference.observe(labels, times.finished - times.scheduled);
    this.prefill.observe(labels, times.firstToken - times.scheduled);
    this.decode.observe(labels, times.finished - times.firstToken);
    if (times.outputTokens > 1) this.perOutputToken.observe(labels, (times.finished - times.firstToken) / (times.outputTokens - 1));
    this.promptTokens.observe(labels, times.promptTokens);
    this.generationTokens.observe(labels, times.outputTokens);
    this.maxTokensParam.observe(labels, times.maxTokens);
  }

  async render(): Promise<{contentType: string; body: string}> {
    return {contentType: this.registry.contentType, body: await this.registry.metrics()};
  }
}
