// The frontier drawn with text: throughput per GPU up, the latency target across (log scale), one glyph per sized
// point, "x" on the floor where no deployment meets the target, and "@" with a label at the current operating point.
// Glyphs and words carry the meaning, never colour.
import {formatMs} from '../cli/render-sizing.js';
import type {Frontier} from './frontier.js';

export const GLYPH_POINT = '*';
export const GLYPH_INFEASIBLE = 'x';
export const GLYPH_CURRENT = '@';

export interface OperatingPoint {
  targetMs: number;
  /** Null when the current target cannot be met: the marker then sits on the floor. */
  throughputPerGpu: number | null;
}

export interface PlotSize {
  /** Characters across, including the y-axis labels. */
  width: number;
  /** Rows of the plot area (the axis and its labels add two). */
  height: number;
}

/** Width of the y-axis labels, e.g. " 1500 |". */
const Y_LABEL = 7;

/** The chart's lines: `height` plot rows, the x axis, and its labels (min, title, max). */
export function plotFrontier(frontier: Frontier, current: OperatingPoint | null, size: PlotSize, axisTitle: string): string[] {
  const plotWidth = Math.max(8, size.width - Y_LABEL);
  const height = Math.max(2, size.height);
  const targets = [...frontier.points.map((point) => point.targetMs), ...(current ? [current.targetMs] : [])];
  const values = [...frontier.points.map((point) => point.throughputPerGpu), current?.throughputPerGpu ?? null].filter((value): value is number => value !== null);
  if (targets.length === 0) return [centered('(nothing to sweep)', size.width)];
  const xMin = Math.min(...targets);
  const xMax = Math.max(...targets);
  const yMax = niceCeiling(Math.max(1, ...values));
  const grid = Array.from({length: height}, () => Array<string>(plotWidth).fill(' '));
  const column = (target: number) => (xMax === xMin ? Math.floor(plotWidth / 2) : Math.round(((Math.log(target) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * (plotWidth - 1)));
  const row = (value: number | null) => (value === null ? height - 1 : height - 1 - Math.round((value / yMax) * (height - 1)));
  for (const point of frontier.points) grid[row(point.throughputPerGpu)]![column(point.targetMs)] = point.throughputPerGpu === null ? GLYPH_INFEASIBLE : GLYPH_POINT;
  if (current) {
    const r = row(current.throughputPerGpu);
    const c = column(current.targetMs);
    grid[r]![c] = GLYPH_CURRENT;
    const label = current.throughputPerGpu === null ? 'now: infeasible' : `now ${current.throughputPerGpu.toFixed(0)}`;
    const [labelRow, labelStart] = labelPlace(grid, r, c, label.length);
    for (let i = 0; i < label.length; i++) grid[labelRow]![labelStart + i] = label[i]!;
  }
  const yLabel = (index: number) => {
    if (index === 0) return yMax.toFixed(0);
    if (index === height - 1) return '0';
    // A middle label only where a row sits exactly at half the top.
    if (height >= 5 && (height - 1) % 2 === 0 && index === (height - 1) / 2) return (yMax / 2).toFixed(0);
    return '';
  };
  const lines = grid.map((cells, index) => `${yLabel(index).padStart(Y_LABEL - 2)} |${cells.join('')}`.trimEnd());
  lines.push(`${' '.repeat(Y_LABEL - 2)} +${'-'.repeat(plotWidth)}`);
  const left = formatTarget(xMin);
  const right = formatTarget(xMax);
  const room = plotWidth - left.length - right.length;
  const title = axisTitle.length + 2 <= room ? axisTitle : '';
  const before = Math.floor((room - title.length) / 2);
  lines.push(`${' '.repeat(Y_LABEL)}${left}${' '.repeat(Math.max(1, before))}${title}${' '.repeat(Math.max(1, room - before - title.length))}${right}`.trimEnd());
  return lines;
}

/**
 * Where the marker's label goes: beside it on its row (right, then left), else on the row above or below starting
 * over it; the first place whose cells and a margin are blank, so no point is hidden. Crowded: right, over points.
 */
function labelPlace(grid: string[][], row: number, column: number, length: number): [number, number] {
  const width = grid[0]!.length;
  const places: [number, number][] = [
    [row, column + 2],
    [row, column - 1 - length],
    [row - 1, column],
    [row + 1, column],
    [row - 1, column - length + 1],
    [row + 1, column - length + 1],
  ];
  const blank = ([r, start]: [number, number]) => {
    if (r < 0 || r >= grid.length || start < 0 || start + length > width) return false;
    for (let i = Math.max(0, start - 1); i <= Math.min(width - 1, start + length); i++) if (grid[r]![i] !== ' ' && !(r === row && i === column)) return false;
    return true;
  };
  return places.find(blank) ?? [row, Math.min(column + 2, Math.max(0, width - length))];
}

/** A round axis top at or above the value: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const mantissa = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((step) => step * power >= value - 1e-9)!;
  return Number((mantissa * power).toPrecision(12));
}

function formatTarget(ms: number): string {
  return `${formatMs(ms)} ms`;
}

function centered(text: string, width: number): string {
  return `${' '.repeat(Math.max(0, Math.floor((width - text.length) / 2)))}${text}`;
}
