// How the live planner acts on the world: every connector (kubernetes, local, virtual) takes replica targets per role
// and reports how many engines are ready. Advisory mode simply has no connector.
import type {WorkerRole} from '../tick.js';

export type ReplicaTargets = Partial<Record<WorkerRole | 'agg', number>>;

export interface ReplicaCounts {
  /** Engines serving now, per role. */
  ready: ReplicaTargets;
  /** Engines asked for (ready or starting), per role. */
  expected: ReplicaTargets;
}

export interface Connector {
  readonly name: 'kubernetes' | 'local' | 'virtual';
  /** Asks for these replica counts; roles left out are not changed. Resolves once the request is accepted, not ready. */
  scale(targets: ReplicaTargets, signal?: AbortSignal): Promise<void>;
  counts(signal?: AbortSignal): Promise<ReplicaCounts>;
  /** Releases what the connector holds (for `local`: drains and stops its engines and router). */
  close(): Promise<void>;
}
