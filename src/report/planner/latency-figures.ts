// Latency against the SLA: what clients saw (observed) and what the load mode's regression expects (estimated).
import {type PlannerSnapshot} from '../../planner/telemetry/snapshot.js';
import type {ReportFigure} from '../figure.js';
import {seriesStyle} from '../series-style.js';
import {anyValue, lineTrace, seriesOf, timeFigure} from './timeline.js';

const SLA_STYLE = {colour: '#000000', symbol: 'x', dash: 'dash'} as const;

type Kind = 'observed' | 'estimated';
type Metric = 'ttft_ms' | 'itl_ms';

const WORDS: Record<Metric, {short: string; long: string}> = {
  ttft_ms: {short: 'TTFT', long: 'Time to first token'},
  itl_ms: {short: 'ITL', long: 'Inter-token latency'},
};

const CAPTIONS: Record<Kind, string> = {
  observed: 'Solid: the mean measured over the last throughput interval. Dashed: the SLA target.',
  estimated: "Solid: the load mode's estimate for the busiest engine, from its online regression of step time. Dashed: the SLA target.",
};

export function latencyFigure(snapshots: readonly PlannerSnapshot[], x: number[], kind: Kind, metric: Metric): ReportFigure {
  const {short, long} = WORDS[metric];
  const values = seriesOf(snapshots, (s) => s[kind]?.[metric]);
  const target = seriesOf(snapshots, (s) => s.sla?.[metric]);
  const name = `${kind === 'observed' ? 'Observed' : 'Estimated'} ${short}`;
  const data = [lineTrace(x, {name, y: values, style: seriesStyle(kind === 'observed' ? 0 : 2), unit: 'ms', dash: 'solid', markers: true})];
  if (anyValue(target)) data.push(lineTrace(x, {name: `SLA target ${short}`, y: target, style: SLA_STYLE, unit: 'ms', dash: 'dash', step: true}));
  return timeFigure({
    id: `plot-${kind}-${metric.replace('_ms', '')}`,
    title: `${name} vs SLA`,
    yTitle: `${long} (ms)`,
    caption: CAPTIONS[kind],
    data,
    hasData: anyValue(values),
  });
}
