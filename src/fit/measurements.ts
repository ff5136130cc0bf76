// Checks on measured points before fitting: every error measure divides by the latency, and the terms assume
// positive token counts and batch sizes.
import {badInput} from '../errors/errors.js';

export function requirePositive<Point extends object>(points: readonly Point[], fields: readonly (keyof Point & string)[], kind: string): void {
  if (points.length === 0) throw badInput(`There are no ${kind} points to fit.`, `Profile some ${kind} points first.`, 'E_FIT_NO_POINTS');
  points.forEach((point, index) => {
    for (const field of fields) {
      const value = point[field];
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw badInput(
          `${kind} point ${index} has ${field} = ${String(value)}; it must be a positive number.`,
          `Drop or re-measure that ${kind} point.`,
          'E_FIT_BAD_POINT',
        );
      }
    }
  });
}

/** An engine setting the fit depends on (a token or sequence limit) must be a positive whole number when given. */
export function requireCount(value: number | undefined, setting: string): void {
  if (value === undefined || (Number.isInteger(value) && value > 0)) return;
  throw badInput(`${setting} ${value} is not a positive integer.`, `Give the engine's ${setting} as a whole number above 0.`, 'E_FIT_BAD_OPTION');
}
