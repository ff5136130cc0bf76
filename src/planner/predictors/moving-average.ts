// The mean of the last few intervals: smooths noise at the cost of lagging a trend by about half the window.
import {badInput} from '../../errors/errors.js';
import {cleanObservation, fromModelSpace, isLeadingZero, stateFields, stateNumbers, toModelSpace} from './observations.js';
import type {LoadPredictor, PredictorConfig, PredictorState} from './types.js';

/** The window when the config gives none (Dynamo has no moving average): 3 to 5 do best on the Mooncake conversation trace. */
export const DEFAULT_MOVING_AVERAGE_WINDOW = 3;

/** Predicts the mean (in log1p space under `log1p`) of the last `window` observations. */
export class MovingAveragePredictor implements LoadPredictor {
  private readonly window: number;
  /** The last `window` observations, raw, oldest first. */
  private recent: number[] = [];

  constructor(
    private readonly config: PredictorConfig,
    state?: PredictorState,
  ) {
    this.window = config.window ?? DEFAULT_MOVING_AVERAGE_WINDOW;
    if (!Number.isInteger(this.window) || this.window < 1) {
      throw badInput(`The moving-average window must be a positive whole number of intervals, got ${this.window}.`, 'Set window to 1 or more.', 'E_PREDICTOR_CONFIG');
    }
    if (state) this.recent = stateNumbers(stateFields(state, 'moving-average'), 'moving-average', 'recent').map(cleanObservation).slice(-this.window);
  }

  observe(value: number): void {
    const clean = cleanObservation(value);
    if (isLeadingZero(clean, this.recent.length > 0)) return;
    this.recent.push(clean);
    if (this.recent.length > this.window) this.recent.shift();
  }

  predict(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sum = this.recent.reduce((total, value) => total + toModelSpace(value, this.config), 0);
    return fromModelSpace(sum / this.recent.length, this.config);
  }

  save(): PredictorState {
    return {kind: 'moving-average', recent: [...this.recent]};
  }
}
