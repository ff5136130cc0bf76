// Acceptance, end to end on this machine: `planner run --connector local` (the built CLI) starts a fleet of simulated
// engines behind its router; a real Prometheus scrapes the router's engines and the planner's own /metrics, and the
// planner reads traffic from it; an open-loop load through the router rises (a low rate, then one a single engine
// cannot carry within the SLA) and stops; the planner scales up, holds the SLA, then comes back down within its
// budget; its log lines, its /metrics (through Prometheus and promtool), and the report it writes at SIGTERM (opened
// in headless Chromium) tell the same story. A control runs the same high phase on one engine with the planner in
// advisory mode: there the SLA is missed.
//
// Why optimization_target load and not sla: the local fleet is aggregated engines, and under sla an agg fleet is
// scaled on the decode role's estimated ITL alone, which the engines' batch limit keeps flat however long the queue
// grows; what an overload breaks is TTFT (requests waiting). The load target's KV signal counts waiting prompts, so
// its thresholds are set (sla-load.ts) to "a full batch and a request waiting", well short of the queue the SLA allows.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseQueryResponse} from '../../../src/planner/observe/prometheus-api.js';
import type {TickRecord} from '../../../src/planner/service/index.js';
import {schemaValidator} from '../../../src/schema/validator.js';
import {summarizeFleet} from '../../../src/sim/fleet/index.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {type Chromium, launchChromium} from '../../report/chromium.js';
import {openPage} from '../../report/report-page.js';
import {type PlannerProcess, startPlannerProcess} from './planner-process.js';
import {engineFlags, loadThresholds, MODEL, PHASES, phaseRequests, runPhase, simulate, SLA, SLA_PERCENTILE, slaOf} from './sla-load.js';

const BUDGET = 3;
const LOAD_INTERVAL_S = 1;
/** Also the window of the latency a tick observes (Prometheus queries and engine counters alike). */
const THROUGHPUT_WINDOW_S = 4;

let dir = '';
let planner: PlannerProcess;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let metricsUrl = '';

async function promQuery(query: string): Promise<number | undefined> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const result = parseQueryResponse(await response.text());
  return result.ok ? result.value : undefined;
}

/** The planner config: KV thresholds from the SLA; the SLA itself, so /metrics shows the targets it is held to. */
function writeConfig(path: string): void {
  const {up, down} = loadThresholds();
  writeFileSync(path, [
    'optimization_target: load', 'mode: agg', `load_adjustment_interval: ${LOAD_INTERVAL_S}`, `throughput_adjustment_interval: ${THROUGHPUT_WINDOW_S}`,
    `decode_scale_up_kv_rate: ${up}`, `decode_scale_down_kv_rate: ${down}`, `max_gpu_budget: ${BUDGET}`, `ttft: ${SLA.ttft}`, `itl: ${SLA.itl}`,
    // An engine of a fleet sized for the high phase is idle now and then; two idle ticks in a row mean the load is gone.
    'scale_down_sustained_ticks: 2', 'report_interval_hours: null', '',
  ].join('\n'));
}

function readTicks(path: string): TickRecord[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TickRecord);
}

/** Seconds into the high phase at which the planner's second engine was seen serving; the control is judged from there too. */
let servedFromOffsetS = NaN;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-planner-run-'));
  writeConfig(join(dir, 'planner.yaml'));
  const metricsPort = await freePort();
  const prometheusPort = await freePort();
  prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  planner = startPlannerProcess(['--connector', 'local', ...engineFlags(), '--config', join(dir, 'planner.yaml'), '--report-dir', join(dir, 'reports'),
    '--metrics-port', String(metricsPort), '--prometheus', prometheusUrl, '--log-format', 'json', '--log-file', join(dir, 'ticks.jsonl')]);
  const routerHost = new URL((await planner.waitForLine(/^router: (http:\/\/\S+)$/))[1]!).host;
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fleet\n    static_configs:\n      - targets: ['${routerHost}']\n` +
    `  - job_name: planner\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`);
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`], {stdio: 'ignore'});
}, 90_000);

