import {badInput} from '../../errors/errors.js';
import type {ReplicaCounts} from '../../planner/connectors/types.js';
import type {DecodeEngineObservation, PrefillEngineObservation, TickInput, WorkerCapability} from '../../planner/tick.js';
import {seededRandom} from '../../util/hash.js';
import {VirtualClock} from '../clock/index.js';
import {createStepCostModel} from '../cost/index.js';
import {engineSchedulerConfig} from '../engine/scheduler-config.js';
import {requestProblem, type FinishReason, type RequestListener, type RequestStats, type SchedulerConfig} from '../scheduler/index.js';
import type {EngineRole, StepCostModel, TimerHandle} from '../types.js';
import {FleetEngine} from './fleet-engine.js';
import {blockHashesFromIds} from './requests.js';
import {pickLeastLoaded} from './router.js';
import type {
  EngineObservation,
  FleetOptions,
  FleetRequest,
  FleetResult,
  PoolOptions,
  RequestRecord,
  ScalingEvent,
  TrafficWindow,
} from './types.js';

const ROLES: readonly EngineRole[] = ['agg', 'prefill', 'decode'];

interface Pool {
  role: EngineRole;
  options: PoolOptions;
  config: SchedulerConfig;
  costModel: StepCostModel;
  startupS: number;
  /** Engines not yet stopped (starting, ready or draining), oldest first. */
  engines: FleetEngine[];
  /** Requests routed here while no engine accepted work, first come first served. */
  pending: Flight[];
  created: number;
}

/**
 * One request on its way through the fleet, and the scheduler's listener for whichever leg it is on: a
 * disaggregated request runs its prefill leg, then its decode leg, never both at once, so one object serves both.
 */
class Flight implements RequestListener {
  readonly id: string;
  engine: FleetEngine | undefined;
  /** The current leg has been admitted into a batch (its prompt left the queue). */
  admitted = false;
  prefillEngine: string | null = null;
  prefillEndS: number | null = null;
  cachedTokens = 0;

  constructor(
    readonly index: number,
    readonly request: FleetRequest,
    private readonly finished: (flight: Flight, t: number, reason: FinishReason, stats: RequestStats) => void,
  ) {
    this.id = String(index);
  }

  onScheduled(): void {
    this.admitted = true;
    this.engine!.queuedPromptTokens -= this.request.isl;
  }

  onFinish(t: number, reason: FinishReason, stats: RequestStats): void {
    this.finished(this, t, reason, stats);
  }
}

/** Running sums over the requests of one traffic window. */
class TrafficSums {
  arrived = 0;
  finished = 0;
  isl = 0;
  osl = 0;
  ttftS = 0;
  ttftCount = 0;
  prefillS = 0;
  prefillLegs = 0;
  decodeS = 0;
  gaps = 0;
  cached = 0;

  constructor(readonly startS: number) {}
}

/**
 * A deployment of simulated engines in virtual time: per-role pools of vLLM V1 schedulers timed by the roofline cost
 * model, a least-loaded router, engines that start up and drain, and the load replayed against them. Pure and
 * deterministic for its options and load: nothing but the virtual clock tells time.
 *
 * A caller drives it with run()/runUntil() and may act between calls or on a cadence with every(): observe
 * (engines(), tickInput(), drainTraffic()) and scale (setReplicas()). result() reads off what happened so far.
 *
 * Request path: after the entry pool's frontend overhead (spec.requestOverheadSeconds, as `sim serve` adds it), an
 * aggregated engine serves the whole request; disaggregated, a prefill engine computes the prompt (max_tokens 1 there),
 * then after kvTransferS a decode engine (role decode) takes its KV and emits the first token the client sees.
 */
export class FleetSimulator {
  readonly clock = new VirtualClock();
  private readonly pools = new Map<EngineRole, Pool>();
  private readonly entry: Pool;
  private readonly decode: Pool | undefined;
  private readonly kvTransferS: number;
  private readonly random: () => number;
  private readonly requests: readonly FleetRequest[];
  private nextArrival = 0;
  /** Arrived and not finished, wherever they are (routing, pending, on an engine, in KV transfer). */
  private open = 0;
  private readonly records: RequestRecord[] = [];
  private readonly allEngines: FleetEngine[] = [];
  private readonly scalingEvents: ScalingEvent[] = [];
  private outputTokens = 0;
  /** The pending timer of each every() callback. */
  private readonly periodic = new Set<{handle: TimerHandle}>();
  private traffic = new TrafficSums(0);

