// The contract every load predictor keeps: the runtime planner feeds one observation per throughput interval (request
// count, ISL or OSL) and asks for the next interval's value. State is plain JSON so `planner step --state` can carry
// it between processes.

export type PredictorKind = 'constant' | 'moving-average' | 'kalman' | 'arima';

export interface PredictorConfig {
  kind: PredictorKind;
  /** Predict in log1p space and map back (Dynamo's load_predictor_log1p). */
  log1p?: boolean;
  /** moving-average: how many recent observations to average. */
  window?: number;
  /** kalman: process noise of the level and the trend, measurement noise, observations before it trusts itself. */
  kalmanQLevel?: number;
  kalmanQTrend?: number;
  kalmanR?: number;
  kalmanMinPoints?: number;
  /** arima: how many recent observations the model is fitted on (the oldest drop out). */
  arimaWindow?: number;
  /** arima: choose the order again after at most this many new observations (in between only coefficients are refitted). */
  arimaReselectEvery?: number;
}

/** Serialisable predictor state; `kind` must match the config it is restored with. */
export interface PredictorState {
  kind: PredictorKind;
  [field: string]: unknown;
}

export interface LoadPredictor {
  /** Adds one interval's observation. NaN and infinities count as 0; leading zeros are skipped (as Dynamo). */
  observe(value: number): void;
  /** The forecast for the next interval, never negative; undefined before any non-zero observation. */
  predict(): number | undefined;
  save(): PredictorState;
}
