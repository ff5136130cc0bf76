// Weighted linear least squares on a design matrix, solved by ml-regression's multivariate regression.
import {MultivariateLinearRegression} from 'ml-regression';

// A column whose part not explained by the earlier columns is below this fraction of its length is treated as a
// combination of them (e.g. a context term when every point has the same context).
const DEPENDENT_COLUMN = 1e-9;

/**
 * Coefficients c minimising sum_i (weights[i] * (y[i] - design[i] . c))^2, or undefined when the columns are not
 * independent on these rows, so no unique answer exists. The design carries its own constant column.
 */
export function weightedLeastSquares(design: readonly number[][], y: readonly number[], weights: readonly number[]): number[] | undefined {
  // The regression solves the normal equations, whose conditioning is the square of the design's: terms such as isl^2
  // (~1e8) beside a constant would lose most digits, so each column is scaled to a largest magnitude of 1 first.
  const columnCount = design[0]?.length ?? 0;
  const scales = Array.from({length: columnCount}, (_, j) => design.reduce((largest, row) => Math.max(largest, Math.abs(row[j]!)), 0) || 1);
  const scaled = design.map((row, i) => row.map((value, j) => (value / scales[j]!) * weights[i]!));
  if (!hasIndependentColumns(scaled)) return undefined;
  const regression = new MultivariateLinearRegression(
    scaled,
    y.map((value, i) => [value * weights[i]!]),
    {intercept: false, statistics: false},
  );
  return regression.weights.map((row, j) => row[0]! / scales[j]!);
}

/** Modified Gram-Schmidt: does every column keep a part of its own after removing the earlier columns' directions? */
function hasIndependentColumns(rows: readonly number[][]): boolean {
  const columns = (rows[0] ?? []).map((_, j) => rows.map((row) => row[j]!));
  if (columns.length > rows.length) return false;
  const basis: number[][] = [];
  for (const column of columns) {
    const length = norm(column);
    const residual = [...column];
    for (const unit of basis) {
      const along = dot(residual, unit);
      residual.forEach((value, i) => {
        residual[i] = value - along * unit[i]!;
      });
    }
    const left = norm(residual);
    if (length === 0 || left <= DEPENDENT_COLUMN * length) return false;
    basis.push(residual.map((value) => value / left));
  }
  return true;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  a.forEach((value, i) => {
    sum += value * b[i]!;
  });
  return sum;
}

function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}