  constructor(options: FleetOptions, requests: readonly FleetRequest[]) {
    const {pools} = options;
    if (pools.agg !== undefined && (pools.prefill !== undefined || pools.decode !== undefined)) {
      throw badInput('A fleet is aggregated (agg) or disaggregated (prefill + decode), not both.', 'Give pools.agg alone, or pools.prefill and pools.decode.', 'E_BAD_FLEET');
    }
    if (pools.agg === undefined && (pools.prefill === undefined || pools.decode === undefined)) {
      throw badInput('A disaggregated fleet needs both a prefill and a decode pool.', 'Give pools.agg alone, or pools.prefill and pools.decode.', 'E_BAD_FLEET');
    }
    for (const role of ROLES) {
      const pool = pools[role];
      if (pool !== undefined) this.pools.set(role, createPool(role, pool));
    }
    this.entry = this.pools.get('agg') ?? this.pools.get('prefill')!;
    this.decode = this.pools.get('decode');
    this.kvTransferS = nonNegative('kvTransferS', options.kvTransferS ?? 0);
    this.random = seededRandom(options.seed ?? 0);
    checkRequests(requests, [...this.pools.values()]);
    this.requests = requests;
    for (const pool of this.pools.values()) {
      for (let i = 0; i < pool.options.replicas; i++) this.markReady(this.addEngine(pool));
    }
    this.scheduleArrival();
  }

  now(): number {
    return this.clock.now();
  }

  /** Runs every event due up to `limitS` (default: until nothing is left to do) and returns the time reached. */
  run(limitS = Infinity): number {
    this.clock.runUntil(limitS);
    return this.clock.now();
  }

  /** Whether load remains: requests still to arrive or not finished. */
  get busy(): boolean {
    return this.nextArrival < this.requests.length || this.open > 0;
  }

  /**
   * Calls `fn` every `intervalS` of virtual time from now (first call at now + intervalS) until the load is done (the
   * call due after the last request finishes is dropped, so the run ends, and GPU time stops, with the last request).
   * Returns a function that cancels it. Requests stranded in a pool with no engine keep the load open, so a run with
   * a callback then only ends at its limit: that is what lets a planner scale up from zero.
   */
  every(intervalS: number, fn: (fleet: FleetSimulator) => void): () => void {
    if (!(intervalS > 0 && Number.isFinite(intervalS))) throw badInput(`The callback interval must be a positive number of seconds, got ${intervalS}.`, undefined, 'E_BAD_FLEET');
    const startS = this.clock.now();
    let ticks = 1;
    const periodic = {handle: this.clock.schedule(startS + intervalS, () => tick())};
    const tick = (): void => {
      fn(this);
      // Multiples of the interval from the start, so the cadence does not drift with rounding.
      if (this.periodic.has(periodic)) periodic.handle = this.clock.schedule(startS + ++ticks * intervalS, tick);
    };
    this.periodic.add(periodic);
    if (!this.busy) this.stopPeriodic();
    return () => {
      this.periodic.delete(periodic);
      this.clock.cancel(periodic.handle);
    };
  }

