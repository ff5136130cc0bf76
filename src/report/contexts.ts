import type {DecodePoint} from '../fit/index.js';

export interface ContextGroup<Point extends DecodePoint> {
  context: number;
  /** The points measured at this context, by rising concurrency. */
  points: Point[];
}

/** Decode points grouped by context length, shortest first: each context is one trace in the decode plots. */
export function byContext<Point extends DecodePoint>(points: readonly Point[]): ContextGroup<Point>[] {
  const groups = new Map<number, Point[]>();
  for (const point of points) groups.set(point.context, [...(groups.get(point.context) ?? []), point]);
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([context, grouped]) => ({context, points: grouped.sort((a, b) => a.concurrency - b.concurrency)}));
}
