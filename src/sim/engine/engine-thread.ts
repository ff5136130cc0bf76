// The engine thread: a scheduler on a real-time clock, alone on its event loop, as vLLM runs its engine core apart
// from the API server. HTTP parsing, SSE writes and their garbage collection on the main thread then cannot delay a
// step. Tokens go back to the main thread in one message per engine event.

import {setPriority} from 'node:os';
import {parentPort, workerData} from 'node:worker_threads';
import {createStepCostModel} from '../cost/index.js';
import {RealClock} from '../clock/index.js';
import type {EngineThreadBatch, EngineThreadInit, GaugeSnapshot, ToEngineThread} from './engine-thread-protocol.js';
import {SimEngine} from './sim-engine.js';

const port = parentPort!;
// On Linux, nice values are per thread: raise this one so that on a busy machine the HTTP thread, a load
// generator or anything else runnable cannot hold a step start behind their time slices. Unprivileged users
// may not raise priority; the engine then runs at normal priority.
try {
  setPriority(-10);
} catch {}

const {config, spec, wakeFlag} = workerData as EngineThreadInit;
const clock = new RealClock({wakeFlag, spinLeadS: 0.004});
const engine = new SimEngine(config, createStepCostModel(spec), clock);
const idBySlot = new Map<number, string>();
let outbox: EngineThreadBatch | undefined;

function gauges(): GaugeSnapshot {
  const counters = engine.gauges.counters();
  return {running: engine.gauges.running(), waiting: engine.gauges.waiting(), kvCacheUsage: engine.gauges.kvCacheUsage(), ...counters};
}

/** The batch being filled; it is posted once the current event has run to completion. */
function batch(): EngineThreadBatch {
  if (!outbox) {
    outbox = {type: 'batch', tokens: [], finishes: [], rejections: [], steps: [], gauges: gauges()};
    queueMicrotask(flush);
  }
  return outbox;
}

function flush(): void {
  if (!outbox) return;
  outbox.gauges = gauges();
  port.postMessage(outbox);
  outbox = undefined;
}

engine.onStep((step) => {
  batch().steps.push({scheduledTokens: step.scheduledTokens, plannedStart: step.plannedStart, start: step.start, numRunning: step.numRunning});
});

port.on('message', (message: ToEngineThread) => {
  if (message.type === 'submit') {
    const {slot, request} = message;
    idBySlot.set(slot, request.id);
    try {
      engine.submit(request, {
        onToken: (time, index) => batch().tokens.push(slot, index, time),
        onFinish: (time, reason, times) => {
          idBySlot.delete(slot);
          batch().finishes.push({slot, time, reason, times});
        },
      });
    } catch (error) {
      idBySlot.delete(slot);
      batch().rejections.push({slot, message: (error as Error).message});
    }
  } else if (message.type === 'abort') {
    const id = idBySlot.get(message.slot);
    if (id !== undefined) engine.abort(id);
  } else {
    engine.close();
    clock.close();
    flush();
    port.close();
  }
});

port.postMessage({type: 'ready', gauges: gauges()});
