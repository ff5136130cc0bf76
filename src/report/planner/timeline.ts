// Charts over tick time: the x axis, series read from snapshots (gaps where a value is missing), and the empty chart
// that says so when a whole series is missing.
import type {Dash, Data, Layout} from 'plotly.js-dist-min';
import {known, type PlannerSnapshot} from '../../planner/telemetry/snapshot.js';
import {escapePlotlyText} from '../escape.js';
import {type ReportFigure, figureLayout} from '../figure.js';
import type {SeriesStyle} from '../series-style.js';

export const TIME_AXIS = 'Tick time (UTC)';

/**
 * A tick-clock time on a Plotly date axis: milliseconds since the epoch, drawn in UTC. A number rather than a date
 * string because every trace repeats the x values, and a window can hold 50 000 ticks.
 */
export function plotTime(nowS: number): number {
  return Math.round(nowS * 1000);
}

/**
 * A drawn value to about six significant digits, far finer than a chart shows: it keeps the embedded JSON small.
 * Values from 1 up keep three decimals (cheaper than toPrecision, which dominates rendering 50 000 ticks).
 */
function drawn(value: number): number {
  if (Number.isInteger(value)) return value;
  return Math.abs(value) >= 1 ? Math.round(value * 1000) / 1000 : Number(value.toPrecision(6));
}

/** One value per snapshot; missing, NaN and infinite values become null, which Plotly draws as a gap. */
export function seriesOf(snapshots: readonly PlannerSnapshot[], pick: (snapshot: PlannerSnapshot, tick: number) => number | null | undefined): (number | null)[] {
  return snapshots.map((snapshot, tick) => {
    const value = pick(snapshot, tick);
    return known(value) ? drawn(value) : null;
  });
}

export function anyValue(values: readonly (number | null)[]): boolean {
  return values.some((value) => value !== null);
}

export interface Line {
  /** Shown in the legend and on hover; escaped here, because Plotly reads tags in trace names. */
  name: string;
  y: (number | null)[];
  style: SeriesStyle;
  unit: string;
  /** Overrides the style's dash (reference lines are dashed whatever their index). */
  dash?: Dash;
  markers?: boolean;
  /** Replica counts change in steps between ticks. */
  step?: boolean;
}

export function lineTrace(x: number[], line: Line): Data {
  const name = escapePlotlyText(line.name);
  return {
    type: 'scatter',
    mode: line.markers ? 'lines+markers' : 'lines',
    name,
    x,
    y: line.y,
    line: {color: line.style.colour, dash: line.dash ?? line.style.dash, width: 2, ...(line.step && {shape: 'hv'})},
    ...(line.markers && {marker: {symbol: line.style.symbol, size: 6, color: line.style.colour}}),
    hovertemplate: `%{x}<br>%{y:,.4~f} ${escapePlotlyText(line.unit)}<extra>${name}</extra>`,
  };
}

export interface TimeChart {
  id: string;
  title: string;
  yTitle: string;
  caption: string;
  /** The series that carry data; reference lines (SLA, capacity) alone do not make a chart worth drawing. */
  data: Data[];
  hasData: boolean;
  layout?: Partial<Layout>;
}

/** A chart over tick time, or, when it has no data, an empty chart that says "No data" in its middle. */
export function timeFigure(chart: TimeChart): ReportFigure {
  const base = figureLayout(chart.title, {x: TIME_AXIS, y: chart.yTitle});
  if (!chart.hasData) {
    return {
      id: chart.id,
      title: chart.title,
      caption: `No data: no tick in this report carried it. ${chart.caption}`,
      data: [],
      layout: {
        ...base,
        xaxis: {visible: false},
        yaxis: {visible: false},
        annotations: [{text: 'No data', xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false, font: {size: 20, color: '#555555'}}],
      },
    };
  }
  return {
    id: chart.id,
    title: chart.title,
    caption: chart.caption,
    data: chart.data,
    // A legend even for one series: it names what is drawn (an engine, a reason) in text, not only by colour.
    layout: {...base, xaxis: {...base.xaxis, type: 'date'}, hovermode: 'x unified', showlegend: true, ...chart.layout},
  };
}
