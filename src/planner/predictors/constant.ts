// Dynamo's ConstantPredictor: the next interval looks like the last one.
import {cleanObservation, isLeadingZero, stateFields, stateNumber} from './observations.js';
import type {LoadPredictor, PredictorState} from './types.js';

/** Predicts the last observed value (after the common rules: leading zeros skipped, NaN/inf as 0). */
export class ConstantPredictor implements LoadPredictor {
  private last: number | undefined;

  constructor(state?: PredictorState) {
    if (state) {
      const fields = stateFields(state, 'constant');
      if (fields.last !== undefined) this.last = cleanObservation(stateNumber(fields, 'constant', 'last'));
    }
  }

  observe(value: number): void {
    const clean = cleanObservation(value);
    if (isLeadingZero(clean, this.last !== undefined)) return;
    this.last = clean;
  }

  predict(): number | undefined {
    return this.last;
  }

  save(): PredictorState {
    return this.last === undefined ? {kind: 'constant'} : {kind: 'constant', last: this.last};
  }
}
