import type {Worker} from 'node:worker_threads';
import {startModuleWorker} from '../../util/module-worker.js';
import type {EngineGaugeSource} from '../server/metrics.js';
import type {EngineThreadInit, FromEngineThread, GaugeSnapshot, StepSummary, ToEngineThread} from './engine-thread-protocol.js';
import type {EngineListener, EngineRequest, ServingEngine} from './serving-engine.js';

/**
 * A simulated engine whose scheduler runs on its own thread (engine-thread.ts); this side serves the ServingEngine
 * interface to the HTTP front. Gauges are the engine's state as of its last event, at most one step old.
 */
export class ThreadedEngine implements ServingEngine {
  readonly gauges: EngineGaugeSource;
  private readonly worker: Worker;
  private readonly wakeFlag: Int32Array;
  private readonly listeners = new Map<number, {id: string; listener: EngineListener}>();
  private readonly slotById = new Map<string, number>();
  private readonly stepListeners: ((step: StepSummary) => void)[] = [];
  private latest: GaugeSnapshot;
  private nextSlot = 1;
  private exited: Promise<void>;

  private constructor(worker: Worker, wakeFlag: Int32Array, initial: GaugeSnapshot) {
    this.worker = worker;
    this.wakeFlag = wakeFlag;
    this.latest = initial;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    this.gauges = {
      running: () => this.latest.running,
      waiting: () => this.latest.waiting,
      kvCacheUsage: () => this.latest.kvCacheUsage,
      counters: () => this.latest,
    };
    worker.on('message', (message: FromEngineThread) => {
      if (message.type === 'batch') this.deliver(message);
    });
  }

  static async start(options: Omit<EngineThreadInit, 'wakeFlag'>): Promise<ThreadedEngine> {
    const wakeFlag = new Int32Array(new SharedArrayBuffer(4));
    const init: EngineThreadInit = {...options, wakeFlag};
    const worker = startModuleWorker(import.meta.url, 'engine-thread', init);
    const initial = await new Promise<GaugeSnapshot>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: FromEngineThread) => {
        if (message.type === 'ready') resolve(message.gauges);
      });
    });
    return new ThreadedEngine(worker, wakeFlag, initial);
  }

  now(): number {
    return (performance.timeOrigin + performance.now()) / 1000;
  }

  at(time: number, fn: () => void): void {
    setTimeout(fn, Math.max(0, (time - this.now()) * 1000));
  }

  submit(request: EngineRequest, listener: EngineListener): void {
    const slot = this.nextSlot++;
    this.listeners.set(slot, {id: request.id, listener});
    this.slotById.set(request.id, slot);
    this.post({type: 'submit', slot, request});
  }

  abort(id: string): void {
    const slot = this.slotById.get(id);
    if (slot !== undefined) this.post({type: 'abort', slot});
  }

  onStep(listener: (step: StepSummary) => void): void {
    this.stepListeners.push(listener);
  }

  async close(): Promise<void> {
    this.post({type: 'close'});
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
    await this.worker.terminate();
  }

  private post(message: ToEngineThread): void {
    this.worker.postMessage(message);
    Atomics.store(this.wakeFlag, 0, 1);
    Atomics.notify(this.wakeFlag, 0);
  }

  private deliver(batch: Extract<FromEngineThread, {type: 'batch'}>): void {
    this.latest = batch.gauges;
    for (const step of batch.steps) for (const listener of this.stepListeners) listener(step);
    const tokens = batch.tokens;
    for (let i = 0; i < tokens.length; i += 3) this.listeners.get(tokens[i]!)?.listener.onToken(tokens[i + 2]!, tokens[i + 1]!);
    for (const finish of batch.finishes) {
      const entry = this.listeners.get(finish.slot);
      if (!entry) continue;
      this.forget(finish.slot, entry.id);
      entry.listener.onFinish(finish.time, finish.reason, finish.times);
    }
    for (const rejection of batch.rejections) {
      const entry = this.listeners.get(rejection.slot);
      if (!entry) continue;
      this.forget(rejection.slot, entry.id);
      entry.listener.onFinish(this.now(), 'abort', {arrival: 0, scheduled: 0, firstToken: 0, finished: 0, outputTokens: 0, cachedTokens: 0});
    }
  }

  private forget(slot: number, id: string): void {
    this.listeners.delete(slot);
    this.slotById.delete(id);
  }
}
