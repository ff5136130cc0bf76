// A small auto-ARIMA standing in for pmdarima's auto_arima: the differencing d (0 or 1) from a KPSS test as pmdarima
// chooses it, then every ARIMA(p, d, q) with p, q <= 2 and a constant (the drift when d = 1) fitted by conditional
// sum of squares (Gauss-Newton from the least-squares AR fit, kept stationary and invertible), the lowest AIC winning.
// A model is a pure function of its series, order and coefficients (arimaWithCoefficients), so a predictor can keep
// the coefficients instead of refitting to know its forecast.
import {solveNormalEquations} from './small-least-squares.js';

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
}

export interface ArimaModel {
  order: ArimaOrder;
  /** The constant of the (differenced) series' equation; with d = 1 it is the drift per interval. */
  constant: number;
  /** phi_1..phi_p of w_t = c + sum phi_i w_{t-i} + e_t + sum theta_j e_{t-j}. */
  ar: number[];
  /** theta_1..theta_q. */
  ma: number[];
  aic: number;
  /** The one-step-ahead forecast of the series it was fitted on. */
  forecast: number;
}

const MAX_P = 2;
const MAX_Q = 2;
/** KPSS level-stationarity critical value at 5% (Kwiatkowski et al. 1992), pmdarima's default alpha. */
const KPSS_CRITICAL_5PCT = 0.463;
/** Each candidate keeps at least this many residuals beyond its parameter count, or AIC means little. */
const SPARE_RESIDUALS = 3;
const MAX_ITERATIONS = 30;
/** Gauss-Newton stops when a step lowers the sum of squares by less than this fraction. */
const CONVERGED = 1e-7;
/** The fit keeps every inverse root of the AR and MA polynomials inside the unit circle by this margin. */
const FIT_ROOT_MARGIN = 1e-4;
/**
 * A candidate whose fitted AR or MA polynomial has an inverse root closer than this to the unit circle is not chosen
 * (pmdarima's and forecast::auto.arima's root test): CSS readily fits a near-unit AR root cancelled by a near-unit MA
 * root to white noise, which flatters the AIC and forecasts badly.
 */
const SELECTION_ROOT_MARGIN = 0.01;

/**
 * The lowest-AIC ARIMA model of `series` (oldest first), or undefined when the series is too short for any candidate
 * or no candidate can be fitted. Every candidate of one series conditions on the same first residual, so their AICs
 * compare like with like.
 */
export function fitAutoArima(series: readonly number[]): ArimaModel | undefined {
  const w = centredDifference(series, kpssRejectsStationarity(series) ? 1 : 0);
  let best: ArimaModel | undefined;
  for (let p = 0; p <= w.start; p += 1) {
    for (let q = 0; q <= MAX_Q; q += 1) {
      const model = enoughResiduals(w.values.length, w.start, p, q) ? fitWithStart(w, {p, d: w.d, q}, MAX_ITERATIONS) : undefined;
      if (!model || !admissible(arimaCoefficients(model), p, q, SELECTION_ROOT_MARGIN)) continue;
      // Strictly lower: on a tie the smaller model, visited first, stays.
      if (!best || model.aic < best.aic) best = model;
    }
  }
  return best;
}

/**
 * ARIMA of a known order refitted on `series` (cheap next to choosing the order again), or undefined when the series
 * is too short for it or it cannot be fitted. Gauss-Newton takes at most `steps` steps from the least-squares AR fit;
 * with the default, on the series an order was chosen on it is exactly the chosen model.
 */
export function fitArimaOrder(series: readonly number[], order: ArimaOrder, steps = MAX_ITERATIONS): ArimaModel | undefined {
  const w = centredDifference(series, order.d);
  return fitsOrder(w, order) ? fitWithStart(w, order, steps) : undefined;
}

/**
 * The model of `series` with these coefficients ([c, phi..., theta...]) and no fitting: their AIC and forecast.
 * Undefined when the series is too short for the order or the coefficients do not match it.
 */
export function arimaWithCoefficients(series: readonly number[], order: ArimaOrder, coefficients: readonly number[]): ArimaModel | undefined {
  const w = centredDifference(series, order.d);
  return fitsOrder(w, order) && coefficients.length === 1 + order.p + order.q ? modelOf(w, order, coefficients) : undefined;
}

