import {SimEngine} from '../engine/sim-engine.js';
import type {SchedulerConfig, StepInfo} from '../scheduler/index.js';
import type {Clock, EngineRole, StepCostModel} from '../types.js';
import type {EngineObservation, EngineRecord, EngineState} from './types.js';

/**
 * One replica of a pool: a SimEngine on the fleet's clock, its lifecycle, and the counters the router and the planner
 * read. The counters are kept by the fleet as legs are submitted, admitted and finished, so reading them costs nothing.
 */
export class FleetEngine {
  readonly engine: SimEngine;
  state: EngineState = 'starting';
  readonly requestedS: number;
  readyS: number | null = null;
  drainS: number | null = null;
  stoppedS: number | null = null;
  served = 0;

  /** Requests held (waiting or running). */
  inFlight = 0;
  /** Prompt tokens of the requests held: the router's load measure (see router.ts). */
  inFlightPromptTokens = 0;
  /** Prompt tokens of held requests not yet admitted into a batch. */
  queuedPromptTokens = 0;

  // The latest step, as the scheduler announced it when it started.
  private stepStart = 0;
  private stepEnd = -1;
  private stepPrefillTokens = 0;
  private stepPrefillSeqs = 0;
  private stepDecodeSeqs = 0;
  private stepDecodeKvTokens = 0;

  constructor(
    readonly id: string,
    readonly role: EngineRole,
    readonly gpus: number,
    config: SchedulerConfig,
    costModel: StepCostModel,
    clock: Clock,
  ) {
    this.requestedS = clock.now();
    this.engine = new SimEngine(config, costModel, clock);
    this.engine.onStep(this.recordStep);
  }

  /** Ready and not draining: the router may send it work. */
  get accepting(): boolean {
    return this.state === 'ready';
  }

  /** The planner's view at `nowS`: the step running then, or zeros when the engine is idle. */
  observe(nowS: number): EngineObservation {
    const stepping = nowS <= this.stepEnd;
    return {
      worker_id: this.id,
      role: this.role,
      state: this.state,
      queued_prefill_tokens: this.role === 'decode' ? 0 : this.queuedPromptTokens,
      scheduled_prefill_tokens: stepping ? this.stepPrefillTokens : 0,
      num_prefill_requests: stepping ? this.stepPrefillSeqs : 0,
      num_decode_requests: stepping ? this.stepDecodeSeqs : 0,
      scheduled_decode_kv_tokens: stepping ? this.stepDecodeKvTokens : 0,
      queued_decode_kv_tokens: this.role === 'decode' ? this.queuedPromptTokens : 0,
      wall_time_s: stepping ? this.stepEnd - this.stepStart : 0,
      in_flight: this.inFlight,
    };
  }

  record(): EngineRecord {
    return {
      id: this.id,
      role: this.role,
      gpus: this.gpus,
      requestedS: this.requestedS,
      readyS: this.readyS,
      drainS: this.drainS,
      stoppedS: this.stoppedS,
      served: this.served,
      steps: this.engine.scheduler.counters.steps,
    };
  }

  /** GPU-seconds from being asked for until stopped, or until `nowS` while it lives. */
  gpuSeconds(nowS: number): number {
    return this.gpus * ((this.stoppedS ?? nowS) - this.requestedS);
  }

  private readonly recordStep = (info: StepInfo): void => {
    this.stepStart = info.start;
    this.stepEnd = info.end;
    this.stepPrefillTokens = info.shape.prefillTokens;
    this.stepPrefillSeqs = info.shape.prefillSeqs;
    this.stepDecodeSeqs = info.shape.decodeSeqs;
    this.stepDecodeKvTokens = info.shape.decodeKvTokens;
  };
}
