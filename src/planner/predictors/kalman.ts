// Dynamo's KalmanPredictor: a local linear trend model (level and trend, F = [[1,1],[0,1]], H = [1,0]) filtered one
// observation per interval, with filterpy's defaults (P = 1000 I at the start, Joseph-form covariance update).
import {badInput} from '../../errors/errors.js';
import {cleanObservation, fromModelSpace, isLeadingZero, stateCount, stateFields, stateNumber, stateNumbers, toModelSpace} from './observations.js';
import type {LoadPredictor, PredictorConfig, PredictorState} from './types.js';

/** Dynamo's defaults (kalman_q_level, kalman_q_trend, kalman_r, kalman_min_points). */
export const KALMAN_DEFAULTS = {qLevel: 1.0, qTrend: 0.1, r: 10.0, minPoints: 5} as const;

/** Covariance as [p00, p01, p10, p11]. */
type Covariance = [number, number, number, number];

const INITIAL_VARIANCE = 1000;

/**
 * Predicts the filtered level plus one step of trend. Each accepted observation runs the filter's predict step then
 * its update (the first one only sets the level), so the filter advances exactly once per interval however often
 * `predict()` is asked; `predict()` itself changes nothing. Until `minPoints` observations it answers the last value,
 * as Dynamo's planner falls back to the constant predictor during warm-up.
 */
export class KalmanPredictor implements LoadPredictor {
  private readonly qLevel: number;
  private readonly qTrend: number;
  private readonly r: number;
  private readonly minPoints: number;
  private count = 0;
  private last = 0;
  private level = 0;
  private trend = 0;
  private covariance: Covariance = [INITIAL_VARIANCE, 0, 0, INITIAL_VARIANCE];

  constructor(
    private readonly config: PredictorConfig,
    state?: PredictorState,
  ) {
    // Dynamo floors the noises so a zero in the config cannot make the filter singular.
    this.qLevel = Math.max(1e-12, config.kalmanQLevel ?? KALMAN_DEFAULTS.qLevel);
    this.qTrend = Math.max(1e-12, config.kalmanQTrend ?? KALMAN_DEFAULTS.qTrend);
    this.r = Math.max(1e-9, config.kalmanR ?? KALMAN_DEFAULTS.r);
    this.minPoints = config.kalmanMinPoints ?? KALMAN_DEFAULTS.minPoints;
    if (![this.qLevel, this.qTrend, this.r].every(Number.isFinite) || !Number.isInteger(this.minPoints) || this.minPoints < 1) {
      throw badInput('The Kalman predictor needs finite noises and a minimum of at least 1 point.', 'Check kalman_q_level, kalman_q_trend, kalman_r and kalman_min_points.', 'E_PREDICTOR_CONFIG');
    }
    if (state) this.restore(state);
  }

  observe(value: number): void {
    const clean = cleanObservation(value);
    if (isLeadingZero(clean, this.count > 0)) return;
    const z = toModelSpace(clean, this.config);
    if (this.count === 0) {
      this.level = z;
    } else {
      this.advance();
      this.update(z);
    }
    this.count += 1;
    this.last = clean;
  }

  predict(): number | undefined {
    if (this.count === 0) return undefined;
    if (this.count < this.minPoints) return this.last;
    return fromModelSpace(this.level + this.trend, this.config);
  }

  save(): PredictorState {
    return {kind: 'kalman', count: this.count, last: this.last, level: this.level, trend: this.trend, covariance: [...this.covariance]};
  }

  /** x = F x, P = F P F' + Q. */
  private advance(): void {
    const [a, b, c, d] = this.covariance;
    this.level += this.trend;
    this.covariance = [a + b + c + d + this.qLevel, b + d, c + d, d + this.qTrend];
  }

  /** x += K (z - H x), P = (I - K H) P (I - K H)' + K R K' (Joseph form, as filterpy). */
  private update(z: number): void {
    const [a, b, c, d] = this.covariance;
    const innovationVariance = a + this.r;
    const k0 = a / innovationVariance;
    const k1 = c / innovationVariance;
    const innovation = z - this.level;
    this.level += k0 * innovation;
    this.trend += k1 * innovation;
    // (I - K H) = [[1 - k0, 0], [-k1, 1]].
    const m00 = 1 - k0;
    const ma = m00 * a;
    const mb = m00 * b;
    const mc = c - k1 * a;
    const md = d - k1 * b;
    this.covariance = [
      ma * m00 + k0 * k0 * this.r,
      -ma * k1 + mb + k0 * k1 * this.r,
      mc * m00 + k1 * k0 * this.r,
      -mc * k1 + md + k1 * k1 * this.r,
    ];
  }

  private restore(state: PredictorState): void {
    const fields = stateFields(state, 'kalman');
    this.count = stateCount(fields, 'kalman', 'count');
    this.last = cleanObservation(stateNumber(fields, 'kalman', 'last'));
    this.level = stateNumber(fields, 'kalman', 'level');
    this.trend = stateNumber(fields, 'kalman', 'trend');
    this.covariance = stateNumbers(fields, 'kalman', 'covariance', 4) as Covariance;
  }
}