/** A model's coefficients as one list: [c, phi_1..phi_p, theta_1..theta_q]. */
export function arimaCoefficients(model: ArimaModel): number[] {
  return [model.constant, ...model.ar, ...model.ma];
}

/**
 * The differenced series w centred on its mean, which decouples the constant from the lags so the fit's normal
 * equations stay well conditioned. Residuals are unchanged: c' = c - mean (1 - sum phi) on the centred series.
 */
interface Centred {
  series: readonly number[];
  d: number;
  /** w_t - mean. */
  values: Float64Array;
  mean: number;
  /** The first residual every candidate is conditioned on: the most AR lags the series has room for, up to MAX_P. */
  start: number;
}

function centredDifference(series: readonly number[], d: number): Centred {
  const values = new Float64Array(Math.max(0, series.length - d));
  let sum = 0;
  for (let t = 0; t < values.length; t += 1) {
    values[t] = d === 1 ? series[t + 1]! - series[t]! : series[t]!;
    sum += values[t]!;
  }
  const mean = values.length > 0 ? sum / values.length : 0;
  for (let t = 0; t < values.length; t += 1) values[t] = values[t]! - mean;
  let start = MAX_P;
  while (start > 0 && !enoughResiduals(values.length, start, start, 0)) start -= 1;
  return {series, d, values, mean, start};
}

function enoughResiduals(length: number, start: number, p: number, q: number): boolean {
  return length - start >= 1 + p + q + SPARE_RESIDUALS;
}

function fitsOrder(w: Centred, {p, q}: ArimaOrder): boolean {
  return p <= w.start && enoughResiduals(w.values.length, w.start, p, q);
}

function fitWithStart(w: Centred, order: ArimaOrder, steps: number): ArimaModel | undefined {
  const beta = fitArma(w, order.p, order.q, steps);
  return beta && modelOf(w, order, uncentred(beta, order.p, w.mean));
}

/** The model with these (uncentred) coefficients on w: their residuals give its AIC and forecast. */
function modelOf(w: Centred, order: ArimaOrder, coefficients: readonly number[]): ArimaModel | undefined {
  const {p, q} = order;
  const beta = centred(coefficients, p, w.mean);
  const residuals = new Float64Array(w.values.length);
  const css = conditionalResiduals(w, p, q, beta, residuals);
  if (!Number.isFinite(css)) return undefined;
  const residualCount = w.values.length - w.start;
  // sigma^2 is floored so a perfect fit (a noiseless trend) still has a finite AIC and the simplest such model wins.
  const variance = Math.max(css / residualCount, Number.MIN_VALUE);
  // Parameters: the constant, the AR and MA terms, and sigma^2.
  const aic = residualCount * Math.log(variance) + 2 * (1 + p + q + 1);
  const next = w.values.length;
  let wNext = w.mean + beta[0]!;
  for (let i = 1; i <= p; i += 1) wNext += beta[i]! * w.values[next - i]!;
  for (let j = 1; j <= q; j += 1) wNext += beta[p + j]! * residuals[next - j]!;
  return {order: {...order}, constant: coefficients[0]!, ar: coefficients.slice(1, 1 + p), ma: coefficients.slice(1 + p), aic, forecast: order.d === 1 ? w.series.at(-1)! + wNext : wNext};
}

/** [c', phi..., theta...] of the centred series from [c, phi..., theta...]. */
function centred(coefficients: readonly number[], p: number, mean: number): Float64Array {
  const beta = Float64Array.from(coefficients);
  beta[0] = coefficients[0]! - mean * (1 - arSum(beta, p));
  return beta;
}

/** [c, phi..., theta...] from the centred series' [c', phi..., theta...]; + 0 turns -0 into 0, which JSON cannot hold. */
function uncentred(beta: Float64Array, p: number, mean: number): number[] {
  const coefficients = Array.from(beta, (value) => value + 0);
  coefficients[0] = beta[0]! + mean * (1 - arSum(beta, p)) + 0;
  return coefficients;
}

