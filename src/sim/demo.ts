import {interrupted, unreachable} from '../errors/errors.js';
import {type SimulatorInfo, type SimulatorOptions, startSimulator} from './simulator.js';

export interface DemoResult {
  simulator: SimulatorInfo;
  prompt: string;
  text: string;
  ttftMs: number;
  meanItlMs: number;
  usage: {prompt_tokens: number; completion_tokens: number; total_tokens: number};
  /** Selected engine metrics scraped from /metrics after the request. */
  metrics: Record<string, number>;
}

export interface DemoOptions extends SimulatorOptions {
  prompt: string;
  maxTokens: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
}

const SHOWN_METRICS = [
  'vllm:prompt_tokens_total',
  'vllm:generation_tokens_total',
  'vllm:time_to_first_token_seconds_sum',
  'vllm:inter_token_latency_seconds_count',
  'vllm:kv_cache_usage_perc',
];

/**
 * The main job until the profiler exists: start a simulated engine, stream one chat completion from it over
 * real HTTP, time it as a client sees it, and read back what the engine's /metrics say about it.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const simulator = await startSimulator(options);
  try {
    const {info} = simulator;
    // Warm the connection first, as load generators do, so the timed request measures the engine, not TCP set-up.
    await fetch(`${info.url}/v1/models`, {signal: options.signal}).then((response) => response.arrayBuffer());
    const started = performance.now();
    const response = await fetch(`${info.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      signal: options.signal,
      body: JSON.stringify({
        model: info.servedModelName,
        messages: [{role: 'user', content: options.prompt}],
        max_tokens: options.maxTokens,
        ignore_eos: true,
        stream: true,
        stream_options: {include_usage: true},
      }),
    }).catch((error: unknown) => {
      throw unreachable(`Cannot reach the simulator at ${info.url}: ${(error as Error).message}.`, 'Check that nothing blocks loopback connections.', error);
    });
    if (!response.ok || !response.body) throw unreachable(`The simulator answered HTTP ${response.status}.`, 'Rerun with --verbose.');
    const tokenTimes: number[] = [];
    let text = '';
    let usage: DemoResult['usage'] | undefined;
    for await (const event of sseData(response.body)) {
      if (event === '[DONE]') break;
      const chunk = JSON.parse(event) as {choices: {delta?: {content?: string}}[]; usage?: DemoResult['usage']};
      const content = chunk.choices[0]?.delta?.content;
      if (content) {
        tokenTimes.push(performance.now());
        text += content;
        options.onToken?.(content);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    if (!usage || tokenTimes.length === 0) throw unreachable('The stream ended without tokens or usage.', 'Rerun with --verbose.');
    const gaps = tokenTimes.length > 1 ? (tokenTimes.at(-1)! - tokenTimes[0]!) / (tokenTimes.length - 1) : 0;
    return {
      simulator: info,
      prompt: options.prompt,
      text,
      ttftMs: tokenTimes[0]! - started,
      meanItlMs: gaps,
      usage,
      metrics: await scrape(info.url),
    };
  } catch (error) {
    if (options.signal?.aborted) throw interrupted('Interrupted; the simulator was stopped.');
    throw error;
  } finally {
    await simulator.close();
  }
}

/** The `data:` payloads of a server-sent-event stream, split however the bytes arrive. */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, {stream: true});
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) if (line.startsWith('data: ')) yield line.slice(6);
    }
  }
}

async function scrape(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const name = line.split(/[{ ]/)[0] ?? '';
    if (SHOWN_METRICS.includes(name)) values[name] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return values;
}
