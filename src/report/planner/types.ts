import type {PlannerSnapshot} from '../../planner/telemetry/snapshot.js';

/** What the planner diagnostics report draws: the ticks of one report window and the totals over it. */
export interface PlannerReportInput {
  snapshots: readonly PlannerSnapshot[];
  /** GPU-hours over the window (the recorder accumulates them tick by tick). */
  gpuHours: number;
  /** GPU-hours since the planner started, when the window is not the whole run. */
  gpuHoursTotal?: number;
  scalingEvents: number;
  /** Served model, shown in the title (escaped). */
  modelName?: string;
}
