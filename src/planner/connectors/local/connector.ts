// The local connector: a fleet of simulated engines on this machine behind one router, so the planner can be run
// and watched end to end on a laptop. Engines are aggregated (they serve whole requests); a disaggregated fleet
// needs KV transfer between engines, which the simulator does not do across processes. Targets are read from the
// `agg` key, else `decode`; a non-zero `prefill` target is refused.
import {badInput} from '../../../errors/errors.js';
import type {Connector, ReplicaCounts, ReplicaTargets} from '../types.js';
import {type EngineProcess, type EngineProcessOptions, startEngineProcess} from './engine-process.js';
import {Router} from './router.js';

export interface LocalConnectorOptions {
  engine: EngineProcessOptions;
  router?: {host?: string; port?: number};
  /** Longest wait for a drained engine's requests to finish before it is stopped anyway, ms (default 120 000). */
  drainTimeoutMs?: number;
}

interface LocalEngine {
  id: string;
  state: 'starting' | 'serving' | 'draining' | 'stopped';
  process?: EngineProcess;
  /** Set when a scale-down picks an engine that is still starting: it is stopped as soon as it is up. */
  cancelled: boolean;
}

export class LocalConnector implements Connector {
  readonly name = 'local' as const;
  /** Engine start failures and unexpected exits, newest last, for the planner to report. */
  readonly failures: string[] = [];
  private readonly engines: LocalEngine[] = [];
  private readonly pending = new Set<Promise<void>>();
  private nextId = 0;
  private closed = false;

  private constructor(private readonly options: LocalConnectorOptions, readonly router: Router) {}

  static async start(options: LocalConnectorOptions): Promise<LocalConnector> {
    return new LocalConnector(options, await Router.start(options.router));
  }

  /** Where clients send requests (OpenAI-compatible). */
  get url(): string {
    return this.router.url;
  }

  /** Starts or drains engines in the background; resolves at once (see `settled()`). */
  async scale(targets: ReplicaTargets): Promise<void> {
    if ((targets.prefill ?? 0) > 0) throw badInput('The local connector runs aggregated engines only; it cannot start prefill workers.', 'Use mode agg (targets under `agg` or `decode`).', 'E_LOCAL_AGG_ONLY');
    const target = targets.agg ?? targets.decode;
    if (target === undefined || this.closed) return;
    const active = this.engines.filter((engine) => (engine.state === 'starting' && !engine.cancelled) || engine.state === 'serving');
    for (let n = active.length; n < target; n++) this.launch();
    if (active.length > target) {
      // Engines still starting go first (nothing to drain), then the least busy.
      const inFlight = new Map(this.router.list().map((engine) => [engine.id, engine.inFlight]));
      const victims = [...active].sort((a, b) => rank(a) - rank(b) || (inFlight.get(a.id) ?? 0) - (inFlight.get(b.id) ?? 0)).slice(0, active.length - target);
      for (const engine of victims) this.retire(engine);
    }
  }

  async counts(): Promise<ReplicaCounts> {
    const serving = this.engines.filter((engine) => engine.state === 'serving').length;
    const starting = this.engines.filter((engine) => engine.state === 'starting' && !engine.cancelled).length;
    return {ready: {agg: serving}, expected: {agg: serving + starting}};
  }

  /** Resolves when every start, drain and stop asked for so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const engine of this.engines) if (engine.state === 'serving' || engine.state === 'starting') this.retire(engine);
    await this.settled();
    await this.router.close();
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private launch(): void {
    const engine: LocalEngine = {id: `engine-${this.nextId++}`, state: 'starting', cancelled: false};
    this.engines.push(engine);
    this.track((async () => {
      try {
        engine.process = await startEngineProcess(this.options.engine);
      } catch (error) {
        this.forget(engine);
        this.failures.push(`${engine.id}: ${(error as Error).message}`);
        return;
      }
      if (engine.cancelled) {
        await this.stop(engine);
        return;
      }
      engine.state = 'serving';
      this.router.add(engine.id, engine.process.url);
      void engine.process.exited.then((code) => {
        if (engine.state === 'serving') {
          this.failures.push(`${engine.id} exited unexpectedly (code ${code})`);
          this.router.remove(engine.id);
          this.forget(engine);
        }
      });
    })());
  }

  private retire(engine: LocalEngine): void {
    if (engine.state === 'starting') {
      engine.cancelled = true;
      return;
    }
    engine.state = 'draining';
    this.track((async () => {
      const drained = this.router.drain(engine.id);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.drainTimeoutMs ?? 120_000)))]);
      clearTimeout(timer);
      this.router.remove(engine.id);
      await this.stop(engine);
    })());
  }

  private async stop(engine: LocalEngine): Promise<void> {
    this.forget(engine);
    await engine.process?.stop();
  }

  private forget(engine: LocalEngine): void {
    engine.state = 'stopped';
    const index = this.engines.indexOf(engine);
    if (index >= 0) this.engines.splice(index, 1);
  }
}

function rank(engine: LocalEngine): number {
  return engine.state === 'starting' ? 0 : 1;
}
