// How the screen fits the terminal: inputs beside the results when there is room, the frontier below them when there
// are rows to spare, hidden when not. The whole frame stays below the terminal's height so ink redraws in place.
import {HELP_LINES} from './keys.js';

export interface ScreenLayout {
  /** Inputs and results side by side (else stacked). */
  sideBySide: boolean;
  fieldsWidth: number;
  resultsWidth: number;
  showFrontier: boolean;
  /** The chart's width and plot rows (its title and axis add three). */
  chartWidth: number;
  chartHeight: number;
  helpLine: string;
}

/** Rows the inputs and the results each take at most (a title and eight lines). */
const PANEL_ROWS = 9;
const FIELDS_WIDTH = 30;
const MIN_RESULTS_WIDTH = 30;
const MIN_CHART_ROWS = 4;
const MAX_CHART_ROWS = 16;
const MIN_CHART_WIDTH = 40;
/** Header, status and the chart's title and axis lines. */
const FIXED_ROWS = 1 + 1 + 3;

export function screenLayout(columns: number, rows: number): ScreenLayout {
  const sideBySide = columns >= FIELDS_WIDTH + MIN_RESULTS_WIDTH;
  const helpLine = HELP_LINES.find((line) => line.length < columns) ?? HELP_LINES.at(-1)!;
  const helpRows = Math.max(1, Math.ceil(helpLine.length / Math.max(1, columns)));
  const panels = sideBySide ? PANEL_ROWS : 2 * PANEL_ROWS;
  // One row spare: a frame as tall as the terminal makes ink clear the screen on every redraw.
  const chartRows = Math.min(MAX_CHART_ROWS, rows - 1 - FIXED_ROWS - helpRows - panels);
  const showFrontier = chartRows >= MIN_CHART_ROWS && columns >= MIN_CHART_WIDTH;
  return {
    sideBySide,
    fieldsWidth: sideBySide ? FIELDS_WIDTH : columns,
    resultsWidth: sideBySide ? columns - FIELDS_WIDTH : columns,
    showFrontier,
    chartWidth: Math.max(MIN_CHART_WIDTH, columns - 1),
    chartHeight: showFrontier ? chartRows : 0,
    helpLine,
  };
}
