import {afterEach, describe, expect, it} from 'vitest';
import {createPlannerMetrics, DiagnosticsRecorder, EMPTY_REFRESH_S, type PlannerDashboard, startPlannerDashboard} from '../../../src/planner/telemetry/index.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {embeddedFigures, fact, PLOT_IDS} from './report-html.js';
import {fullSnapshots} from './snapshots.js';

let dashboard: PlannerDashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

describe('startPlannerDashboard', () => {
  it('serves a self-refreshing page before the first tick, then the report so far without clearing it', async () => {
    const recorder = new DiagnosticsRecorder();
    dashboard = await startPlannerDashboard({recorder, port: 0});
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const empty = await fetch(`${dashboard.url}/`);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain(`<meta http-equiv="refresh" content="${EMPTY_REFRESH_S}">`);
    expect(emptyHtml).toContain('No data yet');

    const ticks = fullSnapshots(30);
    for (const snapshot of ticks.slice(0, 20)) recorder.record(snapshot);
    const first = await (await fetch(`${dashboard.url}/`)).text();
    expect(fact(first, 'Ticks')).toBe('20');
    expect(embeddedFigures(first).map((figure) => figure.id)).toEqual(PLOT_IDS);
    expect(first).not.toContain('http-equiv="refresh"');

    // Serving did not clear the window: later ticks add to it.
    for (const snapshot of ticks.slice(20)) recorder.record(snapshot);
    expect(fact(await (await fetch(`${dashboard.url}/`)).text(), 'Ticks')).toBe('30');
    expect(recorder.snapshots).toHaveLength(30);
  });

  it('serves /metrics from the registry it is given, and 404 for anything else', async () => {
    const recorder = new DiagnosticsRecorder();
    const metrics = createPlannerMetrics();
    metrics.record(fullSnapshots(1)[0]!, {gpuHours: 3});
    dashboard = await startPlannerDashboard({recorder, port: 0, registry: metrics.registry});
    const response = await fetch(`${dashboard.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(sampleValue(await response.text(), 'dynamo_planner_gpu_hours')).toBe(3);
    expect((await fetch(`${dashboard.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}/`, {method: 'POST', body: 'x'})).status).toBe(405);
  });

  it('has no /metrics without a registry', async () => {
    dashboard = await startPlannerDashboard({recorder: new DiagnosticsRecorder(), port: 0});
    expect((await fetch(`${dashboard.url}/metrics`)).status).toBe(404);
  });

  it('closes cleanly, even with a connection kept alive, and frees its port', async () => {
    const recorder = new DiagnosticsRecorder();
    const opened = await startPlannerDashboard({recorder, port: 0});
    expect((await fetch(`${opened.url}/`, {headers: {connection: 'keep-alive'}})).status).toBe(200);
    await opened.close();
    await expect(fetch(`${opened.url}/`)).rejects.toThrow();
    // The same port can be bound again at once.
    dashboard = await startPlannerDashboard({recorder, port: Number(new URL(opened.url).port)});
    expect((await fetch(`${dashboard.url}/`)).status).toBe(200);
  });

  it('fails with a clear error when the port is taken', async () => {
    dashboard = await startPlannerDashboard({recorder: new DiagnosticsRecorder(), port: 0});
    const port = Number(new URL(dashboard.url).port);
    await expect(startPlannerDashboard({recorder: new DiagnosticsRecorder(), port})).rejects.toMatchObject({code: 'E_DASHBOARD_LISTEN'});
  });
});
