// One policy replayed on the fleet in virtual time: the planner ticks on its cadence, sees what a live planner would
// (ready engines' forward-pass state, the frontend's traffic window on throughput ticks), and its decisions are
// applied as they would be by a connector, with new engines taking the start-up time to become ready.
import {interrupted} from '../errors/errors.js';
import {createPlannerState, decide, dueLoops, type EngineCapacities, initialSchedule, type PlannerConfig} from '../planner/index.js';
import type {DiagnosticsRecorder} from '../planner/telemetry/index.js';
import {FleetSimulator, type FleetOptions, type FleetRequest, type FleetResult, type TrafficWindow} from '../sim/fleet/index.js';
import type {EngineRole} from '../sim/types.js';
import type {ObservedInterval} from './queue-aware-capacity.js';
import {snapshotFromDecision, trafficObservation} from '../planner/telemetry/from-decision.js';
import type {DecodeTrigger, QueueTrigger, ReplayPolicy, ReplayProgress} from './types.js';

/** Virtual seconds run between yields to the event loop (progress, Ctrl-C). */
const SLICE_S = 60;
/** A run whose requests are stranded (a pool at zero engines) stops this long after the last arrival. */
const OVERRUN_LIMIT_S = 24 * 3600;

export interface PolicyRunInput {
  policy: ReplayPolicy;
  fleet: FleetOptions;
  requests: readonly FleetRequest[];
  /** Per-engine capacity for the throughput loop, or a source of it given the requests that arrived in the interval
   * just observed (their lengths and arrival times: what a live frontend's histograms and rate counters show). */
  capacities: EngineCapacities | ((observed: ObservedInterval) => EngineCapacities);
  /** Prefill tokens per second one engine serves at a prompt length (the queue trigger's drain rate). */
  prefillTokensPerSecond?: (isl: number) => number;
  /** Static policies record a snapshot this often (their throughput interval), for the report. */
  observeIntervalS: number;
  recorder?: DiagnosticsRecorder;
  signal?: AbortSignal;
  onProgress?: (event: ReplayProgress) => void;
}

export interface PolicyRun {
  result: FleetResult;
  /** When the last request finished: GPU time is charged up to here. */
  endS: number;
  ticks: number;
}

