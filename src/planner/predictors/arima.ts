// Dynamo's default ARIMAPredictor (pmdarima auto_arima once, then update()) with a small auto-ARIMA of our own
// (arima-fit.ts) on a bounded window of recent observations: the order is chosen again now and then, and in between
// each observation refits only its coefficients, in a few Gauss-Newton steps. The state keeps the coefficients, so a
// restored predictor knows its forecast without fitting.
import {badInput} from '../../errors/errors.js';
import {arimaCoefficients, arimaWithCoefficients, fitArimaOrder, fitAutoArima, type ArimaModel, type ArimaOrder} from './arima-fit.js';
import {cleanObservation, isLeadingZero, stateCount, stateFields, stateNumbers} from './observations.js';
import type {LoadPredictor, PredictorConfig, PredictorState} from './types.js';

/** How many recent observations the model sees when the config does not say. */
export const DEFAULT_ARIMA_WINDOW = 200;
/** The most new observations before the order is chosen again, when the config does not say. */
export const DEFAULT_ARIMA_RESELECT_EVERY = 40;
/** Dynamo's ARIMAPredictor answers the last value until it has this many points. */
export const ARIMA_MIN_POINTS = 5;
/**
 * Gauss-Newton steps of a refit between choices of the order (choosing takes up to 30 per candidate). Measured on
 * 1,000-interval series (the predictors benchmark's seeded ones and an ARMA(1, 1)): from 2 steps on the one-step error
 * is that of a full refit or a little lower, as stopping early keeps a poorly identified order near its least-squares
 * AR start instead of drifting along a flat valley of near-cancelling roots. Starting from the previous fit's
 * coefficients drifts further along it and forecast worse (7.5 to 7.7% against 7.4% on the random walk). A step costs
 * 10 to 30 µs at 200 points, against 1 to 2 ms to choose the order.
 */
const REFIT_STEPS = 3;

export type ArimaSpace = 'raw' | 'log1p';

export interface ArimaForecast {
  value: number;
  /** The model behind the value; absent when a rule answered instead (too few points, a constant series, no fit). */
  model?: ArimaModel;
  space?: ArimaSpace;
}

/** The chosen order, the space it was chosen in, the history length it was chosen on, and its latest coefficients. */
interface Selection {
  space: ArimaSpace;
  order: ArimaOrder;
  chosenAtLength: number;
  /** [c, phi..., theta...] of the latest fit on the history (see arimaCoefficients). */
  coefficients: number[];
}

/**
 * Predicts with the lowest-AIC ARIMA(p <= 2, d <= 1, q <= 2) of the window, keeping Dynamo's rules: the last value
 * until 5 points, the constant for a constant series, a raw fit that collapses to (0, d, 0) retried in log1p space
 * (spiky series fit better there), the forecast clamped at 0, and the last value when nothing can be fitted. Between
 * choices of the order (see reselectionPeriod) each new observation only refits the coefficients. The fitting happens
 * in observe, so what save() returns never depends on whether predict() was called.
 */
export class ArimaPredictor implements LoadPredictor {
  private readonly window: number;
  private readonly reselectEvery: number;
  /** The last `window` observations, raw, oldest first. */
  private history: number[] = [];
  private selection: Selection | undefined;
  private sinceSelection = 0;
  /** The forecast for the current history; a pure function of the saved fields, so never saved itself. */
  private cached: ArimaForecast | undefined;

  constructor(
    private readonly config: PredictorConfig,
    state?: PredictorState,
  ) {
    this.window = config.arimaWindow ?? DEFAULT_ARIMA_WINDOW;
    this.reselectEvery = config.arimaReselectEvery ?? DEFAULT_ARIMA_RESELECT_EVERY;
    if (!Number.isInteger(this.window) || this.window < ARIMA_MIN_POINTS || !Number.isInteger(this.reselectEvery) || this.reselectEvery < 1) {
      throw badInput(
        `The ARIMA window must be a whole number of at least ${ARIMA_MIN_POINTS} intervals and the reselection period at least 1, got ${this.window} and ${this.reselectEvery}.`,
        `Set arimaWindow (default ${DEFAULT_ARIMA_WINDOW}) and arimaReselectEvery (default ${DEFAULT_ARIMA_RESELECT_EVERY}).`,
        'E_PREDICTOR_CONFIG',
      );
    }
    if (state) this.restore(state);
  }

  observe(value: number): void {
    const clean = cleanObservation(value);
    if (isLeadingZero(clean, this.history.length > 0)) return;
    this.history.push(clean);
    if (this.history.length > this.window) this.history.shift();
    this.sinceSelection += 1;
    this.cached = this.ruledForecast() ?? this.fit();
  }

  predict(): number | undefined {
    return this.history.length === 0 ? undefined : this.forecast().value;
  }

  /** The forecast with the model that made it (for diagnostics and tests). */
  forecast(): ArimaForecast {
    this.cached ??= this.ruledForecast() ?? (this.selection && forecastWith(this.selection, this.history)) ?? {value: this.history.at(-1) ?? 0};
    return this.cached;
  }

  save(): PredictorState {
    return {kind: 'arima', history: [...this.history], sinceSelection: this.sinceSelection, ...(this.selection ? {selection: copySelection(this.selection)} : {})};
  }

