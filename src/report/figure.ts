import type {Data, Layout} from 'plotly.js-dist-min';

/** One plot: plain data for Plotly.newPlot, plus the text around it. */
export interface ReportFigure {
  /** The id of the element the plot is drawn in. */
  id: string;
  title: string;
  /** What the plot shows and how to read it, below the plot. */
  caption: string;
  data: Data[];
  layout: Partial<Layout>;
}

export interface Axes {
  x: string;
  y: string;
  /** A log axis where the measured range spans orders of magnitude (batch sizes 1 to a thousand). */
  xLog?: boolean;
}

/** Every plot has a title and both axes labelled with units. */
export function figureLayout(title: string, axes: Axes, legendTitle?: string): Partial<Layout> {
  return {
    title: {text: title},
    xaxis: {title: {text: axes.x}, type: axes.xLog ? 'log' : 'linear', zeroline: false},
    yaxis: {title: {text: axes.y}, rangemode: 'tozero'},
    ...(legendTitle !== undefined && {legend: {title: {text: legendTitle}}}),
    hovermode: 'closest',
    margin: {t: 60, r: 20, b: 60, l: 80},
    font: {family: 'system-ui, sans-serif', size: 13},
  };
}
