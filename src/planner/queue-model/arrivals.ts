// What the interval's arrival counts say about its traffic at short time scales, which its mean rate hides.
import type {PlannerConfig} from '../config.js';
import {quantile} from '../forecast.js';

/** The window to count arrivals in for the queue model: the TTFT target (at least 0.1 s), the time scale within which
 * a queue must clear. */
export function arrivalWindowS(config: PlannerConfig): number {
  return Math.max(0.1, config.ttft / 1000);
}

/**
 * The index of dispersion (variance / mean) of the counts: 1 for Poisson arrivals, more for clumped ones. It stands
 * in for the arrival scv of a G/G/c queue at the windows' time scale; never below 1 (smoother than Poisson is not
 * trusted from one interval).
 */
export function arrivalDispersion(counts: readonly number[]): number {
  if (counts.length < 2) return 1;
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  if (mean <= 0) return 1;
  const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / counts.length;
  return Math.max(1, variance / mean);
}

/**
 * How far the interval's busier windows of `burstWindowS` run above its mean: the `percentile` (0-100) of the
 * per-window counts over their mean, >= 1. Counts given per `windowS` are summed into burst windows first.
 */
export function burstFactor(counts: readonly number[], windowS: number, burstWindowS: number, percentile: number): number {
  const group = Math.max(1, Math.round(burstWindowS / windowS));
  const windows: number[] = [];
  for (let start = 0; start < counts.length; start += group) windows.push(counts.slice(start, start + group).reduce((sum, count) => sum + count, 0));
  const total = windows.reduce((sum, count) => sum + count, 0);
  if (windows.length < 2 || total === 0) return 1;
  return Math.max(1, quantile(windows, percentile / 100) / (total / windows.length));
}

/** Arrival counts per `windowS` over [startS, endS) of the arrival times given (seconds). */
export function arrivalCounts(arrivalsS: readonly number[], startS: number, endS: number, windowS: number): number[] {
  // Whole windows only: a partial last one would read as a lull.
  const counts = new Array<number>(Math.max(1, Math.floor((endS - startS) / windowS + 1e-9))).fill(0);
  for (const atS of arrivalsS) {
    const index = Math.floor((atS - startS) / windowS);
    if (index >= 0 && index < counts.length) counts[index]!++;
  }
  return counts;
}
