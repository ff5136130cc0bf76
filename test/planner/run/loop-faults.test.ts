// The live loop under faults, over real sockets: simulated engines scraped over HTTP, one of them stopped mid-run; a
// Prometheus that is down; a Kubernetes API answering 500 and 409; advisory mode. The loop must keep ticking, say why
// on each tick, act on nothing in advisory mode, and never ask for more than the GPU budget.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KubeClient} from '../../../src/planner/connectors/kubernetes/client.js';
import {KubernetesConnector} from '../../../src/planner/connectors/kubernetes/connector.js';
import {PrometheusTrafficSource} from '../../../src/planner/observe/prometheus-api.js';
import {parsePlannerConfig} from '../../../src/planner/config.js';
import {type EngineSource, type PlannerLoopOptions, runPlannerLoop, type TickRecord} from '../../../src/planner/service/index.js';
import {DiagnosticsRecorder} from '../../../src/planner/telemetry/index.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {selfSignedCertificate} from '../../engine/openai-http/crafted-server.js';
import {freePort} from '../../helpers/free-port.js';
import {FakeKubeApi} from '../connectors/fake-kube-api.js';

const MODEL = 'Qwen/Qwen3-0.6B';
const config = parsePlannerConfig({
  mode: 'agg', optimization_target: 'load', load_adjustment_interval: 0.5, throughput_adjustment_interval: 4,
  decode_scale_up_kv_rate: 50, decode_scale_down_kv_rate: 5, max_gpu_budget: 2, report_interval_hours: null,
}, 'test config');
const capabilities = {decode: {num_gpu: 1, max_kv_tokens: 100_000, context_length: 4096}};

let sims: Simulator[] = [];
beforeAll(async () => {
  sims = await Promise.all([0, 1].map(() => startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0})));
});
afterAll(async () => {
  await Promise.all(sims.map((sim) => sim.close().catch(() => undefined)));
});

const staticSource = (urls: string[]): EngineSource => async () => ({engines: urls.map((url) => ({id: url, url, role: 'agg' as const})), issues: []});

/** Runs the loop until `until` says stop (checked after each tick); returns every tick's record. */
async function runUntil(options: Omit<PlannerLoopOptions, 'signal' | 'recorder' | 'config'>, until: (records: TickRecord[]) => boolean, onTick?: (records: TickRecord[]) => Promise<void> | void) {
  const controller = new AbortController();
  const records: TickRecord[] = [];
  const summary = await runPlannerLoop({
    config, recorder: new DiagnosticsRecorder(), capabilities, ...options, signal: controller.signal,
    onEvent: (event) => {
      if (event.type !== 'tick') return;
      records.push(event.record);
      void Promise.resolve(onTick?.(records)).then(() => {
        if (until(records)) controller.abort();
      });
    },
  });
  return {records, summary};
}

describe('the planner loop under faults', () => {
  it('reports an engine whose /metrics stops answering, and goes on deciding on the one left', async () => {
    const [a, b] = sims as [Simulator, Simulator];
    let stoppedAt = -1;
    const {records, summary} = await runUntil({advisory: true, engineSource: staticSource([a.url, b.url])},
      (all) => stoppedAt >= 0 && all.length >= stoppedAt + 3,
      async (all) => {
        if (all.length === 3 && stoppedAt < 0) {
          await b.close();
          stoppedAt = all.length;
        }
      });
    const before = records.slice(0, 3);
    const after = records.slice(stoppedAt);
    expect(before.every((record) => record.engines.scraped === 2)).toBe(true);
    for (const record of after) {
      expect(record.engines).toEqual({listed: 2, scraped: 1});
      expect(record.issues.some((issue) => issue.startsWith(`engine ${b.url}: GET ${b.url}/metrics`))).toBe(true);
      // The engine left is still observed and decided on.
      expect(record.replicas.ready.decode).toBe(1);
      expect(record.reasons.load).not.toBe('unset');
    }
    expect(summary.ticks).toBe(records.length);
    expect(summary.ticks_with_issues).toBeGreaterThanOrEqual(after.length);
  }, 30_000);

  it('with Prometheus down, reports it every tick and takes traffic from the engines', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const {records} = await runUntil({advisory: true, engineSource: staticSource([sims[0]!.url]), prometheus: new PrometheusTrafficSource({url: down, windowS: 4, timeoutMs: 500})},
      (all) => all.length >= 3);
    for (const record of records) expect(record.issues.some((issue) => issue.startsWith(`prometheus request_rate: GET Prometheus ${down} failed`))).toBe(true);
    // From the second scrape on the engines' own counters give the traffic.
    expect(records.slice(1).every((record) => record.traffic?.source === 'engines')).toBe(true);
    expect(records.every((record) => record.reasons.load === 'no_change')).toBe(true);
  }, 30_000);
});

