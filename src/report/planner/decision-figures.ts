// The two decision-reason timelines. Each reason is its own row (a category on the y axis), colour and marker, and is
// named on hover and in the legend, so the timeline reads without colour.
import type {Data} from 'plotly.js-dist-min';
import {LOAD_REASONS as LOAD_DECISION_STATES, THROUGHPUT_REASONS as THROUGHPUT_DECISION_STATES} from '../../planner/reasons.js';
import type {PlannerSnapshot} from '../../planner/telemetry/snapshot.js';
import {escapePlotlyText} from '../escape.js';
import type {ReportFigure} from '../figure.js';
import {seriesStyle} from '../series-style.js';
import {timeFigure} from './timeline.js';

type Mode = 'load' | 'throughput';

const KNOWN: Record<Mode, readonly string[]> = {load: LOAD_DECISION_STATES, throughput: THROUGHPUT_DECISION_STATES};

const CAPTIONS: Record<Mode, string> = {
  load: "Why the load mode decided as it did at each load tick (scale_up, no_change, scale_down_capped_by_throughput, ...).",
  throughput: 'Why the throughput mode decided as it did at each throughput tick (set_lower_bound, scale, no_traffic_data, ...).',
};

export function decisionFigure(snapshots: readonly PlannerSnapshot[], x: number[], mode: Mode): ReportFigure {
  const ticks = snapshots.flatMap((snapshot, index) => {
    const reason = snapshot.reasons?.[mode];
    return reason ? [{reason, time: x[index]!}] : [];
  });
  // Rows in the reference's order, so the same reason sits at the same height in every report; reasons beyond it after.
  const seen = new Set(ticks.map((tick) => tick.reason));
  const rows = [...KNOWN[mode].filter((reason) => seen.has(reason)), ...[...seen].filter((reason) => !KNOWN[mode].includes(reason))];
  const data: Data[] = rows.map((reason) => {
    const style = seriesStyle(Math.max(0, KNOWN[mode].indexOf(reason)) + (KNOWN[mode].includes(reason) ? 0 : KNOWN[mode].length));
    const label = escapePlotlyText(reason);
    const times = ticks.filter((tick) => tick.reason === reason).map((tick) => tick.time);
    return {
      type: 'scatter',
      mode: 'markers',
      name: label,
      x: times,
      y: times.map(() => label),
      text: times.map(() => label),
      marker: {symbol: style.symbol, size: 9, color: style.colour},
      hovertemplate: '%{x}<br>%{text}<extra></extra>',
    };
  });
  const title = `${mode === 'load' ? 'Load' : 'Throughput'} scaling decisions`;
  return timeFigure({
    id: `plot-${mode}-decisions`,
    title,
    yTitle: 'Decision reason',
    caption: CAPTIONS[mode],
    data,
    hasData: data.length > 0,
    layout: {
      yaxis: {title: {text: 'Decision reason'}, type: 'category', categoryorder: 'array', categoryarray: rows.map(escapePlotlyText), automargin: true},
      hovermode: 'closest',
    },
  });
}
