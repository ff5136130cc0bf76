// An interval's request lengths cut to the few points the queue model uses. The sizer's workload keeps 64 equal-weight
// ISL quantiles anyway (src/sizing/workload.ts); cutting the interval's thousands of requests to those requests once
// per tick, each with its own OSL, keeps a throughput tick's cost independent of the traffic (every capacity asked of
// the model rescales and re-summarizes its samples).
import type {LengthSample} from '../../sizing/types.js';

/** The most points an interval's lengths are cut to (the sizer's ISL quantile count). */
export const LENGTH_POINTS = 64;

/** The requests at `points` equal-weight ISL quantiles of `lengths`, in ISL order (all of them when fewer). */
export function representativeLengths(lengths: readonly LengthSample[], points = LENGTH_POINTS): LengthSample[] {
  if (lengths.length <= points) return lengths.slice();
  const order = orderByIsl(lengths);
  const picked: LengthSample[] = [];
  for (let i = 0; i < points; i++) picked.push(lengths[order[Math.floor(((i + 0.5) / points) * lengths.length)]!]!);
  return picked;
}

const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * Indices of `lengths` in ascending ISL (rounded to whole tokens), by an LSD radix sort: a comparison sort of an
 * interval's thousands of requests cost more than the rest of the tick.
 */
function orderByIsl(lengths: readonly LengthSample[]): Uint32Array {
  const count = lengths.length;
  const keys = new Uint32Array(count);
  let largest = 0;
  for (let index = 0; index < count; index++) {
    keys[index] = Math.min(0xffffffff, Math.max(0, Math.round(lengths[index]!.isl)));
    largest = Math.max(largest, keys[index]!);
  }
  let order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  let next = new Uint32Array(count);
  const starts = new Uint32Array(DIGIT_MASK + 2);
  for (let shift = 0; shift < 32 && largest >>> shift > 0; shift += DIGIT_BITS) {
    starts.fill(0);
    for (let i = 0; i < count; i++) starts[((keys[order[i]!]! >>> shift) & DIGIT_MASK) + 1]!++;
    for (let digit = 1; digit <= DIGIT_MASK + 1; digit++) starts[digit]! += starts[digit - 1]!;
    for (let i = 0; i < count; i++) {
      const index = order[i]!;
      next[starts[(keys[index]! >>> shift) & DIGIT_MASK]!++] = index;
    }
    [order, next] = [next, order];
  }
  return order;
}