export async function runPolicy(input: PolicyRunInput): Promise<PolicyRun> {
  const {policy, requests, recorder} = input;
  const fleet = new FleetSimulator(input.fleet, requests);
  const agg = input.fleet.pools.agg !== undefined;
  let ticks = 0;
  if (policy.kind === 'planner') {
    const {config} = policy;
    let state = createPlannerState(config);
    let seen = 0;
    // Ready prefill engines, time-averaged over the interval since the last throughput tick (the feedback's pool).
    let readySum = 0;
    let readySamples = 0;
    const sampleReady = (f: FleetSimulator) => {
      readySum += f.counts().ready.prefill ?? 0;
      readySamples++;
    };
    let meanIsl: number | undefined;
    const trigger = policy.queueTrigger && input.prefillTokensPerSecond && !agg ? new QueueTriggerState(policy.queueTrigger, config, input.prefillTokensPerSecond) : undefined;
    const decodeTrigger = policy.decodeTrigger && !agg ? new DecodeTriggerState(policy.decodeTrigger, config) : undefined;
    if (policy.ttftFeedback || trigger || decodeTrigger) {
      // The frontend's ISL histogram, as the trigger reads it: the mean prompt of the arrivals since the last look.
      let looked = 0;
      fleet.every(policy.queueTrigger?.intervalS ?? config.load_adjustment_interval, (f) => {
        sampleReady(f);
        let sum = 0;
        const from = looked;
        while (looked < requests.length && requests[looked]!.atS <= f.now()) sum += requests[looked++]!.isl;
        if (looked > from) meanIsl = sum / (looked - from);
        trigger?.check(f, meanIsl);
        decodeTrigger?.check(f);
      });
    }
    // Dynamo's initial_tick: the first load tick one load interval in, the first throughput tick one throughput interval in.
    state.schedule = initialSchedule(config, fleet.now());
    fleet.every(tickIntervalS(config), (f) => {
      const due = dueLoops(config, state.schedule, f.now());
      if (!due.load && !due.throughput) return;
      const tick = f.tickInput();
      let window: TrafficWindow | undefined;
      let capacities = typeof input.capacities === 'function' ? undefined : input.capacities;
      if (due.throughput) {
        window = f.drainTraffic();
        tick.traffic = trafficObservation(window);
        const from = seen;
        while (seen < requests.length && requests[seen]!.atS <= f.now()) seen++;
        const arrived = requests.slice(from, seen);
        if (readySamples === 0) sampleReady(f);
        const prefillEngines = readySum / readySamples;
        readySum = 0;
        readySamples = 0;
        if (typeof input.capacities === 'function') capacities = input.capacities({requests: arrived, startS: f.now() - window.duration_s, endS: f.now(), ttftMs: window.ttft_ms, prefillMs: window.prefill_ms, prefillEngines});
      }
      const decision = decide(config, state, tick, capacities);
      state = decision.state;
      ticks++;
      recorder?.record(snapshotFromDecision(tick, window, decision));
      if (config.advisory) return;
      for (const role of ['prefill', 'decode'] as const) {
        let target = decision.scale_to[role];
        if (role === 'prefill' && target !== null && trigger) target = trigger.floor(target, f.now());
        if (role === 'decode' && target !== null && decodeTrigger) target = decodeTrigger.floor(target, f.now());
        if (target !== null) f.setReplicas(poolRole(role, agg), target);
      }
    });
  } else {
    fleet.every(input.observeIntervalS, (f) => {
      ticks++;
      const tick = f.tickInput();
      const window = f.drainTraffic();
      recorder?.record(snapshotFromDecision({...tick, traffic: trafficObservation(window)}, window, undefined));
    });
  }

  const traceEndS = requests.at(-1)?.atS ?? 0;
  const limitS = traceEndS + OVERRUN_LIMIT_S;
  for (let untilS = SLICE_S; fleet.busy && fleet.now() < limitS; untilS += SLICE_S) {
    fleet.run(Math.min(untilS, limitS));
    input.onProgress?.({type: 'time', policy: policy.name, virtualS: fleet.now(), traceEndS});
    // Yield so a Ctrl-C (and the progress line) is handled between slices of the synchronous simulation.
    await new Promise((resolve) => setImmediate(resolve));
    if (input.signal?.aborted) throw interrupted('Replay interrupted.', 'Nothing was written for the unfinished policy.');
  }
  const result = fleet.result();
  // run(limit) moves the clock to the slice's end; the work ended with the last request (or at the limit).
  const endS = fleet.busy ? fleet.now() : result.records.reduce((last, record) => Math.max(last, record.finishS), 0);
  return {result, endS, ticks};
}

/** The fleet's tick: every load interval when the load loop is on (the throughput loop's ticks fall on it within
 * Dynamo's 0.5 s), else every throughput interval. */
export function tickIntervalS(config: PlannerConfig): number {
  if (!config.enable_load_scaling) return config.throughput_adjustment_interval;
  if (!config.enable_throughput_scaling) return config.load_adjustment_interval;
  return gcdSeconds(config.load_adjustment_interval, config.throughput_adjustment_interval);
}

function gcdSeconds(a: number, b: number): number {
  let x = Math.round(a * 1000);
  let y = Math.round(b * 1000);
  while (y > 0) [x, y] = [y, x % y];
  return x / 1000;
}

function poolRole(role: 'prefill' | 'decode', agg: boolean): EngineRole {
  return role === 'decode' && agg ? 'agg' : role;
}

/**
 * The queue-time trigger (ours, between throughput ticks): when the prefill work queued per ready engine would take
 * more than `share` of the TTFT target to drain, add the engines that bring it back under (at most doubling the pool),
 * once no engine is still starting, within the GPU budget. What it adds is a floor for the planner's later decisions
 * for a start-up plus a throughput interval, so the next throughput tick does not undo it before it shows its effect.
 */
class QueueTriggerState {
  private readonly held: HeldFloor;

