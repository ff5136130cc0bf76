// One policy replayed on the fleet in virtual time: the planner ticks on its cadence, sees what a live planner would
// (ready engines' forward-pass state, the frontend's traffic window on throughput ticks), and its decisions are
// applied as they would be by a connector, with new engines taking the start-up time to become ready.
import {interrupted} from '../errors/errors.js';
import {createPlannerState, decide, dueLoops, type EngineCapacities, initialSchedule, loadCadenceOn, type PlannerConfig} from '../planner/index.js';
import {arrivalCounts, arrivalWindowS} from '../planner/queue-model/arrivals.js';
import type {DiagnosticsRecorder} from '../planner/telemetry/index.js';
import {FleetSimulator, type FleetOptions, type FleetRequest, type FleetResult, type TrafficWindow} from '../sim/fleet/index.js';
import type {EngineRole} from '../sim/types.js';
import {snapshotFromDecision, trafficObservation} from '../planner/telemetry/from-decision.js';
import type {ReplayPolicy, ReplayProgress} from './types.js';

/** Virtual seconds run between yields to the event loop (progress, Ctrl-C). */
const SLICE_S = 60;
/** A run whose requests are stranded (a pool at zero engines) stops this long after the last arrival. */
const OVERRUN_LIMIT_S = 24 * 3600;

export interface PolicyRunInput {
  policy: ReplayPolicy;
  fleet: FleetOptions;
  requests: readonly FleetRequest[];
  /** Per-engine capacity for the throughput loop (from the profiles, with their fitted models for the queue model). */
  capacities: EngineCapacities;
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
    const arrivals = new IntervalArrivals(requests, arrivalWindowS(config));
    // Dynamo's initial_tick: the first load tick one load interval in, the first throughput tick one throughput interval in.
    state.schedule = initialSchedule(config, fleet.now());
    fleet.every(tickIntervalS(config), (f) => {
      const due = dueLoops(config, state.schedule, f.now());
      if (!due.load && !due.throughput) return;
      const tick = f.tickInput();
      let window: TrafficWindow | undefined;
      if (due.throughput) {
        window = f.drainTraffic();
        tick.traffic = {...trafficObservation(window), ...arrivals.take(window.startS, f.now())};
      }
      const decision = decide(config, state, tick, input.capacities);
      state = decision.state;
      ticks++;
      recorder?.record(snapshotFromDecision(tick, window, decision));
      if (config.advisory) return;
      for (const role of ['prefill', 'decode'] as const) {
        const target = decision.scale_to[role];
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

/** The fleet's tick: every load interval when the load cadence is on (the throughput loop's ticks fall on it within
 * Dynamo's 0.5 s), else every throughput interval. */
export function tickIntervalS(config: PlannerConfig): number {
  if (!loadCadenceOn(config)) return config.throughput_adjustment_interval;
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
 * What the frontend saw of the interval's arrivals, for the queue model: each request's lengths and the arrivals per
 * window (a live frontend's ISL/OSL histograms and request counter give the same, coarser).
 */
class IntervalArrivals {
  private next = 0;

  constructor(
    private readonly requests: readonly FleetRequest[],
    private readonly windowS: number,
  ) {}

  take(startS: number, endS: number): {lengths: {isl: number; osl: number}[]; arrivals: {window_s: number; counts: number[]}} {
    const lengths: {isl: number; osl: number}[] = [];
    const times: number[] = [];
    while (this.next < this.requests.length && this.requests[this.next]!.atS <= endS) {
      const request = this.requests[this.next++]!;
      lengths.push({isl: request.isl, osl: request.osl});
      times.push(request.atS);
    }
    return {lengths, arrivals: {window_s: this.windowS, counts: arrivalCounts(times, startS, endS, this.windowS)}};
  }
}
