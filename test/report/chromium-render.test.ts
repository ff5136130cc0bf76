// The report opened in a real headless Chromium from a file:// URL: every plot must draw all its traces, with no
// console error, no uncaught exception and no request leaving the file.
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {type DrawnPlot, drawnPlotsScript} from './drawn-plots.js';
import {writeProfileReport} from '../../src/report/index.js';
import {freshDir} from '../profile/fixture.js';
import {chromiumForSuite} from './chromium.js';
import {embeddedFigures} from './embedded-figures.js';
import {h200ReportInput} from './h200-report-input.js';
import {openPage} from './report-page.js';
import {syntheticPoints, syntheticProfile} from './synthetic-profile.js';

const MIN_SCREENSHOT_BYTES = 100_000;

describe('the profile report in headless Chromium', () => {
  const chromium = chromiumForSuite();

  async function openReport(dir: string, path: string) {
    chromium.removeAfter(dir);
    const page = await openPage(chromium.cdp(), pathToFileURL(path).href);
    const plots = await page.evaluate<DrawnPlot[]>(drawnPlotsScript(1));
    const expected = embeddedFigures(readFileSync(path, 'utf8')).map(({id, data}) => ({id, svg: true, traces: data.length, drawn: data.length, noData: false}));
    return {page, plots, expected};
  }

  it('draws every plot of the real H200 profile offline, without errors', async () => {
    const {dir, input} = h200ReportInput();
    const {page, plots, expected} = await openReport(dir, writeProfileReport(dir, input));

    expect(plots.map((plot) => plot.id)).toEqual(['plot-ttft', 'plot-itl', 'plot-decode-frontier', 'plot-prefill-frontier', 'plot-ttft-residuals', 'plot-itl-residuals']);
    expect(plots).toEqual(expected);
    expect(page.record.errors).toEqual([]);
    expect(page.record.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

    const shots = chromium.tempDir('dynamo-plan-report-shot-');
    const png = join(shots, 'report.png');
    writeFileSync(png, await page.screenshot());
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
  }, 60_000);

  it('draws a points-only report without prefill points', async () => {
    const dir = freshDir();
    const path = writeProfileReport(dir, {profile: syntheticProfile({prefill: [], decode: syntheticPoints().decode})});
    const {page, plots, expected} = await openReport(dir, path);

    expect(plots.map((plot) => plot.id)).toEqual(['plot-itl', 'plot-decode-frontier']);
    expect(plots).toEqual(expected);
    expect(page.record.errors).toEqual([]);
  }, 60_000);
});
