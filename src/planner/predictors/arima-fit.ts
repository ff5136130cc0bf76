// A small auto-ARIMA standing in for pmdarima's auto_arima: the differencing d (0 or 1) from a KPSS test as pmdarima
// chooses it, then every ARIMA(p, d, q) with p, q <= 2 and a constant (the drift when d = 1) fitted by conditional
// sum of squares (Gauss-Newton from the least-squares AR fit, kept stationary and invertible), the lowest AIC winning.
import {leastSquares} from './small-least-squares.js';

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
  const d = kpssRejectsStationarity(series) ? 1 : 0;
  const w = differenced(series, d);
  const start = conditioningStart(w.length);
  let best: ArimaModel | undefined;
  for (let p = 0; p <= start; p += 1) {
    for (let q = 0; q <= MAX_Q; q += 1) {
      const model = enoughResiduals(w.length, start, p, q) ? fitWithStart(series, w, {p, d, q}, start) : undefined;
      if (!model || !admissible([model.constant, ...model.ar, ...model.ma], p, SELECTION_ROOT_MARGIN)) continue;
      // Strictly lower: on a tie the smaller model, visited first, stays.
      if (!best || model.aic < best.aic) best = model;
    }
  }
  return best;
}

/**
 * ARIMA of a known order refitted on `series` (cheap next to choosing the order again), or undefined when the series
 * is too short for it or it cannot be fitted. On the series an order was chosen on, it is exactly the chosen model.
 */
export function fitArimaOrder(series: readonly number[], order: ArimaOrder): ArimaModel | undefined {
  const w = differenced(series, order.d);
  const start = conditioningStart(w.length);
  return order.p <= start && enoughResiduals(w.length, start, order.p, order.q) ? fitWithStart(series, w, order, start) : undefined;
}

/** The first residual every candidate is conditioned on: the most AR lags the series has room for, up to MAX_P. */
function conditioningStart(length: number): number {
  let start = MAX_P;
  while (start > 0 && !enoughResiduals(length, start, start, 0)) start -= 1;
  return start;
}

function differenced(series: readonly number[], d: number): number[] {
  return d === 1 ? series.slice(1).map((value, t) => value - series[t]!) : [...series];
}

function enoughResiduals(length: number, start: number, p: number, q: number): boolean {
  return length - start >= 1 + p + q + SPARE_RESIDUALS;
}