function arSum(beta: Float64Array, p: number): number {
  let sum = 0;
  for (let i = 1; i <= p; i += 1) sum += beta[i]!;
  return sum;
}

/**
 * KPSS test of level stationarity with pmdarima's short lag window (trunc(3 sqrt(n) / 13)): does the series need
 * differencing? A constant series does not.
 */
export function kpssRejectsStationarity(series: readonly number[]): boolean {
  const n = series.length;
  const mean = series.reduce((sum, value) => sum + value, 0) / n;
  const e = series.map((value) => value - mean);
  let partial = 0;
  let eta = 0;
  for (const value of e) {
    partial += value;
    eta += partial * partial;
  }
  const lags = Math.trunc((3 * Math.sqrt(n)) / 13);
  let longRunVariance = e.reduce((sum, value) => sum + value * value, 0) / n;
  for (let s = 1; s <= lags; s += 1) {
    let covariance = 0;
    for (let t = s; t < n; t += 1) covariance += e[t]! * e[t - s]!;
    longRunVariance += (2 * (1 - s / (lags + 1)) * covariance) / n;
  }
  if (!(longRunVariance > 0)) return false;
  return eta / (n * n) / longRunVariance > KPSS_CRITICAL_5PCT;
}

/**
 * ARMA(p, q) with a constant on the centred w by conditional sum of squares over t >= start, at most `steps`
 * Gauss-Newton steps: [c', phi..., theta...], or undefined if it cannot be fitted.
 */
function fitArma(w: Centred, p: number, q: number, steps: number): Float64Array | undefined {
  const size = 1 + p + q;
  let beta: Float64Array = initialParameters(w, p, q);
  let residuals = new Float64Array(w.values.length);
  let css = conditionalResiduals(w, p, q, beta, residuals);
  // With no MA terms the AR least-squares start is already the minimum.
  if (q > 0 && css > 0) {
    let trial = new Float64Array(w.values.length);
    let candidate: Float64Array = new Float64Array(size);
    const jacobian = new Float64Array(w.values.length * size);
    const gram = new Float64Array(size * size);
    const rhs = new Float64Array(size);
    for (let iteration = 0; iteration < steps && css > 0; iteration += 1) {
      // Gauss-Newton: the step minimising |e + J step|, halved until it stays admissible and lowers the sum of squares.
      gaussNewtonSystem(w, p, q, beta, residuals, jacobian, gram, rhs);
      const step = solveNormalEquations(gram, rhs, size);
      if (!step) break;
      let improvement = 0;
      for (let scale = 1; scale > 1e-3 && improvement === 0; scale /= 2) {
        for (let k = 0; k < size; k += 1) candidate[k] = beta[k]! + scale * step[k]!;
        if (!admissible(candidate, p, q)) continue;
        const trialCss = conditionalResiduals(w, p, q, candidate, trial);
        if (!(trialCss < css)) continue;
        improvement = css - trialCss;
        css = trialCss;
        [beta, candidate] = [candidate, beta];
        [residuals, trial] = [trial, residuals];
      }
      // A relative gain this small moves the AIC by under 1e-4 at 200 points: the order choice is settled.
      if (improvement === 0 || improvement <= CONVERGED * css) break;
    }
  }
  return Number.isFinite(css) ? beta : undefined;
}

/** The least-squares AR(p) fit with the MA terms at 0 if it is stationary; otherwise white noise around the mean. */
function initialParameters(w: Centred, p: number, q: number): Float64Array {
  const {values, start} = w;
  const length = values.length;
  const beta = new Float64Array(1 + p + q);
  if (p > 0) {
    // The design's columns one after another: 1, then w_{t-i} for each lag i.
    const size = 1 + p;
    const columns = new Float64Array(size * length);
    columns.fill(1, 0, length);
    for (let i = 1; i <= p; i += 1) columns.set(values.subarray(start - i, length - i), i * length + start);
    const gram = new Float64Array(size * size);
    const rhs = new Float64Array(size);
    normalEquations(columns, size, length, start, values, 1, gram, rhs);
    const arFit = solveNormalEquations(gram, rhs, size);
    if (arFit) {
      beta.set(arFit);
      if (admissible(beta, p, q)) return beta;
      beta.fill(0);
    }
  }
  let sum = 0;
  for (let t = start; t < length; t += 1) sum += values[t]!;
  beta[0] = sum / (length - start);
  return beta;
}

