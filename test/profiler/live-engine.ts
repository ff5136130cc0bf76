// The simulator on a thread and a client for it: the real engine over real sockets that these tests measure.
import {createEngineClient} from '../../src/engine/create-client.js';
import type {EngineClient} from '../../src/engine/types.js';
import {PromptBuilder} from '../../src/loadgen/prompts.js';
import {startSimulatorOnThread, type SimulatorOnThread} from '../../src/sim/simulator.js';

export interface LiveEngine {
  sim: SimulatorOnThread;
  url: string;
  client: EngineClient;
  builder: PromptBuilder;
  close(): Promise<void>;
}

export async function startLiveEngine(): Promise<LiveEngine> {
  const sim = await startSimulatorOnThread({model: 'Qwen/Qwen3-0.6B', gpu: 'h100_sxm', port: 0});
  const url = sim.info.url;
  const {client, tokenize} = await createEngineClient({api: 'completions', url, requestTimeoutS: 30, stallTimeoutS: 10});
  return {
    sim,
    url,
    client,
    builder: new PromptBuilder({tokenize}),
    async close() {
      await client.close();
      await sim.close();
    },
  };
}