describe('the planner loop against a Kubernetes API that fails', () => {
  let tls: {key: string; cert: string};
  let api: FakeKubeApi;
  let client: KubeClient;
  beforeAll(() => {
    tls = selfSignedCertificate();
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
  });

  /** An aggregated DGD with three ready workers: one over the 2-GPU budget, and idle, so the planner wants fewer. */
  async function cluster() {
    await client?.close();
    await api?.close();
    const dgd = {
      apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: {name: 'llm', namespace: 'ns'},
      spec: {components: [{name: 'Frontend', type: 'frontend', replicas: 1}, {name: 'VllmWorker', type: 'worker', replicas: 3}]},
      status: {conditions: [{type: 'Ready', status: 'True'}], components: {Frontend: {replicas: 1, readyReplicas: 1}, VllmWorker: {replicas: 3, readyReplicas: 3}}},
    };
    api = await new FakeKubeApi({tls, versions: ['v1beta1'], adapters: ['VllmWorker'], dgd}).start();
    client = new KubeClient({server: api.url, ca: tls.cert, token: 't'}, {retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 5}});
    const connector = new KubernetesConnector({client, namespace: 'ns', dgdName: 'llm', maxGpuBudget: config.max_gpu_budget, settle: {timeoutMs: 1000, pollMs: 5}});
    // Three workers: the same idle engine under three names.
    const url = sims[0]!.url;
    return {connector, engineSource: staticSource([url, `${url}/`, url.replace('127.0.0.1', 'localhost')])};
  }

  const patches = () => api.requests.filter((request) => request.method === 'PATCH');

  it('records a 500 and a 409 as failed actions, retries on the next ticks, and never asks past the budget', async () => {
    const {connector, engineSource} = await cluster();
    api.failures.push({status: 500, method: 'PATCH'}, {status: 500, method: 'PATCH'}, {status: 409, method: 'PATCH'}, {status: 409, method: 'PATCH'});
    const {records, summary} = await runUntil({advisory: false, connector, engineSource}, (all) => all.filter((record) => record.action.status === 'applied').length >= 1 && all.length >= 5);
    const actions = records.filter((record) => record.action.status !== 'none');
    expect(actions.slice(0, 3).map((record) => record.action.status)).toEqual(['failed', 'failed', 'applied']);
    expect(actions[0]!.action.error).toMatch(/answered 500/);
    expect(actions[1]!.action.error).toMatch(/answered 409/);
    expect(actions[0]!.issues.some((issue) => /^scaling to \{"agg":2\} failed \(the next tick decides again\)/.test(issue))).toBe(true);
    expect(actions.every((record) => record.action.targets?.agg === 2)).toBe(true);
    for (const patch of patches()) expect((patch.body as {spec: {replicas: number}}).spec.replicas).toBeLessThanOrEqual(config.max_gpu_budget);
    expect(api.dgd.spec.components[1].replicas).toBe(2);
    // After the scale-down two workers are ready but three engines still answer: the guard holds, and says why.
    const last = records.at(-1)!;
    expect(last.replicas.ready.decode).toBe(2);
    expect(last.reasons.load).toBe('worker_count_mismatch');
    expect(summary.actions).toMatchObject({failed: 2, applied: 1});
  }, 30_000);

  it('acts on nothing in advisory mode', async () => {
    const {connector, engineSource} = await cluster();
    const {records, summary} = await runUntil({advisory: true, connector, engineSource}, (all) => all.length >= 3);
    expect(records.every((record) => record.action.status === 'advisory' && record.action.targets?.agg === 2)).toBe(true);
    expect(patches()).toEqual([]);
    expect(api.dgd.spec.components[1].replicas).toBe(3);
    expect(summary.actions).toEqual({applied: 0, failed: 0, advisory: records.length});
  }, 30_000);
});
