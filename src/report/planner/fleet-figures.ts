// The fleet and its traffic: replicas against the throughput floor, request rate, engine capacity and sequence
// lengths, each observed against what the planner predicted.
import {type PerRole, type PlannerSnapshot, ROLES} from '../../planner/telemetry/snapshot.js';
import type {ReportFigure} from '../figure.js';
import {seriesStyle} from '../series-style.js';
import {anyValue, type Line, lineTrace, seriesOf, timeFigure} from './timeline.js';

const ROLE_STYLE = {prefill: seriesStyle(0), decode: seriesStyle(1)};
const ROLE_NAME = {prefill: 'Prefill', decode: 'Decode'};

export function replicasFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const lines: Line[] = [];
  let hasData = false;
  for (const role of ROLES) {
    const style = ROLE_STYLE[role];
    const ready = seriesOf(snapshots, (s) => s.replicas?.ready?.[role]);
    const target = seriesOf(snapshots, (s) => s.replicas?.target?.[role]);
    const floor = seriesOf(snapshots, (s) => s.throughput_lower_bound?.[role]);
    hasData ||= anyValue(ready) || anyValue(target);
    if (anyValue(ready)) lines.push({name: `${ROLE_NAME[role]} ready`, y: ready, style, unit: 'engines', markers: true, step: true, dash: 'solid'});
    if (anyValue(target)) lines.push({name: `${ROLE_NAME[role]} target`, y: target, style, unit: 'engines', step: true, dash: 'dot'});
    if (anyValue(floor)) lines.push({name: `${ROLE_NAME[role]} throughput floor`, y: floor, style, unit: 'engines', step: true, dash: 'dash'});
  }
  return timeFigure({
    id: 'plot-replicas',
    title: 'Replicas',
    yTitle: 'Engines',
    caption:
      'Solid with markers: engines serving. Dotted: engines asked for (serving or starting). Dashed: the floor the ' +
      'throughput mode set from the predicted traffic; the load mode scales above it.',
    data: lines.map((line) => lineTrace(x, line)),
    hasData,
  });
}

/** Observed (solid) against predicted (dotted) for each quantity; the chart is empty when nothing was observed or predicted. */
function observedVsPredicted(
  snapshots: readonly PlannerSnapshot[],
  quantities: {name: string; unit: string; observed: (s: PlannerSnapshot) => number | undefined; predicted: (s: PlannerSnapshot) => number | undefined}[],
): {lines: Line[]; hasData: boolean} {
  const lines: Line[] = [];
  quantities.forEach((quantity, index) => {
    const style = seriesStyle(index);
    const observed = seriesOf(snapshots, quantity.observed);
    const predicted = seriesOf(snapshots, quantity.predicted);
    if (anyValue(observed)) lines.push({name: `Observed ${quantity.name}`, y: observed, style, unit: quantity.unit, dash: 'solid', markers: true});
    if (anyValue(predicted)) lines.push({name: `Predicted ${quantity.name}`, y: predicted, style, unit: quantity.unit, dash: 'dot'});
  });
  return {lines, hasData: lines.length > 0};
}

export function requestRateFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const {lines, hasData} = observedVsPredicted(snapshots, [
    {name: 'request rate', unit: 'req/s', observed: (s) => s.observed?.requests_per_second, predicted: (s) => s.predicted?.requests_per_second},
  ]);
  return timeFigure({
    id: 'plot-request-rate',
    title: 'Request rate: observed vs predicted',
    yTitle: 'Requests per second',
    caption: 'Solid: the rate observed over the last throughput interval. Dotted: the rate the predictor expected for it.',
    data: lines.map((line) => lineTrace(x, line)),
    hasData,
  });
}

export function sequenceLengthFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const {lines, hasData} = observedVsPredicted(snapshots, [
    {name: 'ISL', unit: 'tokens', observed: (s) => s.observed?.isl, predicted: (s) => s.predicted?.isl},
    {name: 'OSL', unit: 'tokens', observed: (s) => s.observed?.osl, predicted: (s) => s.predicted?.osl},
  ]);
  return timeFigure({
    id: 'plot-sequence-lengths',
    title: 'Sequence lengths: observed vs predicted',
    yTitle: 'Mean length (tokens)',
    caption: 'Mean input (ISL) and output (OSL) lengths per throughput interval. Solid: observed. Dotted: predicted.',
    data: lines.map((line) => lineTrace(x, line)),
    hasData,
  });
}

export function engineCapacityFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const capacity = (role: keyof PerRole) => seriesOf(snapshots, (s) => s.engine_capacity_rps?.[role]);
  const lines: Line[] = ROLES.map((role) => ({name: `${ROLE_NAME[role]} engine`, y: capacity(role), style: ROLE_STYLE[role], unit: 'req/s', markers: true}))
    .filter((line) => anyValue(line.y));
  return timeFigure({
    id: 'plot-engine-capacity',
    title: 'Engine capacity',
    yTitle: 'Requests per second per engine',
    caption: 'The request rate one engine of each role serves within the SLA at the predicted sequence lengths.',
    data: lines.map((line) => lineTrace(x, line)),
    hasData: lines.length > 0,
  });
}
