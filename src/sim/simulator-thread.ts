// A whole simulator (HTTP and gRPC fronts, and its engine thread) on a worker thread of its own, for commands that
// start one and then load it from the same process (bench): the load generator's event loop and the simulator's
// then never delay each other.
import {parentPort, workerData} from 'node:worker_threads';
import {startSimulator, type SimulatorOptions} from './simulator.js';

const port = parentPort!;
try {
  const simulator = await startSimulator(workerData as SimulatorOptions);
  port.on('message', async (message: {type: 'close'}) => {
    if (message.type !== 'close') return;
    await simulator.close();
    port.postMessage({type: 'closed'});
    port.close();
  });
  port.postMessage({type: 'ready', info: simulator.info});
} catch (error) {
  const {message, options} = error as {message: string; options?: unknown};
  port.postMessage({type: 'failed', error: {message, options}});
}
