// The simulator side of timing-truth.bench.ts, in its own process: serves, records when it wrote each request's first
// token (absolute seconds), and on SIGTERM prints those times as one JSON line keyed by the prompt's token ids.
import {startSimulator} from '../../src/sim/simulator.js';

const emitted: Record<string, number> = {};
const [model = 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu = 'h200_sxm', tp = '1'] = process.argv.slice(2);
const sim = await startSimulator({
  model,
  gpu,
  tp: Number(tp),
  port: 0,
  onFirstTokenWritten: (promptTokenIds, timeS) => {
    emitted[promptTokenIds.join(',')] = timeS;
  },
});
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', async () => {
  await sim.close();
  // Exit only once the (large) line is flushed to the pipe.
  process.stdout.write(JSON.stringify(emitted) + '\n', () => process.exit(0));
});
