// What the planner carries from one tick to the next, as plain JSON (schemas/planner-state.schema.json) so
// `planner step --state FILE` can keep it between processes: the cadence, the predictors, the throughput floor, the
// step-time regressions and their running averages, and the per-role timers our improvements need.
import type {Schedule} from './cadence.js';
import {type PlannerConfig, predictorConfig} from './config.js';
import {createPredictor} from './predictors/index.js';
import type {PredictorState} from './predictors/types.js';
import {createMovingAverage, createRegression, type MovingAverageState, type RegressionState} from './regression.js';
import type {WorkerRole} from './tick.js';
import {copyQueueModelState, createQueueModelState, type QueueModelState} from './queue-model/state.js';

export const PLANNER_STATE_SCHEMA = 'planner-state.schema.json';
export const PLANNER_STATE_VERSION = 1;

/** Per role: consecutive decisions that wanted fewer replicas, and when its replica count last changed. */
export interface RoleHistory {
  down_streak: number;
  last_change_s: number | null;
}

export interface PlannerState {
  version: typeof PLANNER_STATE_VERSION;
  /** null until the first tick: a fresh state runs every loop at once. */
  schedule: Schedule | null;
  predictors: {num_req: PredictorState; isl: PredictorState; osl: PredictorState};
  /** The latest traffic lengths and prefix-cache hit rate seen, carried across idle intervals. */
  last_traffic: {isl: number | null; osl: number | null; kv_hit_rate: number};
  /** The request count forecast for the interval now being observed: its error feeds percentile sizing. */
  forecast_num_req: number | null;
  /** Recent observed / forecast request-count ratios, newest last. */
  forecast_ratios: number[];
  /** Recent intervals' observed request counts, newest last (percentile sizing plans at most 1.2x their busiest);
   * absent in states saved before it existed. */
  observed_num_req?: number[];
  throughput_lower_bound: Record<WorkerRole, number>;
  regression: Record<WorkerRole, RegressionState>;
  averages: {prefill_isl: MovingAverageState; decode_length: MovingAverageState; decode_requests: MovingAverageState};
  roles: Record<WorkerRole, RoleHistory>;
  /** When a tick last saw requests (scale-to-zero's idle clock), and whether we scaled everything to zero. */
  last_request_seen_s: number | null;
  scaled_to_zero: boolean;
  /** The queue model's wait feedback, the interval's ready prefill engines, and what its triggers hold. */
  queue_model: QueueModelState;
}

/** How many forecast ratios percentile sizing keeps. */
export const FORECAST_RATIO_WINDOW = 32;

/** A planner that has seen nothing yet, with fresh predictors of the configured kind. */
export function createPlannerState(config: PlannerConfig): PlannerState {
  const fresh = () => createPredictor(predictorConfig(config)).save();
  return {
    version: PLANNER_STATE_VERSION,
    schedule: null,
    predictors: {num_req: fresh(), isl: fresh(), osl: fresh()},
    last_traffic: {isl: null, osl: null, kv_hit_rate: 0},
    forecast_num_req: null,
    forecast_ratios: [],
    observed_num_req: [],
    throughput_lower_bound: {prefill: 0, decode: 0},
    regression: {prefill: createRegression(1), decode: createRegression(2)},
    averages: {prefill_isl: createMovingAverage(), decode_length: createMovingAverage(), decode_requests: createMovingAverage()},
    roles: {prefill: {down_streak: 0, last_change_s: null}, decode: {down_streak: 0, last_change_s: null}},
    last_request_seen_s: null,
    scaled_to_zero: false,
    queue_model: createQueueModelState(),
  };
}

/**
 * A copy `decide` may update in place without touching the caller's state. Faster than structuredClone (which
 * dominated a tick's time): regression samples and saved predictor states are never mutated, only replaced, so the
 * containers holding them are copied and they are shared.
 */
export function copyPlannerState(state: PlannerState): PlannerState {
  const regression = (role: WorkerRole) => {
    const source = state.regression[role];
    return {...source, samples: [...source.samples], axis_min: [...source.axis_min], axis_max: [...source.axis_max]};
  };
  const average = (source: MovingAverageState) => ({values: [...source.values], seen_nonzero: source.seen_nonzero});
  return {
    ...state,
    schedule: state.schedule && {...state.schedule},
    predictors: {...state.predictors},
    last_traffic: {...state.last_traffic},
    forecast_ratios: [...state.forecast_ratios],
    observed_num_req: [...(state.observed_num_req ?? [])],
    throughput_lower_bound: {...state.throughput_lower_bound},
    regression: {prefill: regression('prefill'), decode: regression('decode')},
    averages: {prefill_isl: average(state.averages.prefill_isl), decode_length: average(state.averages.decode_length), decode_requests: average(state.averages.decode_requests)},
    roles: {prefill: {...state.roles.prefill}, decode: {...state.roles.decode}},
    queue_model: copyQueueModelState(state.queue_model),
  };
}
