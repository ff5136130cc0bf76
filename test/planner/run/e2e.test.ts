// Acceptance, end to end on this machine: `planner run --connector local` (the built CLI) starts a fleet of simulated
// engines behind its router; a real Prometheus scrapes the router's engines and the planner's own /metrics, and the
// planner reads traffic from it; load through the router rises and stops; the planner scales up, then back down
// within its budget; its log lines, its /metrics (through Prometheus and promtool), and the report it writes at
// SIGTERM (opened in headless Chromium) tell the same story.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runBench} from '../../../src/loadgen/bench.js';
import {parseQueryResponse} from '../../../src/planner/observe/prometheus-api.js';
import type {TickRecord} from '../../../src/planner/service/index.js';
import {schemaValidator} from '../../../src/schema/validator.js';
import {repoRoot} from '../../helpers/cli.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {type Chromium, launchChromium} from '../../report/chromium.js';
import {openPage} from '../../report/report-page.js';

const MODEL = 'Qwen/Qwen3-0.6B';
const BUDGET = 3;
const entry = join(repoRoot, 'dist/src/cli/run.js');

let dir = '';
let planner: ChildProcess | undefined;
let prometheus: ChildProcess | undefined;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let prometheusUrl = '';
let metricsUrl = '';

/** Resolves once the planner's stdout holds a line matching `pattern` (after `from` characters). */
async function waitForLine(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<RegExpExecArray> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    for (const line of stdout.slice(from).split('\n')) {
      const match = pattern.exec(line);
      if (match) return match;
    }
  }
  throw new Error(`no line matching ${pattern} in:\n${stdout}\n${stderr}`);
}

async function promQuery(query: string): Promise<number | undefined> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const result = parseQueryResponse(await response.text());
  return result.ok ? result.value : undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-planner-run-'));
  // Scale on KV load: up when any engine's (scheduled + queued) KV passes 20% of its cache, down when all are under 5%.
  writeFileSync(join(dir, 'planner.yaml'), [
    'optimization_target: load', 'mode: agg', 'load_adjustment_interval: 1', 'throughput_adjustment_interval: 4',
    'decode_scale_up_kv_rate: 20', 'decode_scale_down_kv_rate: 5', `max_gpu_budget: ${BUDGET}`, 'report_interval_hours: null', '',
  ].join('\n'));
  const metricsPort = await freePort();
  const prometheusPort = await freePort();
  prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  // Small engines: 2 sequences per batch and a ~11k-token KV cache, so a dozen clients make a queue.
  planner = spawn(process.execPath, [entry, 'planner', 'run', '--connector', 'local', '--model', MODEL, '--gpu', 'h100_sxm', '--gpu-memory-utilization', '0.06',
    '--max-model-len', '4096', '--max-num-seqs', '2', '--config', join(dir, 'planner.yaml'), '--report-dir', join(dir, 'reports'), '--metrics-port', String(metricsPort),
    '--prometheus', prometheusUrl, '--log-format', 'json', '--log-file', join(dir, 'ticks.jsonl')], {cwd: repoRoot});
  planner.stdout!.on('data', (chunk) => (stdout += chunk));
  planner.stderr!.on('data', (chunk) => (stderr += chunk));
  exited = new Promise((resolve) => planner!.once('exit', (code) => resolve(code)));
  const routerHost = new URL((await waitForLine(/^router: (http:\/\/\S+)$/))[1]!).host;
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fleet\n    static_configs:\n      - targets: ['${routerHost}']\n` +
    `  - job_name: planner\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`);
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`], {stdio: 'ignore'});
}, 90_000);

