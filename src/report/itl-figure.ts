import type {Data} from 'plotly.js-dist-min';
import {itlAt, type ItlModel} from '../fit/index.js';
import type {ProfileDecodePoint} from '../profile/artifact.js';
import {byContext} from './contexts.js';
import {type ReportFigure, figureLayout} from './figure.js';
import {formatCount} from './format.js';
import {wantsLogAxis, wholeNumbersBetween} from './sampling.js';
import {contextFitLine, LEFT_OUT_COLOUR, seriesStyle} from './series-style.js';

/**
 * ITL against concurrency, one series per context: measured markers and the fit as a line in the same style, over the
 * concurrencies measured at that context. Points above max_num_seqs are shown apart, as the fit left them out.
 */
export function itlFigure(batched: readonly ProfileDecodePoint[], queued: readonly ProfileDecodePoint[], contexts: readonly number[], model: ItlModel | undefined): ReportFigure {
  const title = 'Inter-token latency vs concurrency';
  const data: Data[] = byContext(batched).flatMap(({context, points}) => {
    const style = seriesStyle(contexts.indexOf(context));
    const group = `ctx-${context}`;
    const measured: Data = {
      type: 'scatter',
      mode: 'markers',
      name: formatCount(context),
      legendgroup: group,
      x: points.map((point) => point.concurrency),
      y: points.map((point) => point.itlMs),
      marker: {symbol: style.symbol, size: 8, color: style.colour},
      hovertemplate: `${formatCount(context)}-token context<br>%{x} sequences<br>ITL %{y:.2f} ms<extra>measured</extra>`,
    };
    if (!model) return [measured];
    const concurrencies = points.map((point) => point.concurrency);
    const grid = wholeNumbersBetween(Math.min(...concurrencies), Math.max(...concurrencies));
    const fit = contextFitLine(`${formatCount(context)} fit`, group, style, {
      x: grid,
      y: grid.map((n) => itlAt(model, n, context)),
      hovertemplate: `${formatCount(context)}-token context<br>%{x} sequences<br>ITL %{y:.2f} ms<extra>fit</extra>`,
    });
    return [measured, fit];
  });
  if (queued.length > 0) data.push(queuedTrace(queued));

  const all = [...batched, ...queued].map((point) => point.concurrency);
  const legendTitle = model ? 'Context (tokens)<br>markers: measured, lines: fit' : 'Context (tokens)';
  return {
    id: 'plot-itl',
    title,
    caption: caption(model, queued.length),
    data,
    layout: figureLayout(title, {x: 'Concurrency (sequences decoding)', y: 'ITL (ms)', xLog: wantsLogAxis(all)}, legendTitle),
  };
}

function queuedTrace(queued: readonly ProfileDecodePoint[]): Data {
  return {
    type: 'scatter',
    mode: 'markers',
    name: 'above max_num_seqs (not fitted)',
    x: queued.map((point) => point.concurrency),
    y: queued.map((point) => point.itlMs),
    customdata: queued.map((point) => point.context),
    marker: {symbol: 'circle-open', size: 9, color: LEFT_OUT_COLOUR, line: {width: 2}},
    hovertemplate: '%{customdata}-token context<br>%{x} sequences<br>ITL %{y:.2f} ms<extra>above max_num_seqs</extra>',
  };
}

function caption(model: ItlModel | undefined, queued: number): string {
  const fit = model
    ? `Markers: measured; lines: the ${model.form} fit at each context, in the same colour, symbol and dash.`
    : 'Measured points only: there is no ITL fit.';
  const left = queued > 0 ? ` Open grey circles: ${queued} point(s) above max_num_seqs, where vLLM queued the excess sequences; the fit leaves them out.` : '';
  return fit + left;
}
