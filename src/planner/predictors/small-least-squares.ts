// Least squares for the few-column problems of the ARIMA fit, by its normal equations: the fit streams each row of
// its design once into a k x k Gram matrix (k <= 5) and solves that by Cholesky, with no row kept or copied. Squaring
// the condition number is harmless here because the fit centres its series first, which removes the near collinearity
// of the constant and the lags; src/fit's general solver (ml-matrix) costs ~1 ms a call on 200 x 5.

/** A column whose part not explained by the earlier ones is below this fraction of its own square length counts as dependent. */
const DEPENDENT_COLUMN = 1e-12;

/**
 * The c solving gram c = rhs, where gram = X'X (row-major, size x size; only its upper triangle is read) and
 * rhs = X'y: the c minimising |y - X c|. Undefined when the columns of X are not independent (a pivot of the Cholesky
 * factor vanishes next to its column's length, as it does with fewer rows than columns), so no unique answer exists.
 */
export function solveNormalEquations(gram: Float64Array, rhs: Float64Array, size: number): Float64Array | undefined {
  // Cholesky gram = L L', L stored row-major in its lower triangle.
  const factor = new Float64Array(size * size);
  for (let j = 0; j < size; j += 1) {
    let pivot = gram[j * size + j]!;
    for (let k = 0; k < j; k += 1) pivot -= factor[j * size + k]! * factor[j * size + k]!;
    if (!(pivot > DEPENDENT_COLUMN * gram[j * size + j]!)) return undefined;
    const diagonal = Math.sqrt(pivot);
    factor[j * size + j] = diagonal;
    for (let i = j + 1; i < size; i += 1) {
      let sum = gram[j * size + i]!;
      for (let k = 0; k < j; k += 1) sum -= factor[i * size + k]! * factor[j * size + k]!;
      factor[i * size + j] = sum / diagonal;
    }
  }
  // Forward (L z = rhs), then back (L' c = z) substitution.
  const solution = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k += 1) sum -= factor[i * size + k]! * solution[k]!;
    solution[i] = sum / factor[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i -= 1) {
    let sum = solution[i]!;
    for (let k = i + 1; k < size; k += 1) sum -= factor[k * size + i]! * solution[k]!;
    solution[i] = sum / factor[i * size + i]!;
  }
  return solution.every(Number.isFinite) ? solution : undefined;
}
