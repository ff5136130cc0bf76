import {describe, expect, it} from 'vitest';
import {renderPlannerReport} from '../../../src/report/planner/index.js';
import {bareSnapshots, fullSnapshots, HOSTILE_MODEL, hostileSnapshots} from './snapshots.js';
import {embeddedFigures, fact, PLOT_IDS} from './report-html.js';

describe('renderPlannerReport', () => {
  it('draws the twelve charts in order, each with its series', () => {
    const html = renderPlannerReport({snapshots: fullSnapshots(120), gpuHours: 1.5, scalingEvents: 2});
    const figures = embeddedFigures(html);
    expect(figures.map((figure) => figure.id)).toEqual(PLOT_IDS);
    const traces = Object.fromEntries(figures.map((figure) => [figure.id, (figure.data as {name?: string}[]).map((trace) => trace.name)]));
    expect(traces['plot-replicas']).toEqual([
      'Prefill ready', 'Prefill target', 'Prefill throughput floor', 'Decode ready', 'Decode target', 'Decode throughput floor',
    ]);
    expect(traces['plot-request-rate']).toEqual(['Observed request rate', 'Predicted request rate']);
    expect(traces['plot-observed-ttft']).toEqual(['Observed TTFT', 'SLA target TTFT']);
    expect(traces['plot-estimated-itl']).toEqual(['Estimated ITL', 'SLA target ITL']);
    expect(traces['plot-prefill-queue']).toEqual(['P p0:dp0', 'P p1:dp0']);
    expect(traces['plot-decode-kv']).toEqual(['D d0:dp0', 'D d1:dp0', 'D d2:dp0', 'max_kv (one engine)']);
    expect(traces['plot-sequence-lengths']).toEqual(['Observed ISL', 'Predicted ISL', 'Observed OSL', 'Predicted OSL']);
    // Reasons in the reference's order, whatever order they first occur in.
    expect(traces['plot-load-decisions']).toEqual(['no_change', 'scale_up']);
    expect(traces['plot-throughput-decisions']).toEqual(['set_lower_bound']);
    expect(fact(html, 'Ticks')).toBe('120');
    expect(fact(html, 'Scaling events')).toBe('2');
    expect(fact(html, 'GPU-hours')).toBe('1.50');
    expect(fact(html, 'TTFT')).toBe('500 ms');
    expect(fact(html, 'ITL')).toBe('50 ms');
  });

  it('leaves a gap, not a zero, where one tick lacks a value', () => {
    const snapshots = fullSnapshots(5);
    delete snapshots[2]!.observed!.ttft_ms;
    snapshots[3]!.observed!.ttft_ms = Number.NaN;
    const ttft = embeddedFigures(renderPlannerReport({snapshots, gpuHours: 0, scalingEvents: 0})).find((figure) => figure.id === 'plot-observed-ttft')!;
    expect((ttft.data[0] as {y: (number | null)[]}).y.map((value) => value === null)).toEqual([false, false, true, true, false]);
  });

  it('says "No data" in every chart when the ticks carry nothing', () => {
    const html = renderPlannerReport({snapshots: bareSnapshots(10), gpuHours: 0, scalingEvents: 0});
    const figures = embeddedFigures(html) as unknown as {id: string; data: unknown[]; layout: {annotations?: {text: string}[]}}[];
    expect(figures.map((figure) => figure.id)).toEqual(PLOT_IDS);
    for (const figure of figures) {
      expect(figure.data).toEqual([]);
      expect(figure.layout.annotations?.map((annotation) => annotation.text)).toEqual(['No data']);
    }
    expect(fact(html, 'TTFT')).toBe('unknown');
    expect(fact(html, 'Ticks')).toBe('10');
  });

  it('escapes the model name, engine names and decision reasons', () => {
    const html = renderPlannerReport({snapshots: hostileSnapshots(), gpuHours: 0, scalingEvents: 0, modelName: HOSTILE_MODEL});
    // Nothing the user named reaches the HTML as markup: not in the header, the title, nor the figures' JSON.
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script><script>window');
    expect(html).toContain('<title>Planner diagnostics: &lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;</title>');
    expect(fact(html, 'Model')).toBe('&lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;');
    // In the figures, names are entity-escaped for Plotly (which reads tags in text), then made script-safe.
    const prefill = embeddedFigures(html).find((figure) => figure.id === 'plot-prefill-queue')!;
    expect((prefill.data[0] as {name: string}).name).toBe('P &lt;img src=x onerror="window.__pwned=1"&gt;:dp0');
    // Exactly the three script elements the page needs: plotly, the figures, the drawing code.
    expect(html.match(/<script/g)).toHaveLength(3);
  });
});
