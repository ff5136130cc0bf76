// The virtual connector: for systems the planner does not drive itself. Each decision is written as one JSON
// document to a file (atomically: readers never see half of one) or POSTed to a webhook, and the external system
// acts on it. It cannot see that system's engines, so its counts are the last decision (Dynamo's virtual connector
// waits for the other side to acknowledge; a file or webhook has no such channel).
import {request} from 'undici';
import {unreachable} from '../../errors/errors.js';
import {writeFileAtomic} from '../../util/files.js';
import {describeError} from '../observe/http-get.js';
import type {Connector, ReplicaCounts, ReplicaTargets} from './types.js';

export interface VirtualConnectorOptions {
  /** Exactly one of `file` or `webhook`. */
  file?: string;
  webhook?: string;
  headers?: Record<string, string>;
  /** Webhook deadline, ms (default 5000). */
  timeoutMs?: number;
  /** Time source for decisions' `at` (default Date.now). */
  now?: () => number;
}

/** What the other side reads. Dynamo's names (num_*_workers, -1 = unchanged) beside the per-role targets. */
export interface VirtualDecision {
  decision_id: number;
  at: string;
  targets: ReplicaTargets;
  num_prefill_workers: number;
  num_decode_workers: number;
}

export class VirtualConnector implements Connector {
  readonly name = 'virtual' as const;
  private decisionId = 0;
  private current: ReplicaTargets = {};

  constructor(private readonly options: VirtualConnectorOptions) {
    if ((options.file === undefined) === (options.webhook === undefined)) throw new Error('VirtualConnector needs exactly one of file or webhook');
  }

  async scale(targets: ReplicaTargets, signal?: AbortSignal): Promise<void> {
    const decision: VirtualDecision = {
      decision_id: this.decisionId + 1,
      at: new Date((this.options.now ?? Date.now)()).toISOString(),
      targets,
      num_prefill_workers: targets.prefill ?? -1,
      num_decode_workers: targets.decode ?? targets.agg ?? -1,
    };
    const body = JSON.stringify(decision) + '\n';
    if (this.options.file) writeFileAtomic(this.options.file, body);
    else await this.post(body, signal);
    this.decisionId = decision.decision_id;
    this.current = {...this.current, ...targets};
  }

  async counts(): Promise<ReplicaCounts> {
    return {ready: {...this.current}, expected: {...this.current}};
  }

  async close(): Promise<void> {}

  private async post(body: string, signal?: AbortSignal): Promise<void> {
    const url = this.options.webhook!;
    const deadline = AbortSignal.timeout(this.options.timeoutMs ?? 5000);
    let status: number;
    try {
      const response = await request(url, {method: 'POST', body, headers: {'content-type': 'application/json', ...this.options.headers},
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline});
      await response.body.dump();
      status = response.statusCode;
    } catch (error) {
      throw unreachable(`The decision webhook ${url} did not answer: ${deadline.aborted ? `no answer within ${this.options.timeoutMs ?? 5000} ms` : describeError(error)}`, 'Check that the webhook is up; the next decision will be sent again.', error);
    }
    if (status >= 300) throw unreachable(`The decision webhook ${url} answered HTTP ${status}.`, 'Check the webhook\'s logs; the next decision will be sent again.');
  }
}