  /**
   * Sets a pool's replica target now. New engines cost GPU time from now and take work after the pool's startupS.
   * Removing engines takes starting ones first (they serve nothing yet), youngest first; then ready ones, least
   * loaded first, so the drain ends and the GPUs are freed soonest (ties: the youngest, keeping warm caches). A
   * removed engine takes no new work, finishes what it holds, and stops after its last request.
   */
  setReplicas(role: EngineRole, replicas: number): void {
    const pool = this.pool(role);
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw badInput(`Replica counts are whole numbers >= 0, got ${replicas} for ${role}.`, undefined, 'E_BAD_FLEET');
    }
    const active = pool.engines.filter((engine) => engine.state === 'starting' || engine.state === 'ready');
    if (replicas === active.length) return;
    const now = this.clock.now();
    this.scalingEvents.push({atS: now, role, from: active.length, to: replicas});
    for (let i = active.length; i < replicas; i++) {
      const engine = this.addEngine(pool);
      this.clock.schedule(now + pool.startupS, () => {
        if (engine.state === 'starting') this.markReady(engine);
      });
    }
    const victims = active.toSorted(removalOrder).slice(0, Math.max(0, active.length - replicas));
    for (const engine of victims) {
      engine.drainS = now;
      if (engine.state === 'starting' || engine.inFlight === 0) this.stop(engine, now);
      else engine.state = 'draining';
    }
  }

  /** Engines per role, as a planner connector reports them: ready ones, and those asked for (ready or starting). */
  counts(): ReplicaCounts {
    const counts: ReplicaCounts = {ready: {}, expected: {}};
    for (const [role, pool] of this.pools) {
      counts.ready[role] = pool.engines.filter((engine) => engine.state === 'ready').length;
      counts.expected[role] = pool.engines.filter((engine) => engine.state === 'ready' || engine.state === 'starting').length;
    }
    return counts;
  }

  /** Every engine not yet stopped, as the planner would observe it now. */
  engines(): EngineObservation[] {
    const now = this.clock.now();
    const observations: EngineObservation[] = [];
    for (const pool of this.pools.values()) for (const engine of pool.engines) observations.push(engine.observe(now));
    return observations;
  }

  /** The traffic since the previous drain (or the start), and a new window from now. */
  drainTraffic(): TrafficWindow {
    const sums = this.traffic;
    const now = this.clock.now();
    this.traffic = new TrafficSums(now);
    const perFinished = (sum: number) => (sums.finished === 0 ? null : sum / sums.finished);
    return {
      startS: sums.startS,
      duration_s: now - sums.startS,
      num_req: sums.arrived,
      finished: sums.finished,
      isl: perFinished(sums.isl),
      osl: perFinished(sums.osl),
      ttft_ms: sums.ttftCount === 0 ? null : (sums.ttftS / sums.ttftCount) * 1000,
      prefill_ms: sums.prefillLegs === 0 ? null : (sums.prefillS / sums.prefillLegs) * 1000,
      itl_ms: sums.gaps === 0 ? null : (sums.decodeS / sums.gaps) * 1000,
      kv_hit_rate: sums.isl === 0 ? null : sums.cached / sums.isl,
    };
  }

  /**
   * The planner's tick input now (src/planner/tick.ts). Only ready engines are listed, matching the ready counts.
   * `traffic: true` drains the traffic window into it (the throughput tick); leave it out on load-only ticks.
   * An aggregated pool is reported as the decode component (Dynamo's agg worker is its decode worker): its counts,
   * capabilities and engines under decode, each engine with its queued_prefill_tokens.
   */
  tickInput(options: {traffic?: boolean} = {}): TickInput {
    const now = this.clock.now();
    const tick: TickInput = {now_s: now, worker_counts: {}, capabilities: {}, engines: {}};
    const prefillPool = this.pools.get('prefill');
    const decodePool = this.decode ?? this.pools.get('agg')!;
    const counts = this.counts();
    if (prefillPool) {
      tick.worker_counts!.ready_num_prefill = counts.ready.prefill;
      tick.worker_counts!.expected_num_prefill = counts.expected.prefill;
      tick.capabilities!.prefill = capability(prefillPool);
    }
    tick.worker_counts!.ready_num_decode = counts.ready[decodePool.role];
    tick.worker_counts!.expected_num_decode = counts.expected[decodePool.role];
    tick.capabilities!.decode = capability(decodePool);
    const prefillEngines: PrefillEngineObservation[] = [];
    const decodeEngines: DecodeEngineObservation[] = [];
    for (const pool of this.pools.values()) {
      for (const engine of pool.engines) {
        if (engine.state !== 'ready') continue;
        const seen = engine.observe(now);
        if (pool.role === 'prefill') {
          prefillEngines.push({
            worker_id: seen.worker_id,
            dp_rank: 0,
            queued_prefill_tokens: seen.queued_prefill_tokens,
            scheduled_prefill_tokens: seen.scheduled_prefill_tokens,
            num_prefill_requests: seen.num_prefill_requests,
            wall_time_s: seen.wall_time_s,
          });
          continue;
        }
        decodeEngines.push({
          worker_id: seen.worker_id,
          dp_rank: 0,
          num_decode_requests: seen.num_decode_requests,
          scheduled_decode_kv_tokens: seen.scheduled_decode_kv_tokens,
          queued_decode_kv_tokens: seen.queued_decode_kv_tokens,
          ...(pool.role === 'agg' ? {queued_prefill_tokens: seen.queued_prefill_tokens} : {}),
          wall_time_s: seen.wall_time_s,
        });
      }
    }
    tick.engines = prefillPool ? {prefill: prefillEngines, decode: decodeEngines} : {decode: decodeEngines};
    if (options.traffic) {
      const window = this.drainTraffic();
      tick.traffic = {
        duration_s: window.duration_s,
        num_req: window.num_req,
        ...(window.isl === null ? {} : {isl: window.isl}),
        ...(window.osl === null ? {} : {osl: window.osl}),
        ...(window.kv_hit_rate === null ? {} : {kv_hit_rate: window.kv_hit_rate}),
      };
    }
    return tick;
  }

  /** What happened up to now. Engines still alive are charged GPU time up to now. */
  result(): FleetResult {
    const now = this.clock.now();
    const gpuSecondsByRole: Partial<Record<EngineRole, number>> = {};
    let gpuSeconds = 0;
    for (const engine of this.allEngines) {
      const seconds = engine.gpuSeconds(now);
      gpuSeconds += seconds;
      gpuSecondsByRole[engine.role] = (gpuSecondsByRole[engine.role] ?? 0) + seconds;
    }
    return {
      endS: now,
      records: this.records.slice(),
      unfinished: this.requests.length - this.records.length,
      engines: this.allEngines.map((engine) => engine.record()),
      scalingEvents: this.scalingEvents.slice(),
      gpuSeconds,
      gpuSecondsByRole,
      outputTokens: this.outputTokens,
    };
  }

  private stopPeriodic(): void {
    for (const periodic of this.periodic) this.clock.cancel(periodic.handle);
    this.periodic.clear();
  }

  private pool(role: EngineRole): Pool {
    const pool = this.pools.get(role);
    if (pool === undefined) throw badInput(`This fleet has no ${role} pool.`, `Its pools: ${[...this.pools.keys()].join(', ')}.`, 'E_BAD_FLEET');
    return pool;
  }

  private addEngine(pool: Pool): FleetEngine {
    const engine = new FleetEngine(`${pool.role}-${pool.created++}`, pool.role, pool.options.spec.tp, pool.config, pool.costModel, this.clock);
    pool.engines.push(engine);
    this.allEngines.push(engine);
    return engine;
  }

  private markReady(engine: FleetEngine): void {
    engine.state = 'ready';
    engine.readyS = this.clock.now();
    const pool = this.pools.get(engine.role)!;
    const pending = pool.pending;
    pool.pending = [];
    for (const flight of pending) this.route(pool, flight);
  }

  private stop(engine: FleetEngine, t: number): void {
    engine.state = 'stopped';
    engine.stoppedS = t;
    engine.engine.close();
    const pool = this.pools.get(engine.role)!;
    pool.engines = pool.engines.filter((other) => other !== engine);
  }

  private scheduleArrival(): void {
    const request = this.requests[this.nextArrival];
    if (request !== undefined) this.clock.schedule(request.atS, this.arrive);
  }

  /** One arrival at a time is on the clock, so the event queue stays small however long the load. */
  private readonly arrive = (): void => {
    const index = this.nextArrival++;
    const flight = new Flight(index, this.requests[index]!, this.legFinished);
    this.open++;
    this.traffic.arrived++;
    const overheadS = this.entry.options.spec.requestOverheadSeconds;
    if (overheadS > 0) this.clock.schedule(this.clock.now() + overheadS, () => this.route(this.entry, flight));
    else this.route(this.entry, flight);
    this.scheduleArrival();
  };

  private route(pool: Pool, flight: Flight): void {
    const engine = pickLeastLoaded(pool.engines, this.random);
    if (engine === undefined) {
      pool.pending.push(flight);
      return;
    }
    const {isl, osl, hashIds} = flight.request;
    flight.engine = engine;
    flight.admitted = false;
    engine.inFlight++;
    engine.inFlightPromptTokens += isl;
    engine.queuedPromptTokens += isl;
    const blockHashes = hashIds !== undefined && pool.config.enablePrefixCaching && pool.role !== 'decode'
      ? blockHashesFromIds(hashIds, isl, pool.config.blockSize)
      : undefined;
    // max_tokens is the request's on every leg, so every engine accepts what the frontend accepted; the prefill
    // role itself stops after one token.
    engine.engine.scheduler.submit({id: flight.id, promptTokens: isl, maxTokens: osl, blockHashes}, flight);
  }

  private readonly legFinished = (flight: Flight, t: number, reason: FinishReason, stats: RequestStats): void => {
    const engine = flight.engine!;
    const {isl} = flight.request;
    engine.inFlight--;
    engine.inFlightPromptTokens -= isl;
    if (!flight.admitted) engine.queuedPromptTokens -= isl;
    engine.served++;
    if (engine.state === 'draining' && engine.inFlight === 0) this.stop(engine, t);
    if (engine.role === 'prefill') {
      flight.prefillEngine = engine.id;
      flight.prefillEndS = t;
      flight.cachedTokens = stats.cachedTokens;
      if (reason !== 'abort') {
        this.traffic.prefillS += t - flight.request.atS;
        this.traffic.prefillLegs++;
        const decode = this.decode!;
        if (this.kvTransferS > 0) this.clock.schedule(t + this.kvTransferS, () => this.route(decode, flight));
        else this.route(decode, flight);
        return;
      }
    } else if (engine.role === 'agg') {
      flight.cachedTokens = stats.cachedTokens;
    }
    this.complete(flight, engine, t, reason, stats);
  };

  private complete(flight: Flight, engine: FleetEngine, t: number, reason: FinishReason, stats: RequestStats): void {
    const {atS, isl, osl} = flight.request;
    const outputTokens = engine.role === 'prefill' ? 0 : stats.outputTokens;
    const firstTokenS = engine.role === 'prefill' ? null : (stats.firstTokenTime ?? null);
    const itlGaps = Math.max(0, outputTokens - 1);
    const ttftS = firstTokenS === null ? null : firstTokenS - atS;
    const meanItlS = firstTokenS === null || itlGaps === 0 ? null : (t - firstTokenS) / itlGaps;
    this.records.push({
      index: flight.index,
      arrivalS: atS,
      isl,
      osl,
      firstTokenS,
      finishS: t,
      ttftS,
      meanItlS,
      itlGaps,
      e2eS: t - atS,
      outputTokens,
      finishReason: reason,
      prefillEngine: flight.prefillEngine,
      prefillEndS: flight.prefillEndS,
      engine: engine.id,
      cachedTokens: flight.cachedTokens,
      preemptions: stats.preemptions,
    });
    this.open--;
    if (!this.busy) this.stopPeriodic();
    this.outputTokens += outputTokens;
    const sums = this.traffic;
    sums.finished++;
    sums.isl += isl;
    sums.osl += outputTokens;
    sums.cached += flight.cachedTokens;
    if (ttftS !== null) {
      sums.ttftS += ttftS;
      sums.ttftCount++;
    }
    if (meanItlS !== null) {
      sums.decodeS += t - firstTokenS!;
      sums.gaps += itlGaps;
    }
  }
}

