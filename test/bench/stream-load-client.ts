// A load client run in its own process by realtime-fidelity.bench.ts, so the server's event loop is measured as it
// would be in `sim serve`: N concurrent streams, each sending the next request when the last ends, for D seconds.
// Usage: npx tsx test/bench/stream-load-client.ts URL MODEL STREAMS SECONDS
import {Agent, request} from 'node:http';

const [url, model, streamsArg, secondsArg] = process.argv.slice(2);
const target = new URL(url!);
const deadline = performance.now() + Number(secondsArg) * 1000;
const body = JSON.stringify({model, prompt: 'benchmark '.repeat(100), max_tokens: 256, ignore_eos: true, stream: true});
// Keep-alive connections, as real load generators use; no cap on sockets.
const agent = new Agent({keepAlive: true, maxSockets: Infinity});
let completed = 0;
let bytes = 0;

function stream(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({host: target.hostname, port: target.port, path: '/v1/completions', method: 'POST', agent, headers: {'content-type': 'application/json'}}, (res) => {
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        completed++;
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) await stream();
}

await Promise.all(Array.from({length: Number(streamsArg)}, worker));
process.stdout.write(JSON.stringify({completed, bytes}) + '\n');
