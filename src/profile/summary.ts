import type {PointSet} from './artifact.js';

export interface ValueRange {
  min: number;
  max: number;
}

/** What a point set covers, for a one-screen summary. Ranges are null when there are no points of that kind. */
export interface PointSummary {
  prefill: {points: number; isl: ValueRange | null};
  decode: {points: number; context: ValueRange | null; concurrency: ValueRange | null};
}

export function summarizePoints(points: PointSet): PointSummary {
  return {
    prefill: {points: points.prefill.length, isl: rangeOf(points.prefill.map((point) => point.isl))},
    decode: {
      points: points.decode.length,
      context: rangeOf(points.decode.map((point) => point.context)),
      concurrency: rangeOf(points.decode.map((point) => point.concurrency)),
    },
  };
}

function rangeOf(values: number[]): ValueRange | null {
  return values.length === 0 ? null : {min: Math.min(...values), max: Math.max(...values)};
}
