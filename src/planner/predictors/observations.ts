// The rules every predictor shares (Dynamo's BasePredictor): what an observation counts as, the optional log1p space
// and reading a saved state back, which may come from a file the user passed (`planner step --state`).
import {badInput} from '../../errors/errors.js';
import type {PredictorConfig, PredictorKind, PredictorState} from './types.js';

/** NaN and infinities count as no load (one inf would otherwise poison every later forecast); loads are never negative. */
export function cleanObservation(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Whether an observation is dropped as part of the idle period before the first traffic: a zero while the predictor
 * has seen nothing else (a deployment that starts idle must not teach the model that load is zero).
 */
export function isLeadingZero(value: number, started: boolean): boolean {
  return value === 0 && !started;
}

/** Into the space the model works in: log1p(x) under `log1p`, which tames bursty counts. */
export function toModelSpace(value: number, config: PredictorConfig): number {
  return config.log1p ? Math.log1p(value) : value;
}

/** Back from the model's space, clamped at 0: a forecast load is never negative. */
export function fromModelSpace(value: number, config: PredictorConfig): number {
  return Math.max(0, config.log1p ? Math.expm1(value) : value);
}

/** The state's fields after checking it belongs to a predictor of this kind. */
export function stateFields(state: PredictorState, kind: PredictorKind): Record<string, unknown> {
  if (state.kind !== kind) {
    throw badInput(
      `The saved predictor state is for a ${JSON.stringify(state.kind)} predictor, but the config asks for ${JSON.stringify(kind)}.`,
      'Drop the state file (the predictor starts afresh) or set load_predictor back to the kind that saved it.',
      'E_PREDICTOR_STATE',
    );
  }
  return state;
}

/** A finite number field of a saved state. */
export function stateNumber(fields: Record<string, unknown>, kind: PredictorKind, name: string): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformedState(kind, `${name} must be a finite number`);
  return value;
}

/** A non-negative integer field of a saved state (a count of observations). */
export function stateCount(fields: Record<string, unknown>, kind: PredictorKind, name: string): number {
  const value = fields[name];
  if (!Number.isInteger(value) || (value as number) < 0) throw malformedState(kind, `${name} must be a non-negative integer`);
  return value as number;
}

/** An array-of-finite-numbers field of a saved state, optionally of a fixed length. */
export function stateNumbers(fields: Record<string, unknown>, kind: PredictorKind, name: string, length?: number): number[] {
  const value = fields[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    throw malformedState(kind, `${name} must be an array of finite numbers`);
  }
  if (length !== undefined && value.length !== length) throw malformedState(kind, `${name} must hold ${length} numbers`);
  return [...(value as number[])];
}

function malformedState(kind: PredictorKind, problem: string) {
  return badInput(`The saved ${kind} predictor state is malformed: ${problem}.`, 'Drop the state file; the predictor starts afresh.', 'E_PREDICTOR_STATE');
}