function createPool(role: EngineRole, options: PoolOptions): Pool {
  if (!Number.isInteger(options.replicas) || options.replicas < 0) {
    throw badInput(`The ${role} pool's replicas must be a whole number >= 0, got ${options.replicas}.`, undefined, 'E_BAD_FLEET');
  }
  return {
    role,
    options,
    config: engineSchedulerConfig(options.spec, role, options),
    costModel: createStepCostModel(options.spec),
    startupS: nonNegative(`${role} startupS`, options.startupS ?? 0),
    engines: [],
    pending: [],
    created: 0,
  };
}

/** Starting engines first, youngest first; then ready ones, least loaded first, youngest on ties. */
function removalOrder(a: FleetEngine, b: FleetEngine): number {
  const starting = Number(b.state === 'starting') - Number(a.state === 'starting');
  if (starting !== 0) return starting;
  return a.inFlightPromptTokens - b.inFlightPromptTokens || a.inFlight - b.inFlight || b.requestedS - a.requestedS || b.id.localeCompare(a.id, 'en', {numeric: true});
}

function capability(pool: Pool): WorkerCapability {
  const {spec} = pool.options;
  return {
    num_gpu: spec.tp,
    context_length: spec.maxModelLen,
    max_num_batched_tokens: pool.config.maxNumBatchedTokens,
    max_num_seqs: pool.config.maxNumSeqs,
    max_kv_tokens: spec.kvCapacityTokens,
  };
}

/** Arrivals in time order, each one every pool would accept (vLLM's HTTP 400 rules), so a run cannot fail midway. */
function checkRequests(requests: readonly FleetRequest[], pools: readonly Pool[]): void {
  let previousS = 0;
  for (let index = 0; index < requests.length; index++) {
    const {atS, isl, osl} = requests[index]!;
    if (!(atS >= previousS && Number.isFinite(atS))) {
      throw badInput(`Request ${index} arrives at ${atS} s, before the one ahead of it or at no valid time.`, 'Give arrivals as finite seconds >= 0, in time order.', 'E_BAD_FLEET');
    }
    previousS = atS;
    for (const pool of pools) {
      const problem = requestProblem(pool.config, {id: String(index), promptTokens: isl, maxTokens: osl});
      if (problem !== undefined) throw badInput(`Request ${index}: ${problem}`, 'Cut the load to requests the engines accept (ISL + OSL within max_model_len).', 'E_BAD_FLEET');
    }
  }
}

function nonNegative(name: string, value: number): number {
  if (value >= 0 && Number.isFinite(value)) return value;
  throw badInput(`${name} must be a finite number of seconds >= 0, got ${value}.`, undefined, 'E_BAD_FLEET');
}