afterAll(async () => {
  await planner?.stop();
  prometheus?.kill('SIGKILL');
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe('planner run --connector local, end to end', () => {
  let chromium: Chromium | undefined;
  afterAll(async () => chromium?.close());

  it('the premise, by the cost model: one engine misses the SLA in the high phase, two hold it, the low phase needs one', () => {
    const attainment = (replicas: number, phase: {rate: number; durationS: number}) => summarizeFleet(simulate(replicas, phaseRequests(phase)), {ttftMs: SLA.ttft, itlMs: SLA.itl}).slaAttainment;
    expect(attainment(1, PHASES.low)).toBeGreaterThanOrEqual(SLA_PERCENTILE / 100);
    expect(attainment(1, PHASES.high)).toBeLessThan(SLA_PERCENTILE / 100);
    expect(attainment(2, PHASES.high)).toBeGreaterThanOrEqual(SLA_PERCENTILE / 100);
  });

  it('scales up under load, holds the SLA, scales back down within the budget; logs, /metrics, Prometheus and the report agree', async () => {
    const routerUrl = (await planner.waitForLine(/^router: (http:\/\/\S+)$/))[1]!;
    await planner.waitForLine(/^fleet: 1 engine serving/);
    // Prometheus has both targets up before the load starts.
    for (let attempt = 0; attempt < 100 && (await promQuery('sum(up)')) !== 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await promQuery('sum(up)')).toBe(2);

    // Load rises (a low rate, then a high one), then stops.
    const loadFrom = planner.stdout().length;
    const low = await runPhase(routerUrl, PHASES.low, join(dir, 'low'));
    const high = await runPhase(routerUrl, PHASES.high, join(dir, 'high'));
    expect(low.summary.errors.total + high.summary.errors.total).toBe(0);
    await planner.waitForLine(/ -> [2-9] \(load scale_up/, loadFrom);
    // Idle again: the planner comes back down to one engine.
    await planner.waitForLine(/^\S+ decode 2 -> 1 \(load scale_down/, loadFrom);
    const downFrom = planner.stdout().length;
    await planner.waitForLine(/^\S+ decode 1 \(load /, downFrom);
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
    expect(sampleValue(metrics, 'dynamo_planner_sla_target_ttft_ms', {model_name: MODEL})).toBe(SLA.ttft);
    const check = spawnSync('promtool', ['check', 'metrics'], {input: metrics, encoding: 'utf8'});
    expect(check.status === 0 || check.status === 3).toBe(true);
    const findings = (check.stdout + check.stderr).split('\n').filter((line) => line.trim() !== '');
    expect(findings.filter((line) => !/ metric names should not contain abbreviated units$/.test(line) && !/^dynamo_planner_gpu_hours use base unit/.test(line))).toEqual([]);

    // SIGTERM: the tick finishes, the report is written, the fleet is stopped, exit 0.
    expect(await planner.stop()).toBe(0);
    expect(planner.stderr()).toBe('');
    const reportPath = (await planner.waitForLine(/^report: (\S+\.html)$/))[1]!;
    expect(existsSync(reportPath)).toBe(true);
    expect(planner.stdout()).toMatch(/^stopped after \d+ ticks: \d+ scaling decisions \(\d+ applied, 0 failed, 0 advisory\)/m);

    // The JSON log: one schema-valid line per tick, telling the same story.
    const validate = schemaValidator('https://dynamo-plan.dev/schemas/output/planner-run.schema.json#/definitions/tick');
    const ticks = readTicks(join(dir, 'ticks.jsonl'));
    for (const tick of ticks) expect(validate(tick) ? [] : validate.errors).toEqual([]);
    const applied = ticks.filter((tick) => tick.action.status === 'applied');
    expect(applied.some((tick) => tick.reasons.load === 'scale_up')).toBe(true);
    expect(applied.some((tick) => tick.reasons.load === 'scale_down')).toBe(true);
    expect(Math.max(...ticks.map((tick) => tick.scale_to.decode ?? 0), ...ticks.map((tick) => tick.replicas.ready.decode ?? 0))).toBeLessThanOrEqual(BUDGET);
    expect(ticks.some((tick) => tick.traffic?.source === 'prometheus' && tick.traffic.requests_per_second > 0)).toBe(true);

    // The SLA. One engine carried the low phase: no scale-up before the high one; it came during the high phase.
    const highStart = high.startUnixS;
    const highEnd = highStart + PHASES.high.durationS;
    const firstUp = applied.find((tick) => tick.reasons.load === 'scale_up')!;
    expect(firstUp.now_s).toBeGreaterThan(highStart);
    expect(firstUp.now_s).toBeLessThan(highEnd);
    // From the tick that saw the second engine serving, the requests sent meet both targets at the stated percentile.
    const servedAt = ticks.find((tick) => (tick.replicas.ready.decode ?? 0) >= 2)!.now_s;
    servedFromOffsetS = servedAt - highStart;
    const served = high.records.filter((record) => record.sent_unix_s >= servedAt);
    // Enough of the high phase is left to judge (a third of it at least).
    expect(served.length).toBeGreaterThanOrEqual(high.records.length / 3);
    const sla = slaOf(served);
    expect(sla.goodFraction).toBeGreaterThanOrEqual(SLA_PERCENTILE / 100);
    expect(sla.ttftMs).toBeLessThanOrEqual(SLA.ttft);
    expect(sla.itlMs).toBeLessThanOrEqual(SLA.itl);
    // The planner saw it too: ticks whose window holds only those requests' first tokens observe TTFT and ITL within the targets.
    const cleanFrom = Math.max(servedAt, ...high.records.filter((record) => record.sent_unix_s < servedAt).map((record) => record.first_token_unix_s ?? Infinity));
    const clean = ticks.filter((tick) => tick.now_s - THROUGHPUT_WINDOW_S >= cleanFrom && tick.latency.ttft_ms !== null && tick.latency.itl_ms !== null);
    expect(clean.length).toBeGreaterThan(0);
    for (const tick of clean) {
      expect(tick.latency.ttft_ms).toBeLessThanOrEqual(SLA.ttft);
      expect(tick.latency.itl_ms).toBeLessThanOrEqual(SLA.itl);
    }

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

  it('control: the same high phase on one engine, the planner advising but not acting, misses the SLA', async () => {
    expect(Number.isFinite(servedFromOffsetS)).toBe(true);
    mkdirSync(join(dir, 'control'));
    writeConfig(join(dir, 'control', 'planner.yaml'));
    const control = startPlannerProcess(['--connector', 'local', '--advisory', ...engineFlags(), '--config', join(dir, 'control', 'planner.yaml'),
      '--report-dir', join(dir, 'control', 'reports'), '--log-format', 'json', '--log-file', join(dir, 'control', 'ticks.jsonl')]);
    try {
      const routerUrl = (await control.waitForLine(/^router: (http:\/\/\S+)$/))[1]!;
      await control.waitForLine(/^fleet: 1 engine serving/);
      const high = await runPhase(routerUrl, PHASES.high, join(dir, 'control', 'high'));
      expect(high.summary.errors.total).toBe(0);
      expect(await control.stop()).toBe(0);
      // The planner saw the overload and said so, but nothing moved.
      const ticks = readTicks(join(dir, 'control', 'ticks.jsonl'));
      expect(ticks.some((tick) => tick.action.status === 'advisory' && tick.reasons.load === 'scale_up')).toBe(true);
      expect(ticks.every((tick) => tick.action.status !== 'applied' && (tick.replicas.ready.decode ?? 1) === 1)).toBe(true);
      expect(ticks.some((tick) => (tick.latency.ttft_ms ?? 0) > SLA.ttft)).toBe(true);
      // The same requests the planner's fleet served within the SLA miss it here.
      const sla = slaOf(high.records.filter((record) => record.sent_unix_s >= high.startUnixS + servedFromOffsetS));
      expect(sla.goodFraction).toBeLessThan(SLA_PERCENTILE / 100);
      expect(sla.ttftMs).toBeGreaterThan(SLA.ttft);
    } finally {
      await control.stop();
    }
  }, 120_000);
});

