// The planner report's header: the window it covers, how busy the planner was, what it cost, and the targets.
import {known, type PlannerSnapshot} from '../../planner/telemetry/snapshot.js';
import {type Fact, factTable} from '../fact-table.js';
import {formatCount, formatDuration, UNKNOWN} from '../format.js';
import type {PlannerReportInput} from './types.js';

/** A tick-clock time in words: `YYYY-MM-DD HH:MM:SS UTC`. */
export function tickTimeText(nowS: number): string {
  return `${new Date(nowS * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function plannerTitle(modelName: string | undefined): string {
  return `Planner diagnostics${modelName ? `: ${modelName}` : ''}`;
}

function latestTarget(snapshots: readonly PlannerSnapshot[], metric: 'ttft_ms' | 'itl_ms'): string {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const value = snapshots[i]!.sla?.[metric];
    if (known(value)) return `${formatCount(value)} ms`;
  }
  return UNKNOWN;
}

export function plannerSummaryHtml(input: PlannerReportInput): string {
  const {snapshots} = input;
  const first = snapshots[0];
  const last = snapshots.at(-1);
  const facts: Fact[] = [];
  if (input.modelName) facts.push(['Model', input.modelName]);
  facts.push(
    ['Time range', first && last ? `${tickTimeText(first.now_s)} to ${tickTimeText(last.now_s)}` : 'no ticks'],
    ['Duration', first && last ? formatDuration(last.now_s - first.now_s) : UNKNOWN],
    ['Ticks', formatCount(snapshots.length)],
    ['Scaling events', formatCount(input.scalingEvents)],
    ['GPU-hours', input.gpuHours.toFixed(2)],
  );
  if (input.gpuHoursTotal !== undefined) facts.push(['GPU-hours since the planner started', input.gpuHoursTotal.toFixed(2)]);
  const targets: Fact[] = [
    ['TTFT', latestTarget(snapshots, 'ttft_ms')],
    ['ITL', latestTarget(snapshots, 'itl_ms')],
  ];
  return [
    '<section id="summary" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    '<div class="summary-grid">',
    factTable('This report', facts),
    factTable('SLA targets', targets),
    '</div>',
    '</section>',
  ].join('\n');
}
