import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseQueryResponse, PrometheusTrafficSource} from '../../../src/planner/observe/prometheus-api.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let dir = '';

async function send(count: number): Promise<void> {
  await Promise.all(Array.from({length: count}, (_, i) => fetch(`${sim.url}/v1/completions`, {method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({model: MODEL, prompt: `request ${i} `.repeat(40), max_tokens: 8, ignore_eos: true, stream: true})}).then((r) => r.text())));
}

async function waitForCount(expected: number): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('sum(vllm:request_success_total)')}`).catch(() => undefined);
    const result = response?.ok ? parseQueryResponse(await response.text()) : undefined;
    if (result?.ok && result.value === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Prometheus never saw ${expected} requests`);
}

beforeAll(async () => {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0});
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-prom-'));
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: sim\n    static_configs:\n      - targets: ['${new URL(sim.url).host}']\n`);
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {stdio: 'ignore'});
  // Labelled series only exist after their first observation: one request first, so the later ones are increases.
  await send(1);
  await waitForCount(1);
  await send(5);
  await waitForCount(6);
}, 60_000);

afterAll(async () => {
  prometheus?.kill('SIGKILL');
  await sim.close();
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe('PrometheusTrafficSource against a real Prometheus', () => {
  it('reads request rate, means and percentiles from vLLM series when no Dynamo frontend series exist', async () => {
    const source = new PrometheusTrafficSource({url: prometheusUrl, model: MODEL, windowS: 60});
    const observation = await source.observe();
    expect(observation.issues).toEqual([]);
    expect(observation.requestsPerSecond).toBeGreaterThan(0);
    expect(observation.traffic!.duration_s).toBe(60);
    expect(observation.traffic!.num_req).toBeCloseTo(observation.requestsPerSecond! * 60, 9);
    // Every request made 8 tokens: the ratio of increases is exact whatever Prometheus extrapolates.
    expect(observation.traffic!.osl).toBeCloseTo(8, 6);
    expect(observation.traffic!.isl).toBeGreaterThan(40);
    expect(observation.traffic!.kv_hit_rate).toBeGreaterThanOrEqual(0);
    expect(observation.latency.ttft_ms).toBeGreaterThan(0);
    expect(observation.latency.itl_ms).toBeGreaterThan(0);
    expect(Object.keys(observation.latency.ttft_quantiles_ms!)).toEqual(['p50', 'p90', 'p99']);
    expect(observation.latency.ttft_quantiles_ms!.p99).toBeGreaterThanOrEqual(observation.latency.ttft_quantiles_ms!.p50!);
    expect(observation.sources.request_rate).toContain('vllm:request_success_total{model_name=~"Qwen/Qwen3-0\\\\.6B"}[60s]');
    expect(observation.sources['ttft_p0.9']).toContain('histogram_quantile(0.9,');
  });

  it('with a step, also reads the arrivals per step over the window and the ISL histogram as quantile points', async () => {
    const observation = await new PrometheusTrafficSource({url: prometheusUrl, model: MODEL, windowS: 60, stepS: 5}).observe();
    expect(observation.issues).toEqual([]);
    const {arrivals, lengths, isl} = observation.traffic!;
    // 60 s at 5 s steps ending now: at most 12 counts (the steps before Prometheus had data are left out), the 6
    // requests in the last of them (increases are extrapolated, so not exactly 6).
    expect(arrivals!.window_s).toBe(5);
    expect(arrivals!.counts.length).toBeGreaterThan(0);
    expect(arrivals!.counts.length).toBeLessThanOrEqual(12);
    expect(arrivals!.counts.every((count) => count >= 0)).toBe(true);
    expect(arrivals!.counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    expect(observation.sources.arrivals).toContain('increase(vllm:request_success_total{model_name=~"Qwen/Qwen3-0\\\\.6B"}[5s])');
    // Every prompt is about the same length: the points sit in the histogram bucket holding the mean ISL.
    expect(lengths).toHaveLength(64);
    const bucketOf = (tokens: number) => [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((le) => tokens <= le);
    expect(new Set(lengths!.map((point) => bucketOf(point.isl)))).toEqual(new Set([bucketOf(isl!)]));
    expect(lengths!.every((point) => point.osl === 8)).toBe(true);
  });

  it('filters by model: another model has no series, so no traffic (and says why)', async () => {
    const observation = await new PrometheusTrafficSource({url: prometheusUrl, model: 'other/model', windowS: 60}).observe();
    expect(observation.traffic).toBeUndefined();
    expect(observation.issues).toContain('request_rate: no series matched any query');
  });

  it('takes the user\'s queries, and reports a query Prometheus rejects', async () => {
    const observation = await new PrometheusTrafficSource({url: prometheusUrl, windowS: 30, queries: {
      requestRate: ['sum(rate(vllm:request_success_total[{window}])) * 0 + 42'],
      islMean: ['this is not promql'],
    }}).observe();
    expect(observation.requestsPerSecond).toBe(42);
    expect(observation.traffic).toMatchObject({duration_s: 30, num_req: 42 * 30});
    expect(observation.traffic!.isl).toBeUndefined();
    expect(observation.issues.find((issue) => issue.startsWith('isl_mean:'))).toMatch(/Prometheus refused the query/);
  });

  it('reports a Prometheus that is down, within the deadline, without throwing', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const observation = await new PrometheusTrafficSource({url: down, windowS: 60, timeoutMs: 1000}).observe();
    expect(observation.traffic).toBeUndefined();
    expect(observation.issues.length).toBeGreaterThan(0);
    expect(observation.issues[0]).toMatch(new RegExp(`^request_rate: GET Prometheus ${down} failed`));
  });
});