  constructor(
    private readonly trigger: QueueTrigger,
    private readonly config: PlannerConfig,
    private readonly tokensPerSecond: (isl: number) => number,
  ) {
    this.held = new HeldFloor(config);
  }

  check(fleet: FleetSimulator, meanIsl: number | undefined): void {
    const counts = fleet.counts();
    const ready = counts.ready.prefill ?? 0;
    const expected = counts.expected.prefill ?? 0;
    if (ready === 0 || expected > ready || meanIsl === undefined) return;
    let queued = 0;
    for (const engine of fleet.engines()) if (engine.role === 'prefill' && engine.state === 'ready') queued += engine.queued_prefill_tokens;
    const queueMs = (queued / ready / this.tokensPerSecond(meanIsl)) * 1000;
    const budgetMs = this.trigger.share * this.config.ttft;
    if (queueMs <= budgetMs) return;
    let target = Math.min(2 * ready, Math.max(ready + 1, Math.ceil((ready * queueMs) / budgetMs)));
    if (this.config.max_gpu_budget >= 0) {
      const decodeGpus = (counts.expected.decode ?? 0) * (this.config.decode_engine_num_gpu ?? 1);
      target = Math.min(target, Math.floor((this.config.max_gpu_budget - decodeGpus) / (this.config.prefill_engine_num_gpu ?? 1)));
    }
    if (target <= ready) return;
    fleet.setReplicas('prefill', target);
    this.held.hold(target, fleet.now());
  }

  /** The planner's prefill target, held at what the trigger added while that is recent. */
  floor(target: number, nowS: number): number {
    return this.held.floor(target, nowS);
  }
}

/**
 * The decode trigger (ours, on the same cadence): prompts whose KV waits for room on the decode engines count against
 * TTFT, and on a long-prompt trace (Mooncake) the opening fleet's decode pool fills its KV caches long before the first
 * throughput tick. When the KV waiting per ready engine exceeds `share` of one engine's KV cache, add an engine per
 * cache-full waiting (at most doubling the pool), once none is starting, within the GPU budget; held like the queue
 * trigger's.
 */
class DecodeTriggerState {
  private readonly held: HeldFloor;

  constructor(
    private readonly trigger: DecodeTrigger,
    private readonly config: PlannerConfig,
  ) {
    this.held = new HeldFloor(config);
  }

  check(fleet: FleetSimulator): void {
    const counts = fleet.counts();
    const ready = counts.ready.decode ?? 0;
    const expected = counts.expected.decode ?? 0;
    const kvTokens = fleet.tickInput().capabilities?.decode?.max_kv_tokens;
    if (ready === 0 || expected > ready || !kvTokens) return;
    let waiting = 0;
    for (const engine of fleet.engines()) if (engine.role === 'decode' && engine.state === 'ready') waiting += engine.queued_decode_kv_tokens;
    if (waiting <= this.trigger.share * kvTokens * ready) return;
    let target = Math.min(2 * ready, ready + Math.ceil(waiting / kvTokens));
    if (this.config.max_gpu_budget >= 0) {
      const prefillGpus = (counts.expected.prefill ?? 0) * (this.config.prefill_engine_num_gpu ?? 1);
      target = Math.min(target, Math.floor((this.config.max_gpu_budget - prefillGpus) / (this.config.decode_engine_num_gpu ?? 1)));
    }
    if (target <= ready) return;
    fleet.setReplicas('decode', target);
    this.held.hold(target, fleet.now());
  }

  /** The planner's decode target, held at what the trigger added while that is recent. */
  floor(target: number, nowS: number): number {
    return this.held.floor(target, nowS);
  }
}

/** What a trigger added, held as a floor of the planner's target for a start-up plus a throughput interval. */
class HeldFloor {
  private count = 0;
  private untilS = -Infinity;

  constructor(private readonly config: PlannerConfig) {}

  hold(count: number, nowS: number): void {
    this.count = count;
    this.untilS = nowS + this.config.engine_startup_s + this.config.throughput_adjustment_interval;
  }

  floor(target: number, nowS: number): number {
    return nowS < this.untilS ? Math.max(target, this.count) : target;
  }
}