  /** Dynamo's answers without a model: the last value below 5 points, the constant of a constant series. */
  private ruledForecast(): ArimaForecast | undefined {
    const history = this.history;
    if (history.length < ARIMA_MIN_POINTS) return {value: history.at(-1) ?? 0};
    // pmdarima forecasts 0 for a constant series; Dynamo answers the constant.
    if (history.every((value) => value === history[0])) return {value: history[0]!};
    return undefined;
  }

  /**
   * Refits the chosen order's coefficients, or chooses the order afresh when that is due or the refit fails; the
   * forecast is what forecastWith gives for the new selection, as a restored predictor computes it.
   */
  private fit(): ArimaForecast {
    const selection = this.selection;
    const due = !selection || this.sinceSelection >= reselectionPeriod(selection.chosenAtLength, this.reselectEvery);
    const refit = due ? undefined : fitIn(selection.space, this.history, (series) => fitArimaOrder(series, selection.order, REFIT_STEPS));
    if (refit) this.selection = {...selection!, coefficients: arimaCoefficients(refit.model)};
    return refit ?? this.select() ?? {value: this.history.at(-1)!};
  }

  /** Chooses the order afresh: in the requested space, and in log1p too if a raw fit degenerates to (0, d, 0). */
  private select(): Required<ArimaForecast> | undefined {
    const auto = (space: ArimaSpace) => fitIn(space, this.history, fitAutoArima);
    const first = auto(this.config.log1p ? 'log1p' : 'raw');
    const degenerate = first?.space === 'raw' && first.model.order.p === 0 && first.model.order.q === 0;
    const chosen = (degenerate ? auto('log1p') : undefined) ?? first;
    this.sinceSelection = 0;
    this.selection = chosen && {space: chosen.space, order: chosen.model.order, chosenAtLength: this.history.length, coefficients: arimaCoefficients(chosen.model)};
    return chosen;
  }

  private restore(state: PredictorState): void {
    const fields = stateFields(state, 'arima');
    this.history = stateNumbers(fields, 'arima', 'history').map(cleanObservation).slice(-this.window);
    this.sinceSelection = stateCount(fields, 'arima', 'sinceSelection');
    const selection = fields.selection as Partial<Selection> | undefined;
    // A state saved before the coefficients were kept cannot forecast without a fit: the next observation chooses afresh.
    if (selection === undefined || selection.coefficients === undefined) return;
    const {space, order, chosenAtLength, coefficients} = selection;
    const orderOk = order !== null && typeof order === 'object' && [order.p, order.d, order.q].every((value) => Number.isInteger(value) && value! >= 0 && value! <= 2);
    const coefficientsOk = orderOk && Array.isArray(coefficients) && coefficients.length === 1 + order.p + order.q && coefficients.every((value) => typeof value === 'number' && Number.isFinite(value));
    if ((space !== 'raw' && space !== 'log1p') || !coefficientsOk || !Number.isInteger(chosenAtLength)) {
      throw badInput(
        'The saved arima predictor state is malformed: selection must be {space: raw|log1p, order: {p, d, q}, chosenAtLength, coefficients: [c, ar..., ma...]}.',
        'Drop the state file; the predictor starts afresh.',
        'E_PREDICTOR_STATE',
      );
    }
    this.selection = {space, order: {p: order.p, d: order.d, q: order.q}, chosenAtLength: chosenAtLength!, coefficients: [...coefficients]};
  }
}

function copySelection({space, order, chosenAtLength, coefficients}: Selection): Selection {
  return {space, order: {...order}, chosenAtLength, coefficients: [...coefficients]};
}

/** The forecast of the selection's model with its coefficients as they are (what the last fit left). */
function forecastWith(selection: Selection, history: readonly number[]): Required<ArimaForecast> | undefined {
  return fitIn(selection.space, history, (series) => arimaWithCoefficients(series, selection.order, selection.coefficients));
}

function fitIn(space: ArimaSpace, history: readonly number[], fit: (series: readonly number[]) => ArimaModel | undefined): Required<ArimaForecast> | undefined {
  const model = fit(space === 'log1p' ? history.map(Math.log1p) : history);
  if (!model || !Number.isFinite(model.forecast)) return undefined;
  return {value: Math.max(0, space === 'log1p' ? Math.expm1(model.forecast) : model.forecast), model, space};
}

/**
 * How many new observations before the order is chosen again: a fifth of the history it was chosen on, so the order
 * follows a short, fast-changing history at every step while the amortised cost of choosing (which grows with the
 * history) stays flat, and at most `reselectEvery`. Choosing costs 1 to 2 ms per series at 200 points against ~0.1 ms
 * for the rest of a tick, so such ticks must stay a small part of the 1% of ticks above a p99 of 1 ms, next to the
 * machine's own hiccups (the planner-tick benchmark): every 40th observation on the default window, against every
 * 10th before, with the same one-step error (the predictors benchmark).
 */
function reselectionPeriod(chosenAtLength: number, reselectEvery: number): number {
  return Math.max(1, Math.min(reselectEvery, Math.floor(chosenAtLength / 5)));
}
