import {Scheduler, type SchedulerConfig, type StepInfo} from '../scheduler/index.js';
import type {Clock, StepCostModel} from '../types.js';
import type {EngineGaugeSource} from '../server/metrics.js';
import type {EngineListener, EngineRequest, ServingEngine} from './serving-engine.js';

/**
 * One simulated engine: a vLLM V1 scheduler timed by a cost model on a clock. The same object serves HTTP in real
 * time (RealClock) and runs discrete-event simulations (VirtualClock).
 */
export class SimEngine implements ServingEngine {
  readonly scheduler: Scheduler;
  readonly gauges: EngineGaugeSource;
  private readonly stepListeners: ((info: StepInfo) => void)[] = [];

  constructor(config: SchedulerConfig, costModel: StepCostModel, private readonly clock: Clock) {
    this.scheduler = new Scheduler(config, costModel, clock, {
      onStep: (info) => {
        for (const listener of this.stepListeners) listener(info);
      },
    });
    const scheduler = this.scheduler;
    this.gauges = {
      running: () => scheduler.numRunning,
      waiting: () => scheduler.numWaiting,
      kvCacheUsage: () => scheduler.kvCacheUsage,
      counters: () => ({
        promptTokens: scheduler.counters.promptTokens,
        generationTokens: scheduler.counters.generationTokens,
        preemptions: scheduler.counters.preemptions,
        prefixQueries: scheduler.counters.prefixCacheQueries,
        prefixHits: scheduler.counters.prefixCacheHits,
      }),
    };
  }

  now(): number {
    return this.clock.now();
  }

  at(time: number, fn: () => void): void {
    this.clock.schedule(time, fn);
  }

  submit(request: EngineRequest, listener: EngineListener): void {
    this.scheduler.submit(
      {
        id: request.id,
        promptTokens: request.promptTokens,
        maxTokens: request.maxTokens,
        minTokens: request.minTokens,
        eosAfter: request.eosAfter,
        blockHashes: request.blockHashes,
      },
      {
        onToken: (time, index) => listener.onToken(time, index),
        onFinish: (time, reason, stats) =>
          listener.onFinish(time, reason, {
            arrival: stats.arrivalTime,
            scheduled: stats.firstScheduledTime ?? time,
            firstToken: stats.firstTokenTime ?? time,
            finished: stats.finishTime,
            outputTokens: stats.outputTokens,
            cachedTokens: stats.cachedTokens,
          }),
      },
    );
  }

  abort(id: string): void {
    this.scheduler.abort(id);
  }

  onStep(listener: (info: StepInfo) => void): void {
    this.stepListeners.push(listener);
  }

  close(): void {
    this.scheduler.close();
  }
}
