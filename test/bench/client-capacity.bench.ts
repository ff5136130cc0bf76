// Client capacity: can one process running OpenAiHttpClient ingest streamed tokens fast enough never to be the
// bottleneck? A server in a child process answers every request with the same pre-built vLLM-style stream, written as
// fast as the socket takes it; N concurrent workers send requests back to back for D seconds, first through a bare
// socket that only counts `data: ` markers (the ceiling for this machine), then through the client counting content
// events. Goals: client >= 50% of the raw reader's tokens/s, and >= 100,000 tokens/s. A third reader, undici with a
// handler that only counts body pieces (one per event), shows what undici alone costs (the client streamed over undici
// until it got an HTTP/1.1 transport of its own). Tokens per CPU-second, client against raw, is the figure least moved
// by other load on the machine.
// Each pair is measured `repeats` times, alternating, and the medians are reported: on a small shared VM single runs
// swing by a third.
// Run: npx tsx test/bench/client-capacity.bench.ts [seconds] [tokens-per-stream] [concurrencies, e.g. 1,16,256] [repeats]
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {Pool} from 'undici';
import {OpenAiHttpClient} from '../../src/engine/openai-http/index.js';
import {RawStreamReader} from './client-capacity-raw-reader.js';

const seconds = Number(process.argv[2] ?? 3);
const tokensPerStream = Number(process.argv[3] ?? 1024);
const concurrencies = (process.argv[4] ?? '1,16,256').split(',').map(Number);
const repeats = Number(process.argv[5] ?? 3);
/** Per response: the usage chunk and [DONE] also start with `data: `. */
const NON_TOKEN_EVENTS = 2;
const MODEL = 'Qwen/Qwen3-0.6B';

interface Measurement {
  tokens: number;
  seconds: number;
  /** CPU time of this process over the run, as a share of one core. */
  cpu: number;
}

async function startServer(): Promise<{port: number; responseBytes: number; stop(): void}> {
  const script = fileURLToPath(new URL('./client-capacity-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(tokensPerStream)], {stdio: ['pipe', 'pipe', 'inherit']});
  const [line] = await createInterface({input: child.stdout})[Symbol.asyncIterator]().next().then((next) => [next.value as string]);
  const {port, responseBytes} = JSON.parse(line!) as {port: number; responseBytes: number};
  return {port, responseBytes, stop: () => child.kill()};
}

/** Runs `streams` workers, each streaming back to back until the deadline; `stream` resolves with its tokens. */
async function measure(streams: number, durationS: number, stream: (worker: number) => Promise<number>): Promise<Measurement> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationS * 1000;
  let tokens = 0;
  await Promise.all(Array.from({length: streams}, async (_, worker) => {
    while (performance.now() < deadline) {
      // Not `tokens += await ...`: that reads `tokens` before the await and loses the other workers' additions.
      const streamed = await stream(worker);
      tokens += streamed;
    }
  }));
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {tokens, seconds: elapsedS, cpu: (cpu.user + cpu.system) / 1e6 / elapsedS};
}

async function measureRaw(port: number, responseBytes: number, streams: number, durationS: number): Promise<Measurement> {
  const body = JSON.stringify({model: MODEL, prompt: 'hello', max_tokens: tokensPerStream, stream: true, stream_options: {include_usage: true}});
  const request = Buffer.from(`POST /v1/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const readers = Array.from({length: streams}, () => new RawStreamReader(port, request, responseBytes));
  try {
    return await measure(streams, durationS, async (worker) => (await readers[worker]!.stream()) - NON_TOKEN_EVENTS);
  } finally {
    for (const reader of readers) reader.close();
  }
}

async function measureUndici(port: number, streams: number, durationS: number): Promise<Measurement> {
  const pool = new Pool(`http://127.0.0.1:${port}`, {connections: null, pipelining: 1});
  const body = JSON.stringify({model: MODEL, prompt: 'hello', max_tokens: tokensPerStream, stream: true});
  const stream = () => new Promise<number>((resolve, reject) => {
    let pieces = 0;
    pool.dispatch({path: '/v1/completions', method: 'POST', headers: {'content-type': 'application/json'}, body}, {
      onRequestStart: () => {},
      onResponseData: () => void pieces++,
      onResponseEnd: () => resolve(pieces - NON_TOKEN_EVENTS),
      onResponseError: (_controller, error) => reject(error),
    });
  });
  try {
    return await measure(streams, durationS, stream);
  } finally {
    await pool.close();
  }
}

async function measureClient(port: number, streams: number, durationS: number): Promise<Measurement> {
  const client = new OpenAiHttpClient({baseUrl: `http://127.0.0.1:${port}`, api: 'completions', model: MODEL});
  try {
    return await measure(streams, durationS, async () => {
      let contents = 0;
      const result = await client.generate({prompt: 'hello', maxTokens: tokensPerStream}, (event) => {
        if (event.type === 'content') contents++;
      });
      if (result.error || result.usage?.completionTokens !== tokensPerStream || contents !== tokensPerStream) {
        throw new Error(`Bad stream: ${contents} content events, ${JSON.stringify(result)}`);
      }
      return contents;
    });
  } finally {
    await client.close();
  }
}

function rate(measurement: Measurement): number {
  return measurement.tokens / measurement.seconds;
}

/** Tokens per second of this process's CPU time. */
function ratePerCpu(measurement: Measurement): number {
  return measurement.tokens / (measurement.seconds * measurement.cpu);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function tokensPerSecond(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

const server = await startServer();
try {
  // Warm both paths up (JIT, connections) before measuring.
  await measureRaw(server.port, server.responseBytes, 4, 0.5);
  await measureClient(server.port, 4, 0.5);
  const rows: string[] = [];
  let worst = Infinity;
  for (const streams of concurrencies) {
    const raw: Measurement[] = [];
    const undici: Measurement[] = [];
    const client: Measurement[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      raw.push(await measureRaw(server.port, server.responseBytes, streams, seconds));
      undici.push(await measureUndici(server.port, streams, seconds));
      client.push(await measureClient(server.port, streams, seconds));
    }
    const rawRate = median(raw.map(rate));
    const clientRate = median(client.map(rate));
    const ratio = clientRate / rawRate;
    worst = Math.min(worst, ratio);
    const perCpu = median(client.map(ratePerCpu)) / median(raw.map(ratePerCpu));
    rows.push(`| ${streams} | ${tokensPerSecond(rawRate)} | ${percent(median(raw.map((m) => m.cpu)))} | ` +
      `${tokensPerSecond(median(undici.map(rate)))} | ${tokensPerSecond(clientRate)} | ${percent(median(client.map((m) => m.cpu)))} | ${percent(ratio)} | ${percent(perCpu)} |`);
  }
  console.log(`node ${process.version}, ${tokensPerStream} tokens per stream (${server.responseBytes} bytes), ` +
    `median of ${repeats} runs of ${seconds} s each; CPU is this process's, as a share of one core`);
  console.log('| streams | raw socket tokens/s | raw CPU | undici alone tokens/s | OpenAiHttpClient tokens/s | client CPU | client / raw | per CPU-s, client / raw |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`worst client/raw ratio: ${percent(worst)} (goal >= 50%)`);
} finally {
  server.stop();
}