/** e_t = w_t - c - sum phi_i w_{t-i} - sum theta_j e_{t-j} for t >= start, with e_t = 0 before; returns sum e_t^2. */
function conditionalResiduals(w: Centred, p: number, q: number, beta: Float64Array, residuals: Float64Array): number {
  const {values, start} = w;
  residuals.fill(0, 0, start);
  let css = 0;
  for (let t = start; t < values.length; t += 1) {
    let e = values[t]! - beta[0]!;
    for (let i = 1; i <= p; i += 1) e -= beta[i]! * values[t - i]!;
    for (let j = 1; j <= q && t - j >= start; j += 1) e -= beta[p + j]! * residuals[t - j]!;
    residuals[t] = e;
    css += e * e;
  }
  return css;
}

/**
 * The Gauss-Newton normal equations J'J step = -J'e at beta, with J = d e_t / d beta for t >= start from the
 * residuals' own recursion: d e_t = -(1, w_{t-i}, e_{t-j}) - sum theta_j d e_{t-j}. J is built column by column
 * (column k at jacobian[k * length]) so that each entry of J'J is one dot product of two contiguous columns.
 */
function gaussNewtonSystem(w: Centred, p: number, q: number, beta: Float64Array, residuals: Float64Array, jacobian: Float64Array, gram: Float64Array, rhs: Float64Array): void {
  const {values, start} = w;
  const length = values.length;
  const size = 1 + p + q;
  for (let k = 0; k < size; k += 1) {
    const column = k * length;
    for (let t = start; t < length; t += 1) {
      let derivative = k === 0 ? -1 : k <= p ? -values[t - k]! : t - (k - p) >= start ? -residuals[t - (k - p)]! : 0;
      for (let j = 1; j <= q && t - j >= start; j += 1) derivative -= beta[p + j]! * jacobian[column + t - j]!;
      jacobian[column + t] = derivative;
    }
  }
  normalEquations(jacobian, size, length, start, residuals, -1, gram, rhs);
}

/**
 * X'X (its upper triangle, into gram) and sign X'y (into rhs) over rows start..length - 1, for the columns of X stored
 * one after another in `columns`, each `length` long.
 */
function normalEquations(columns: Float64Array, size: number, length: number, start: number, y: Float64Array, sign: number, gram: Float64Array, rhs: Float64Array): void {
  for (let a = 0; a < size; a += 1) {
    rhs[a] = sign * dot(columns, a * length, y, 0, start, length);
    for (let b = a; b < size; b += 1) gram[a * size + b] = dot(columns, a * length, columns, b * length, start, length);
  }
}

/** sum over t in [from, to) of x[xOffset + t] * y[yOffset + t]. */
function dot(x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, from: number, to: number): number {
  let sum = 0;
  for (let t = from; t < to; t += 1) sum += x[xOffset + t]! * y[yOffset + t]!;
  return sum;
}

/**
 * The AR polynomial 1 - sum phi_i z^i stationary and the MA polynomial 1 + sum theta_j z^j invertible: every inverse
 * root inside the unit circle by `margin`, and every coefficient finite.
 */
function admissible(beta: ArrayLike<number>, p: number, q: number, margin = FIT_ROOT_MARGIN): boolean {
  for (let k = 0; k < 1 + p + q; k += 1) if (!Number.isFinite(beta[k]!)) return false;
  const ar = largestInverseRoot(p > 0 ? beta[1]! : 0, p > 1 ? beta[2]! : 0);
  const ma = largestInverseRoot(q > 0 ? -beta[1 + p]! : 0, q > 1 ? -beta[2 + p]! : 0);
  return ar < 1 - margin && ma < 1 - margin;
}

/** For 1 - a1 z - a2 z^2: the inverse roots solve x^2 - a1 x - a2 = 0. */
function largestInverseRoot(a1: number, a2: number): number {
  const discriminant = a1 * a1 + 4 * a2;
  if (discriminant < 0) return Math.sqrt(-a2);
  return (Math.abs(a1) + Math.sqrt(discriminant)) / 2;
}
