// Least squares for the few-column problems of the ARIMA fit, by Householder QR on plain arrays. The fit solves one
// per Gauss-Newton step of every candidate order, and src/fit's general solver (ml-matrix, with its independence
// check) costs ~1 ms a call on 200 x 5, a hundred times this.

/** A column whose part not explained by the earlier ones is below this fraction of its length counts as dependent. */
const DEPENDENT_COLUMN = 1e-10;

/**
 * The c minimising |y - design c|, or undefined when the columns are not independent on these rows (or there are
 * fewer rows than columns), so no unique answer exists.
 */
export function leastSquares(design: readonly (readonly number[])[], y: readonly number[]): number[] | undefined {
  const rows = design.length;
  const columns = design[0]?.length ?? 0;
  if (columns === 0 || rows < columns) return undefined;
  // Column-major copies: each reflection walks one column.
  const a = Array.from({length: columns}, () => new Float64Array(rows));
  for (let i = 0; i < rows; i += 1) {
    const row = design[i]!;
    for (let j = 0; j < columns; j += 1) a[j]![i] = row[j]!;
  }
  const b = Float64Array.from(y);
  const lengths = a.map(norm);
  for (let j = 0; j < columns; j += 1) {
    const column = a[j]!;
    let tail = 0;
    for (let i = j; i < rows; i += 1) tail += column[i]! * column[i]!;
    const alpha = column[j]! > 0 ? -Math.sqrt(tail) : Math.sqrt(tail);
    if (!(Math.abs(alpha) > DEPENDENT_COLUMN * lengths[j]!)) return undefined;
    // v = x - alpha e1, kept in place of the column's tail; H = I - 2 v v' / v'v.
    column[j] = column[j]! - alpha;
    const vv = tail - 2 * alpha * (column[j]! + alpha) + alpha * alpha;
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = j; i < rows; i += 1) dot += column[i]! * target[i]!;
      const factor = (2 * dot) / vv;
      for (let i = j; i < rows; i += 1) target[i] = target[i]! - factor * column[i]!;
    };
    for (let k = j + 1; k < columns; k += 1) reflect(a[k]!);
    reflect(b);
    column[j] = alpha;
  }
  // Back substitution on R (diagonal in column[j][j], above it in a[k][j] for k > j).
  const solution = new Array<number>(columns).fill(0);
  for (let j = columns - 1; j >= 0; j -= 1) {
    let sum = b[j]!;
    for (let k = j + 1; k < columns; k += 1) sum -= a[k]![j]! * solution[k]!;
    solution[j] = sum / a[j]![j]!;
  }
  return solution.every(Number.isFinite) ? solution : undefined;
}

function norm(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum);
}
