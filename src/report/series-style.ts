import type {Dash, Data, ScatterData} from 'plotly.js-dist-min';

type ScatterSymbol = Extract<NonNullable<NonNullable<ScatterData['marker']>['symbol']>, string>;

// Series differ by marker symbol and line dash as well as colour, so they read without colour (and in greyscale).
// Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies (its yellow is left
// out: too faint on white).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const SYMBOLS: ScatterSymbol[] = ['circle', 'square', 'diamond', 'triangle-up', 'triangle-down', 'cross', 'x', 'star', 'pentagon', 'hexagon'];
const DASHES: Dash[] = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

export interface SeriesStyle {
  colour: string;
  symbol: ScatterSymbol;
  dash: Dash;
}

export function seriesStyle(index: number): SeriesStyle {
  return {colour: COLOURS[index % COLOURS.length]!, symbol: SYMBOLS[index % SYMBOLS.length]!, dash: DASHES[index % DASHES.length]!};
}

/** The single-series plots (prefill) use the first style; points the fit left out are grey, open markers. */
export const PRIMARY = seriesStyle(0);
export const LEFT_OUT_COLOUR = '#777777';

/** The fitted line of one context's series: same colour and dash as its markers, kept out of the legend. */
export function contextFitLine(name: string, group: string, style: SeriesStyle, line: {x: number[]; y: number[]; customdata?: number[]; hovertemplate: string}): Data {
  return {
    type: 'scatter',
    mode: 'lines',
    name,
    legendgroup: group,
    showlegend: false,
    ...line,
    line: {color: style.colour, dash: style.dash, width: 2},
  };
}
