// ml-regression 6.3.0 ships no declarations of its own, but the regressions it re-exports do; this re-exposes the
// typed ones under the package's names (the untyped power, Theil-Sen, kernel-ridge and 2-D fits are left out).
declare module 'ml-regression' {
  export {SimpleLinearRegression, SimpleLinearRegression as SLR} from 'ml-regression-simple-linear';
  export {PolynomialRegression} from 'ml-regression-polynomial';
  export {RobustPolynomialRegression} from 'ml-regression-robust-polynomial';
  import ExponentialRegressionClass = require('ml-regression-exponential');
  import MultivariateLinearRegressionClass = require('ml-regression-multivariate-linear');
  export const ExponentialRegression: typeof ExponentialRegressionClass;
  export const MultivariateLinearRegression: typeof MultivariateLinearRegressionClass;
}
