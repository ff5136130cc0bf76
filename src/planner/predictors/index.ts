// The load predictors the runtime planner chooses from (Dynamo's load_predictor), behind one factory.
import {badInput} from '../../errors/errors.js';
import {ArimaPredictor} from './arima.js';
import {ConstantPredictor} from './constant.js';
import {KalmanPredictor} from './kalman.js';
import {MovingAveragePredictor} from './moving-average.js';
import {stateFields} from './observations.js';
import type {LoadPredictor, PredictorConfig, PredictorState} from './types.js';

export type {LoadPredictor, PredictorConfig, PredictorKind, PredictorState} from './types.js';
export {ArimaPredictor, ARIMA_MIN_POINTS, DEFAULT_ARIMA_RESELECT_EVERY, DEFAULT_ARIMA_WINDOW, type ArimaForecast, type ArimaSpace} from './arima.js';
export {arimaCoefficients, arimaWithCoefficients, fitArimaOrder, fitAutoArima, kpssRejectsStationarity, type ArimaModel, type ArimaOrder} from './arima-fit.js';
export {ConstantPredictor} from './constant.js';
export {KalmanPredictor, KALMAN_DEFAULTS} from './kalman.js';
export {MovingAveragePredictor, DEFAULT_MOVING_AVERAGE_WINDOW} from './moving-average.js';

/**
 * A predictor of `config.kind`, continuing from `state` when given (what an earlier predictor's `save()` returned).
 * Throws badInput when the state was saved by another kind of predictor or is malformed, or the config is invalid.
 */
export function createPredictor(config: PredictorConfig, state?: PredictorState): LoadPredictor {
  if (state) stateFields(state, config.kind);
  switch (config.kind) {
    case 'constant':
      return new ConstantPredictor(state);
    case 'moving-average':
      return new MovingAveragePredictor(config, state);
    case 'kalman':
      return new KalmanPredictor(config, state);
    case 'arima':
      return new ArimaPredictor(config, state);
    default:
      // Configs come from files: a kind the types rule out can still arrive.
      throw badInput(`Unknown load predictor ${JSON.stringify((config as {kind: unknown}).kind)}.`, 'Use constant, moving-average, kalman or arima.', 'E_PREDICTOR_CONFIG');
  }
}
