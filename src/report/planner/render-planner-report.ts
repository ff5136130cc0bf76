import {reportPageHtml} from '../page.js';
import {plotlyBundle} from '../plotly-bundle.js';
import type {ReportSection} from '../sections.js';
import {decisionFigure} from './decision-figures.js';
import {decodeKvFigure, prefillQueueFigure} from './engine-figures.js';
import {engineCapacityFigure, replicasFigure, requestRateFigure, sequenceLengthFigure} from './fleet-figures.js';
import {latencyFigure} from './latency-figures.js';
import {plannerSummaryHtml, plannerTitle, tickTimeText} from './summary.js';
import {plotTime} from './timeline.js';
import type {PlannerReportInput} from './types.js';

/**
 * The self-contained HTML diagnostics report of a planner window (plotly.js inlined): the twelve charts of Dynamo's
 * report, grouped in sections, under a header of time range, ticks, scaling events, GPU-hours and SLA targets. A chart
 * whose data no tick carried is drawn empty with "No data".
 */
export function renderPlannerReport(input: PlannerReportInput): string {
  const {snapshots} = input;
  const x = snapshots.map((snapshot) => plotTime(snapshot.now_s));
  const section = (id: string, heading: string, figures: ReportSection['figures']): ReportSection => ({id, heading, figures, notes: []});
  const first = snapshots[0];
  const last = snapshots.at(-1);
  return reportPageHtml({
    title: plannerTitle(input.modelName),
    subtitle: first && last ? `Ticks from ${tickTimeText(first.now_s)} to ${tickTimeText(last.now_s)} (tick clock).` : 'No ticks recorded yet.',
    summaryHtml: plannerSummaryHtml(input),
    sections: [
      section('fleet', 'Replicas and traffic', [replicasFigure(snapshots, x), requestRateFigure(snapshots, x)]),
      section('latency', 'Latency against the SLA', [
        latencyFigure(snapshots, x, 'observed', 'ttft_ms'),
        latencyFigure(snapshots, x, 'observed', 'itl_ms'),
        latencyFigure(snapshots, x, 'estimated', 'ttft_ms'),
        latencyFigure(snapshots, x, 'estimated', 'itl_ms'),
      ]),
      section('engines', 'Engine load', [prefillQueueFigure(snapshots, x), decodeKvFigure(snapshots, x)]),
      section('capacity', 'Capacity and sequence lengths', [engineCapacityFigure(snapshots, x), sequenceLengthFigure(snapshots, x)]),
      section('decisions', 'Decisions', [decisionFigure(snapshots, x, 'load'), decisionFigure(snapshots, x, 'throughput')]),
    ],
    plotly: plotlyBundle(),
  });
}
