import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {itlAt} from '../../src/fit/index.js';
import {type ProfileReportInput, renderProfileReport, writeProfileReport} from '../../src/report/index.js';
import {scriptSafeJson} from '../../src/report/escape.js';
import {freshDir} from '../profile/fixture.js';
import {embeddedFigures} from './embedded-figures.js';
import {fittedSyntheticInput, syntheticPoints, syntheticProfile} from './synthetic-profile.js';

const plotlySource = readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
const ALL_PLOTS = ['plot-ttft', 'plot-itl', 'plot-decode-frontier', 'plot-prefill-frontier', 'plot-ttft-residuals', 'plot-itl-residuals'];

/** The report without the inlined bundle: what the report itself writes (and short enough to show when a test fails). */
function renderPage(input: ProfileReportInput): string {
  return renderProfileReport(input).replace(plotlySource, '');
}

function figureIds(html: string): string[] {
  return embeddedFigures(html).map((figure) => figure.id);
}

describe('the profile report HTML', () => {
  it('inlines plotly.js and refers to nothing outside the file', () => {
    const html = renderProfileReport(fittedSyntheticInput());
    expect(html.includes(`<script>${plotlySource}</script>`)).toBe(true);
    // The page around the bundle (the bundle's own strings name URLs it never loads here; the Chromium test checks
    // that nothing is requested).
    const page = html.replace(plotlySource, '');
    expect(page.match(/<link\b/gi)).toBeNull();
    expect(page.match(/<script[^>]*\bsrc\s*=/gi)).toBeNull();
    expect(page.match(/\b(src|href)\s*=\s*["']?\s*(https?:|\/\/)/gi)).toBeNull();
    expect(page.match(/https?:\/\//gi)).toBeNull();
  });

  it('escapes </script> and <!-- in the data and the text', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const html = renderPage(fittedSyntheticInput({model: hostile, accelerator: hostile}));
    // Only the report's own three <script> elements close.
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--')).toBe(true);

    const json = scriptSafeJson({title: hostile});
    expect(json).not.toMatch(/<\/script|<!--/i);
    expect(JSON.parse(json)).toEqual({title: hostile});
  });

  it('shows every section for a fitted profile, with one fit line per context in the decode plots', () => {
    const input = fittedSyntheticInput();
    const figures = embeddedFigures(renderPage(input));
    expect(figures.map((figure) => figure.id)).toEqual(ALL_PLOTS);
    const traces = Object.fromEntries(figures.map((figure) => [figure.id, figure.data.length]));
    // TTFT: band lower and upper edges, fit, measured. Decode plots: markers and a fit line for each of 4 contexts.
    expect(traces).toEqual({'plot-ttft': 4, 'plot-itl': 8, 'plot-decode-frontier': 8, 'plot-prefill-frontier': 2, 'plot-ttft-residuals': 1, 'plot-itl-residuals': 4});
  });

  it('plots residuals as (measured - predicted) / predicted in percent', () => {
    const input = fittedSyntheticInput();
    const residuals = embeddedFigures(renderPage(input)).find((figure) => figure.id === 'plot-itl-residuals')!.data[0] as {x: number[]; y: number[]};
    const first = syntheticPoints().decode[0]!;
    expect(residuals.x[0]).toBe(first.concurrency);
    expect(residuals.y[0]).toBeCloseTo(((first.itlMs - itlAt(input.decodeModel!, first.concurrency, first.context)) / itlAt(input.decodeModel!, first.concurrency, first.context)) * 100, 9);
  });

  it('summarises the engine, saying unknown for what is not known, and each fit\'s accuracy', () => {
    const input = {...fittedSyntheticInput({model: 'test/model', maxNumSeqs: 256}), extra: {pointsSpent: 60, engineTimeS: 125, wallTimeS: 4000}};
    const html = renderPage(input);
    expect(html).toContain('<th scope="row">Model</th><td>test/model</td>');
    expect(html).toContain('<th scope="row">max_model_len</th><td>unknown</td>');
    expect(html).toContain('<th scope="row">max_num_seqs</th><td>256</td>');
    expect(html).toContain('<th scope="row">Created</th><td>2025-06-01 12:00 UTC</td>');
    expect(html).toContain('<th scope="row">Engine time</th><td>2 min 5 s</td>');
    expect(html).toContain('<th scope="row">Wall time</th><td>1 h 6 min</td>');
    const {quality} = input.prefillModel!;
    expect(html).toContain(`<th scope="row">TTFT</th><td>${input.prefillModel!.form}</td><td>${quality.cvMape.toFixed(2)}%</td>`);
    expect(html).toContain('The engine&#39;s GPU count is unknown');
  });

  it('draws points alone without fits, and omits the prefill plots with a note when there are no prefill points', () => {
    const {decode} = syntheticPoints();
    const html = renderPage({profile: syntheticProfile({prefill: [], decode})});
    expect(figureIds(html)).toEqual(['plot-itl', 'plot-decode-frontier']);
    expect(html).toContain('No prefill points were measured. The TTFT plot is omitted.');
    expect(html).toContain('There is no ITL fit, so no ITL residuals.');
    expect(html).toContain('<th scope="row">ITL</th><td colspan="6">no fit</td>');
    expect(embeddedFigures(html)[0]!.data).toHaveLength(4);
  });

  it('omits the decode plots with a note when there are no decode points', () => {
    const {prefill} = syntheticPoints();
    const html = renderPage({profile: syntheticProfile({prefill, decode: []})});
    expect(figureIds(html)).toEqual(['plot-ttft', 'plot-prefill-frontier']);
    expect(html).toContain('No decode points were measured. The ITL plot is omitted.');
  });

  it('uses the fits stored in the profile when none are given', () => {
    const {profile, prefillModel, decodeModel} = fittedSyntheticInput();
    const html = renderPage({profile: {...profile, fits: {prefill: prefillModel!, decode: decodeModel!}}});
    expect(figureIds(html)).toEqual(ALL_PLOTS);
  });

  it('sets points above max_num_seqs apart, as the ITL fit leaves them out', () => {
    const html = renderPage(fittedSyntheticInput({maxNumSeqs: 128}));
    const itl = embeddedFigures(html).find((figure) => figure.id === 'plot-itl')!;
    const queued = itl.data.at(-1) as {name: string; x: number[]};
    expect(queued.name).toBe('above max_num_seqs (not fitted)');
    expect(queued.x).toEqual([256, 256, 256, 256]);
  });
});

describe('writeProfileReport', () => {
  it('writes DIR/report.html, reading points the profile keeps in a raw file', () => {
    const dir = freshDir();
    const input = fittedSyntheticInput();
    writeFileSync(join(dir, 'points.json'), JSON.stringify(input.profile.points));
    const profile = {...input.profile, points: {rawFile: 'points.json'}};

    expect(() => renderProfileReport({...input, profile})).toThrow(/points\.json/);
    const path = writeProfileReport(dir, {...input, profile});
    expect(path).toBe(join(dir, 'report.html'));
    expect(readFileSync(path, 'utf8') === renderProfileReport(input)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['points.json', 'report.html']);
    rmSync(dir, {recursive: true});
  });
});