afterAll(async () => {
  if (planner && planner.exitCode === null) {
    // SIGTERM stops the planner's engines too; SIGKILL only if it does not exit.
    planner.kill('SIGTERM');
    const timer = setTimeout(() => planner!.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  prometheus?.kill('SIGKILL');
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe('planner run --connector local, end to end', () => {
  let chromium: Chromium | undefined;
  afterAll(async () => chromium?.close());

  it('scales up under load and back down after it, within the budget; logs, /metrics, Prometheus and the report agree', async () => {
    const routerUrl = (await waitForLine(/^router: (http:\/\/\S+)$/))[1]!;
    await waitForLine(/^fleet: 1 engine serving/);
    // Prometheus has both targets up before the load starts.
    for (let attempt = 0; attempt < 100 && (await promQuery('sum(up)')) !== 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await promQuery('sum(up)')).toBe(2);

    // Load rises (a dozen clients in a closed loop), then stops.
    const loadFrom = stdout.length;
    const summary = await runBench({url: routerUrl, api: 'completions', model: MODEL, isl: 512, osl: 64, rangeRatio: 0, requestRate: Infinity, burstiness: 1,
      concurrency: 12, numRequests: 240, seed: 1, warmupRequests: 0, requestTimeoutS: 60, stallTimeoutS: 30, simulator: {}});
    expect(summary.completed).toBe(240);
    await waitForLine(/ -> [2-9] \(load scale_up/, loadFrom);
    // Idle again: the planner comes back down to one engine.
    await waitForLine(/^\S+ decode 2 -> 1 \(load scale_down/, loadFrom);
    const downFrom = stdout.length;
    await waitForLine(/^\S+ decode 1 \(load /, downFrom);
    // Prometheus saw it too, from the planner's own series.
    let peak: number | undefined;
    for (let attempt = 0; attempt < 50 && !((peak = await promQuery('max_over_time(dynamo_planner_num_decode_replicas[5m])')) ?? 0 >= 2); attempt++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(BUDGET);
    expect(await promQuery('max_over_time(dynamo_planner_load_scaling_decision{dynamo_planner_load_scaling_decision="scale_down"}[5m])')).toBe(1);
    expect(await promQuery('sum(vllm:request_success_total)')).toBeGreaterThan(0);

    // Its own /metrics: Dynamo's names, accepted by promtool (apart from the unit lints Dynamo's names carry).
    const metrics = await (await fetch(metricsUrl)).text();
    expect(sampleValue(metrics, 'dynamo_planner_num_decode_replicas', {model_name: MODEL})).toBe(1);
    expect(sampleValue(metrics, 'dynamo_planner_gpu_hours')).toBeGreaterThan(0);
    const check = spawnSync('promtool', ['check', 'metrics'], {input: metrics, encoding: 'utf8'});
    expect(check.status === 0 || check.status === 3).toBe(true);
    const findings = (check.stdout + check.stderr).split('\n').filter((line) => line.trim() !== '');
    expect(findings.filter((line) => !/ metric names should not contain abbreviated units$/.test(line) && !/^dynamo_planner_gpu_hours use base unit/.test(line))).toEqual([]);

    // SIGTERM: the tick finishes, the report is written, the fleet is stopped, exit 0.
    planner!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const reportPath = (await waitForLine(/^report: (\S+\.html)$/))[1]!;
    expect(existsSync(reportPath)).toBe(true);
    expect(stdout).toMatch(/^stopped after \d+ ticks: \d+ scaling decisions \(\d+ applied, 0 failed, 0 advisory\)/m);

    // The JSON log: one schema-valid line per tick, telling the same story.
    const validate = schemaValidator('https://dynamo-plan.dev/schemas/output/planner-run.schema.json#/definitions/tick');
    const ticks = readFileSync(join(dir, 'ticks.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TickRecord);
    for (const tick of ticks) expect(validate(tick) ? [] : validate.errors).toEqual([]);
    const applied = ticks.filter((tick) => tick.action.status === 'applied');
    expect(applied.some((tick) => tick.reasons.load === 'scale_up')).toBe(true);
    expect(applied.some((tick) => tick.reasons.load === 'scale_down')).toBe(true);
    expect(Math.max(...ticks.map((tick) => tick.scale_to.decode ?? 0), ...ticks.map((tick) => tick.replicas.ready.decode ?? 0))).toBeLessThanOrEqual(BUDGET);
    expect(ticks.some((tick) => tick.traffic?.source === 'prometheus' && tick.traffic.requests_per_second > 0)).toBe(true);

    // The report, rendered: the decision timeline shows both moves.
    chromium = await launchChromium();
    const page = await openPage(chromium.cdp, pathToFileURL(reportPath).href);
    const text = await page.evaluate<{ticks: string[]; body: string}>(`(async () => {
      for (const deadline = Date.now() + 15000; document.querySelectorAll('.plot .main-svg').length < document.querySelectorAll('.plot').length && Date.now() < deadline; )
        await new Promise((resolve) => setTimeout(resolve, 50));
      return {ticks: [...document.querySelectorAll('#plot-load-decisions .ytick text')].map((t) => t.textContent), body: document.body.innerText};
    })()`);
    expect(page.record.errors).toEqual([]);
    expect(text.ticks).toEqual(expect.arrayContaining(['scale_up', 'scale_down']));
    expect(text.body).toContain(MODEL);
  }, 180_000);
});
