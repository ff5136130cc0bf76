// Steps for numbers edited with the arrow keys: about 10% at a time, landing on round values (20 -> 22 -> 25 -> 28),
// so a few presses cover a decade and stepping back returns to the same values.

/** Mantissas about 10% apart; each decade repeats them. */
const FINE = [1, 1.1, 1.2, 1.3, 1.5, 1.6, 1.8, 2, 2.2, 2.5, 2.8, 3, 3.3, 3.6, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 9];

/** The E12 series: about 20% apart, the grid a frontier sweep samples (a fixed grid, so sweeps share points). */
export const SWEEP_MANTISSAS = [1, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2];

/** The next round value above (direction 1) or below (-1) a positive value; whole numbers move by at least 1. */
export function niceStep(value: number, direction: 1 | -1, integer = false): number {
  const next = ladderNeighbour(FINE, value, direction);
  if (!integer) return next;
  return direction > 0 ? Math.max(Math.round(value) + 1, Math.round(next)) : Math.min(Math.round(value) - 1, Math.round(next));
}

/** The values of a mantissa series between low and high (inclusive), ascending. */
export function seriesBetween(mantissas: readonly number[], low: number, high: number): number[] {
  const values: number[] = [];
  if (!(low > 0) || !(high >= low)) return values;
  for (let exponent = Math.floor(Math.log10(low)); exponent <= Math.ceil(Math.log10(high)); exponent++) {
    for (const mantissa of mantissas) {
      const value = round12(mantissa * 10 ** exponent);
      if (value >= low && value <= high) values.push(value);
    }
  }
  return values;
}

function ladderNeighbour(mantissas: readonly number[], value: number, direction: 1 | -1): number {
  const exponent = Math.floor(Math.log10(value));
  const candidates = [exponent - 1, exponent, exponent + 1].flatMap((e) => mantissas.map((mantissa) => round12(mantissa * 10 ** e)));
  // A tolerance, so 19.999999 counts as 20 and steps to 22, not to 20.
  const epsilon = value * 1e-9;
  return direction > 0 ? candidates.find((candidate) => candidate > value + epsilon)! : candidates.findLast((candidate) => candidate < value - epsilon)!;
}

/** Drops binary noise: 1.1 * 10 is 11.000000000000002. */
function round12(value: number): number {
  return Number(value.toPrecision(12));
}
