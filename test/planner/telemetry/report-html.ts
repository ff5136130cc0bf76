// Reading a planner report back: its header facts and its figures as the drawing script sees them.
import {embeddedFigures} from '../../report/embedded-figures.js';

export {embeddedFigures};

/** The text of a header row, e.g. fact(html, 'Ticks') -> '9'. */
export function fact(html: string, label: string): string | undefined {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<th scope="row">${escaped}</th><td>([^<]*)</td>`).exec(html)?.[1];
}

export const PLOT_IDS = [
  'plot-replicas',
  'plot-request-rate',
  'plot-observed-ttft',
  'plot-observed-itl',
  'plot-estimated-ttft',
  'plot-estimated-itl',
  'plot-prefill-queue',
  'plot-decode-kv',
  'plot-engine-capacity',
  'plot-sequence-lengths',
  'plot-load-decisions',
  'plot-throughput-decisions',
];
