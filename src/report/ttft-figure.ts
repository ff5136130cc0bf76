import type {Data} from 'plotly.js-dist-min';
import {type PrefillPoint, ttftAt, type TtftModel} from '../fit/index.js';
import {type ReportFigure, figureLayout} from './figure.js';
import {formatPercent} from './format.js';
import {evenlySpaced} from './sampling.js';
import {PRIMARY} from './series-style.js';

const BAND_FILL = 'rgba(0, 114, 178, 0.18)';

/**
 * TTFT against ISL: the measured points, and with a fit its curve inside a band of +-its cross-validated MAPE (the
 * typical error on an ISL the fit did not see), which is the error a sizing from this fit should expect.
 */
export function ttftFigure(points: readonly PrefillPoint[], model: TtftModel | undefined): ReportFigure {
  const title = 'Time to first token vs input length';
  const measured: Data = {
    type: 'scatter',
    mode: 'markers',
    name: 'measured',
    x: points.map((point) => point.isl),
    y: points.map((point) => point.ttftMs),
    marker: {symbol: PRIMARY.symbol, size: 8, color: PRIMARY.colour},
    hovertemplate: 'ISL %{x} tokens<br>TTFT %{y:.1f} ms<extra>measured</extra>',
  };
  const layout = figureLayout(title, {x: 'Input sequence length (tokens)', y: 'TTFT (ms)'});
  if (!model) return {id: 'plot-ttft', title, caption: 'Measured points only: there is no TTFT fit.', data: [measured], layout};

  const isls = points.map((point) => point.isl);
  const grid = evenlySpaced(Math.min(...isls), Math.max(...isls));
  const fitted = grid.map((isl) => ttftAt(model, isl));
  const band = model.quality.cvMape / 100;
  const {cvMape, cvMaxApe} = model.quality;
  return {
    id: 'plot-ttft',
    title,
    caption:
      `Line: the ${model.form} fit. Shaded band: the fit \u00b1 its cross-validated MAPE (${formatPercent(cvMape)}), ` +
      `the typical error on an ISL left out of the fit; the worst held-out error was ${formatPercent(cvMaxApe)}.`,
    data: [
      // The band is the area between these two lines: the upper fills down to the lower (`tonexty`).
      {type: 'scatter', mode: 'lines', x: grid, y: fitted.map((ttft) => ttft * (1 - band)), line: {width: 0}, hoverinfo: 'skip', showlegend: false},
      {
        type: 'scatter',
        mode: 'lines',
        name: `fit \u00b1 CV MAPE (${formatPercent(cvMape)})`,
        x: grid,
        y: fitted.map((ttft) => ttft * (1 + band)),
        line: {width: 0},
        fill: 'tonexty',
        fillcolor: BAND_FILL,
        hoverinfo: 'skip',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `fit (${model.form})`,
        x: grid,
        y: fitted,
        line: {color: PRIMARY.colour, width: 2},
        hovertemplate: 'ISL %{x:.0f} tokens<br>TTFT %{y:.1f} ms<extra>fit</extra>',
      },
      measured,
    ],
    layout,
  };
}
