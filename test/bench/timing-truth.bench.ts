// Timing truth: is the TTFT our client reports the time the first token really reached it? With 256 concurrent
// streams against the simulator (another process), compare each request's client-side first-token stamp with the
// time the simulator wrote that token to its socket, both on the absolute time line. Goal: difference < 1 ms at p99.
// Baseline in the same run: a minimal raw-socket reader (net.connect, stamp on the first read holding a text chunk).
// Run: npx tsx test/bench/timing-truth.bench.ts [streams] [seconds] [model] [gpu] [tp]
import {spawn} from 'node:child_process';
import {connect} from 'node:net';
import {fileURLToPath} from 'node:url';
import {OpenAiHttpClient} from '../../src/engine/openai-http/index.js';
import {loadCatalog} from '../../src/sim/cost/index.js';
import {tokenize} from '../../src/sim/server/tokenizer.js';

const streams = Number(process.argv[2] ?? 256);
const seconds = Number(process.argv[3] ?? 10);
const [model = 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu = 'h200_sxm', tp = '1'] = process.argv.slice(4);
// The simulator's tokenizer hashes pieces into the model's vocabulary; keys must use the same size.
const vocab = loadCatalog().models.get(model)!.vocab;
const serverScript = fileURLToPath(new URL('./timing-truth-server.ts', import.meta.url));

// hrtime (client stamps) to absolute seconds (the server's time line).
const hrtimeToAbsolute = (() => {
  const hr = process.hrtime.bigint();
  const absoluteS = (performance.timeOrigin + performance.now()) / 1000;
  return (t: bigint) => absoluteS + Number(t - hr) / 1e9;
})();

async function startServer(): Promise<{url: string; stop(): Promise<Record<string, number>>}> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, model, gpu, tp], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const url = await new Promise<string>((resolve) => {
    const poll = setInterval(() => {
      if (!out.includes('\n')) return;
      clearInterval(poll);
      resolve(out.slice(0, out.indexOf('\n')));
    }, 20);
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.on('close', () => resolve(JSON.parse(out.split('\n')[1]!) as Record<string, number>));
      child.kill('SIGTERM');
    }),
  };
}

const promptFor = (worker: number, n: number) => `timing truth worker ${worker} request ${n} ` + 'load '.repeat(40);
const keyOf = (prompt: string) => tokenize(prompt, vocab).join(',');
const body = (prompt: string) => JSON.stringify({model, prompt, max_tokens: 64, min_tokens: 64, ignore_eos: true, stream: true});

/** One design's first-token stamps (absolute seconds) by prompt key. */
type Stamps = Map<string, number>;

// Each design first runs unmeasured for this long: connections, JIT and the engine's batch settle.
const WARMUP_MS = 2000;

async function withClient(url: string): Promise<Stamps> {
  const client = new OpenAiHttpClient({baseUrl: url, api: 'completions', model});
  const stamps: Stamps = new Map();
  const measureFrom = performance.now() + WARMUP_MS;
  const deadline = measureFrom + seconds * 1000;
  await Promise.all(Array.from({length: streams}, async (_, worker) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const prompt = promptFor(worker, n);
      let first: bigint | undefined;
      await client.generate({prompt, maxTokens: 64, minTokens: 64, ignoreEos: true}, (event) => {
        if (event.type === 'content' && first === undefined) first = event.t;
      });
      if (first !== undefined && performance.now() > measureFrom) stamps.set(keyOf(prompt), hrtimeToAbsolute(first));
    }
  }));
  await client.close();
  return stamps;
}

async function withRawSockets(url: string): Promise<Stamps> {
  const {hostname, port} = new URL(url);
  const stamps: Stamps = new Map();
  const measureFrom = performance.now() + WARMUP_MS;
  const deadline = measureFrom + seconds * 1000;
  await Promise.all(Array.from({length: streams}, async (_, worker) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const prompt = `raw ${promptFor(worker, n)}`;
      const payload = body(prompt);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname);
        let first: bigint | undefined;
        socket.on('data', (bytes: Buffer) => {
          if (first === undefined && bytes.includes('"text"')) first = process.hrtime.bigint();
          if (bytes.includes('[DONE]')) socket.end();
        });
        socket.on('close', () => {
          if (first !== undefined && performance.now() > measureFrom) stamps.set(keyOf(prompt), hrtimeToAbsolute(first));
          resolve();
        });
        socket.on('error', reject);
        socket.write(`POST /v1/completions HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`);
      });
    }
  }));
  return stamps;
}

function differencesMs(stamps: Stamps, emitted: Record<string, number>): number[] {
  const out: number[] = [];
  for (const [key, at] of stamps) if (emitted[key] !== undefined) out.push((at - emitted[key]!) * 1000);
  return out.sort((a, b) => a - b);
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const server = await startServer();
const ours = await withClient(server.url);
const raw = await withRawSockets(server.url);
const emitted = await server.stop();
console.log(`streams=${streams} seconds=${seconds} per design, ${model} on ${gpu} x${tp} (simulator in a separate process)`);
console.log('| reader | requests | client stamp - server write: p50 / p90 / p99 / max (ms) |');
console.log('|---|---|---|');
for (const [name, stamps] of [['dynamo-plan OpenAiHttpClient', ours], ['baseline: raw socket reader', raw]] as const) {
  const d = differencesMs(stamps, emitted);
  console.log(`| ${name} | ${d.length} | ${q(d, 0.5).toFixed(3)} / ${q(d, 0.9).toFixed(3)} / ${q(d, 0.99).toFixed(3)} / ${d.at(-1)!.toFixed(3)} |`);
}
const p99 = q(differencesMs(ours, emitted), 0.99);
console.log(`goal p99 < 1 ms: ${p99 < 1 ? 'met' : 'NOT met'} (${p99.toFixed(3)} ms)`);
