// The planner report opened in headless Chromium from a file:// URL: all twelve plots render to SVG, the charts with
// data draw every trace, the empty ones say "No data", and hostile names show as text without running.
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {type DrawnPlot, drawnPlotsScript} from '../../report/drawn-plots.js';
import {DiagnosticsRecorder, type PlannerSnapshot} from '../../../src/planner/telemetry/index.js';
import {chromiumForSuite} from '../../report/chromium.js';
import {openPage} from '../../report/report-page.js';
import {PLOT_IDS} from './report-html.js';
import {bareSnapshots, HOSTILE_MODEL, HOSTILE_REASON, HOSTILE_WORKER, hostileSnapshots} from './snapshots.js';

const PAGE_TEXT = `({
  title: document.title,
  legend: [...document.querySelectorAll('.legendtext')].map((text) => text.textContent),
  ticks: [...document.querySelectorAll('.ytick text')].map((text) => text.textContent),
  images: document.querySelectorAll('img').length,
  pwned: window.__pwned ?? null,
})`;

describe('the planner report in headless Chromium', () => {
  const chromium = chromiumForSuite();

  async function openReport(snapshots: PlannerSnapshot[], modelName?: string) {
    const dir = chromium.tempDir('dynamo-plan-planner-chromium-');
    const recorder = new DiagnosticsRecorder({reports: {dir}, modelName});
    for (const snapshot of snapshots) recorder.record(snapshot);
    const page = await openPage(chromium.cdp(), pathToFileURL(recorder.flush()!).href);
    return {page, plots: await page.evaluate<DrawnPlot[]>(drawnPlotsScript(0))};
  }

  it('renders all twelve plots offline, and shows hostile names as text', async () => {
    const {page, plots} = await openReport(hostileSnapshots(), HOSTILE_MODEL);

    expect(plots.map((plot) => plot.id)).toEqual(PLOT_IDS);
    expect(plots.every((plot) => plot.svg)).toBe(true);
    // No tick carried a throughput decision: that chart alone is empty, and says so.
    expect(plots.filter((plot) => plot.noData).map((plot) => plot.id)).toEqual(['plot-throughput-decisions']);
    for (const plot of plots.filter((p) => !p.noData)) {
      expect(plot.traces, plot.id).toBeGreaterThan(0);
      expect(plot.drawn, plot.id).toBe(plot.traces);
    }
    expect(page.record.errors).toEqual([]);
    expect(page.record.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

    const text = await page.evaluate<{title: string; legend: string[]; ticks: string[]; images: number; pwned: number | null}>(PAGE_TEXT);
    expect(text.title).toBe(`Planner diagnostics: ${HOSTILE_MODEL}`);
    expect(text.legend).toContain(`P ${HOSTILE_WORKER}:dp0`);
    expect(text.legend).toContain(HOSTILE_REASON);
    // The decision reason is readable on the axis, not only as a colour.
    expect(text.ticks).toEqual(expect.arrayContaining(['no_change', HOSTILE_REASON]));
    expect(text.images).toBe(0);
    expect(text.pwned).toBeNull();
  }, 60_000);

  it('renders a report whose ticks carry no data as twelve "No data" charts', async () => {
    const {page, plots} = await openReport(bareSnapshots(20));
    expect(plots.map((plot) => plot.id)).toEqual(PLOT_IDS);
    expect(plots.every((plot) => plot.svg && plot.noData && plot.traces === 0)).toBe(true);
    expect(page.record.errors).toEqual([]);
  }, 60_000);
});
