import type {Data, Layout} from 'plotly.js-dist-min';
import {itlAt, type ItlModel, type PrefillPoint, ttftAt, type TtftModel} from '../fit/index.js';
import type {ProfileDecodePoint} from '../profile/artifact.js';
import {byContext} from './contexts.js';
import {type ReportFigure, figureLayout} from './figure.js';
import {formatCount, formatPercent} from './format.js';
import {wantsLogAxis} from './sampling.js';
import {LEFT_OUT_COLOUR, PRIMARY, seriesStyle} from './series-style.js';

// Residuals as (measured - predicted) / predicted in percent: a pattern (a trend, a bend at one end) says the form
// misses something; scatter within the dashed +-CV MAPE lines is measurement noise.

function residualPercent(measured: number, predicted: number): number {
  return ((measured - predicted) / predicted) * 100;
}

export function ttftResidualFigure(points: readonly PrefillPoint[], model: TtftModel): ReportFigure {
  const title = 'TTFT fit residuals';
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'measured vs fit',
      x: points.map((point) => point.isl),
      y: points.map((point) => residualPercent(point.ttftMs, ttftAt(model, point.isl))),
      marker: {symbol: PRIMARY.symbol, size: 8, color: PRIMARY.colour},
      hovertemplate: 'ISL %{x} tokens<br>%{y:+.1f}%<extra></extra>',
    },
  ];
  return {
    id: 'plot-ttft-residuals',
    title,
    caption: residualCaption(model),
    data,
    layout: withGuides(figureLayout(title, {x: 'Input sequence length (tokens)', y: 'Residual (% of fit)'}), model.quality.cvMape),
  };
}

export function itlResidualFigure(batched: readonly ProfileDecodePoint[], contexts: readonly number[], model: ItlModel): ReportFigure {
  const title = 'ITL fit residuals';
  const data: Data[] = byContext(batched).map(({context, points}) => {
    const style = seriesStyle(contexts.indexOf(context));
    return {
      type: 'scatter',
      mode: 'markers',
      name: formatCount(context),
      x: points.map((point) => point.concurrency),
      y: points.map((point) => residualPercent(point.itlMs, itlAt(model, point.concurrency, point.context))),
      marker: {symbol: style.symbol, size: 8, color: style.colour},
      hovertemplate: `${formatCount(context)}-token context<br>%{x} sequences<br>%{y:+.1f}%<extra></extra>`,
    };
  });
  const axes = {x: 'Concurrency (sequences decoding)', y: 'Residual (% of fit)', xLog: wantsLogAxis(batched.map((point) => point.concurrency))};
  return {
    id: 'plot-itl-residuals',
    title,
    caption: residualCaption(model),
    data,
    layout: withGuides(figureLayout(title, axes, 'Context (tokens)'), model.quality.cvMape),
  };
}

function residualCaption(model: TtftModel | ItlModel): string {
  return (
    `(measured - predicted) / predicted for the ${model.form} fit. Solid line: zero; dashed lines: \u00b1 the ` +
    `cross-validated MAPE (${formatPercent(model.quality.cvMape)}).`
  );
}

/** The zero line and the +-CV MAPE lines, drawn across the whole plot width. */
function withGuides(layout: Partial<Layout>, cvMape: number): Partial<Layout> {
  const across = (y: number, dash: 'solid' | 'dash') =>
    ({type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: {color: LEFT_OUT_COLOUR, width: 1, dash}}) as const;
  return {...layout, yaxis: {...layout.yaxis, rangemode: 'normal'}, shapes: [across(0, 'solid'), across(cvMape, 'dash'), across(-cvMape, 'dash')]};
}