function fitWithStart(series: readonly number[], w: readonly number[], order: ArimaOrder, start: number): ArimaModel | undefined {
  const {p, d, q} = order;
  const fit = fitArma(w, p, q, start);
  if (!fit) return undefined;
  const residualCount = w.length - start;
  // sigma^2 is floored so a perfect fit (a noiseless trend) still has a finite AIC and the simplest such model wins.
  const variance = Math.max(fit.css / residualCount, Number.MIN_VALUE);
  // Parameters: the constant, the AR and MA terms, and sigma^2.
  const aic = residualCount * Math.log(variance) + 2 * (1 + p + q + 1);
  const next = w.length;
  const wNext = fit.beta[0]! + fit.ar.reduce((sum, phi, i) => sum + phi * w[next - 1 - i]!, 0) + fit.ma.reduce((sum, theta, j) => sum + theta * fit.residuals[next - 1 - j]!, 0);
  return {order: {p, d, q}, constant: fit.beta[0]!, ar: fit.ar, ma: fit.ma, aic, forecast: d === 1 ? series.at(-1)! + wNext : wNext};
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

interface ArmaFit {
  /** [c, phi_1..phi_p, theta_1..theta_q]. */
  beta: number[];
  ar: number[];
  ma: number[];
  css: number;
  /** e_t for every t of the series (0 before `start`). */
  residuals: number[];
}

/** ARMA(p, q) with a constant on w by conditional sum of squares over t >= start; undefined if it cannot be fitted. */
function fitArma(w: readonly number[], p: number, q: number, start: number): ArmaFit | undefined {
  let beta = initialParameters(w, p, q, start);
  let current = conditionalResiduals(w, p, q, start, beta);
  // With no MA terms the AR least-squares start is already the minimum.
  for (let iteration = 0; q > 0 && iteration < MAX_ITERATIONS && current.css > 0; iteration += 1) {
    // Gauss-Newton: the step minimising |e + J step|, halved until it stays admissible and lowers the sum of squares.
    const rows = current.residuals.slice(start);
    const step = leastSquares(residualJacobian(w, p, q, start, beta, current.residuals), rows.map((value) => -value));
    if (!step) break;
    let accepted: {beta: number[]; evaluation: Residuals} | undefined;
    for (let scale = 1; scale > 1e-3 && !accepted; scale /= 2) {
      const candidate = beta.map((value, k) => value + scale * step[k]!);
      if (!admissible(candidate, p)) continue;
      const evaluation = conditionalResiduals(w, p, q, start, candidate);
      if (evaluation.css < current.css) accepted = {beta: candidate, evaluation};
    }
    if (!accepted) break;
    const improvement = current.css - accepted.evaluation.css;
    beta = accepted.beta;
    current = accepted.evaluation;
    // A relative gain this small moves the AIC by under 1e-4 at 200 points: the order choice is settled.
    if (improvement <= CONVERGED * current.css) break;
  }
  if (!Number.isFinite(current.css)) return undefined;
  return {beta, ar: beta.slice(1, 1 + p), ma: beta.slice(1 + p), css: current.css, residuals: current.residuals};
}

/** The least-squares AR(p) fit with the MA terms at 0 if it is stationary; otherwise white noise around the mean. */
function initialParameters(w: readonly number[], p: number, q: number, start: number): number[] {
  const rows = w.slice(start);
  const mean = rows.reduce((sum, value) => sum + value, 0) / rows.length;
  const fallback = [mean, ...new Array<number>(p + q).fill(0)];
  if (p === 0) return fallback;
  const design = rows.map((_, i) => [1, ...Array.from({length: p}, (_, lag) => w[start + i - lag - 1]!)]);
  const arFit = leastSquares(design, rows);
  if (!arFit) return fallback;
  const candidate = [...arFit, ...new Array<number>(q).fill(0)];
  return admissible(candidate, p) ? candidate : fallback;
}

interface Residuals {
  css: number;
  /** e_t for every t of the series (0 before `start`). */
  residuals: number[];
}

/** e_t = w_t - c - sum phi_i w_{t-i} - sum theta_j e_{t-j} for t >= start, with e_t = 0 before. */
function conditionalResiduals(w: readonly number[], p: number, q: number, start: number, beta: readonly number[]): Residuals {
  const residuals = new Array<number>(w.length).fill(0);
  let css = 0;
  for (let t = start; t < w.length; t += 1) {
    let e = w[t]! - beta[0]!;
    for (let i = 1; i <= p; i += 1) e -= beta[i]! * w[t - i]!;
    for (let j = 1; j <= q && t - j >= start; j += 1) e -= beta[p + j]! * residuals[t - j]!;
    residuals[t] = e;
    css += e * e;
  }
  return {css, residuals};
}

/** d e_t / d beta for t >= start, by the residuals' own recursion: d e_t = -(1, w_{t-i}, e_{t-j}) - sum theta_j d e_{t-j}. */
function residualJacobian(w: readonly number[], p: number, q: number, start: number, beta: readonly number[], residuals: readonly number[]): number[][] {
  const width = 1 + p + q;
  const jacobian: number[][] = [];
  for (let t = start; t < w.length; t += 1) {
    const row = new Array<number>(width);
    row[0] = -1;
    for (let i = 1; i <= p; i += 1) row[i] = -w[t - i]!;
    for (let j = 1; j <= q; j += 1) row[p + j] = t - j >= start ? -residuals[t - j]! : 0;
    for (let j = 1; j <= q && t - j >= start; j += 1) {
      const earlier = jacobian[t - j - start]!;
      const theta = beta[p + j]!;
      for (let k = 0; k < width; k += 1) row[k] = row[k]! - theta * earlier[k]!;
    }
    jacobian.push(row);
  }
  return jacobian;
}

/**
 * The AR polynomial 1 - sum phi_i z^i stationary and the MA polynomial 1 + sum theta_j z^j invertible: every inverse
 * root inside the unit circle by `margin`.
 */
function admissible(beta: readonly number[], p: number, margin = FIT_ROOT_MARGIN): boolean {
  const ar = largestInverseRoot(beta.slice(1, 1 + p));
  const ma = largestInverseRoot(beta.slice(1 + p).map((theta) => -theta));
  return beta.every(Number.isFinite) && ar < 1 - margin && ma < 1 - margin;
}

/** For 1 - a_1 z - a_2 z^2: the inverse roots solve x^2 - a_1 x - a_2 = 0. */
function largestInverseRoot(a: readonly number[]): number {
  const [a1 = 0, a2 = 0] = a;
  const discriminant = a1 * a1 + 4 * a2;
  if (discriminant < 0) return Math.sqrt(-a2);
  return (Math.abs(a1) + Math.sqrt(discriminant)) / 2;
}
