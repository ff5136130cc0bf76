import {join} from 'node:path';
import {renderPlannerReport} from '../../report/planner/index.js';
import {writeFileAtomic} from '../../util/files.js';
import {gpuHoursSince, isScalingEvent} from './accounting.js';
import type {PlannerSnapshot} from './snapshot.js';

/** Dynamo's cap: a report window keeps at most this many ticks (the oldest go first). */
export const MAX_SNAPSHOTS = 50_000;

export interface DiagnosticsRecorderOptions {
  /** Where reports are written; without it the recorder only keeps ticks for the live dashboard. */
  reports?: {
    dir: string;
    /** Tick-clock hours between reports (Dynamo's report_interval_hours); null or absent: only `flush()` writes. */
    intervalHours?: number | null;
  };
  maxSnapshots?: number;
  /** Served model, shown in the report's title. */
  modelName?: string;
}

/**
 * Keeps one snapshot per planner tick and writes the diagnostics report every `intervalHours` of tick time, to
 * `planner_report_<YYYYmmdd_HHMMSS>_<NNN>.html` (the last tick's time, the report's number), then starts a new
 * window. Time comes only from the snapshots' `now_s`, so a replay in virtual time reports exactly as a live run:
 * report boundaries fall at the first tick's time plus whole intervals, and the tick that reaches a boundary closes
 * the window. GPU-hours and scaling events accumulate over the same ticks.
 */
export class DiagnosticsRecorder {
  private window: PlannerSnapshot[] = [];
  private readonly maxSnapshots: number;
  private readonly intervalS: number | undefined;
  private nextBoundaryS: number | undefined;
  private previousNowS: number | undefined;
  private windowGpuHours = 0;
  private windowScalingEvents = 0;
  private totalGpuHours = 0;
  private totalScalingEvents = 0;
  private reportCount = 0;

  constructor(private readonly options: DiagnosticsRecorderOptions = {}) {
    this.maxSnapshots = options.maxSnapshots ?? MAX_SNAPSHOTS;
    const hours = options.reports?.intervalHours;
    this.intervalS = hours !== null && hours !== undefined && hours > 0 ? hours * 3600 : undefined;
  }

  /** Records one tick; returns the path of the report this tick completed, if it completed one. */
  record(snapshot: PlannerSnapshot): string | undefined {
    const gpuHours = gpuHoursSince(this.previousNowS, snapshot);
    const event = isScalingEvent(snapshot) ? 1 : 0;
    this.previousNowS = snapshot.now_s;
    this.windowGpuHours += gpuHours;
    this.totalGpuHours += gpuHours;
    this.windowScalingEvents += event;
    this.totalScalingEvents += event;
    this.window.push(snapshot);
    if (this.window.length > this.maxSnapshots) this.window.splice(0, this.window.length - this.maxSnapshots);

    if (this.intervalS === undefined) return undefined;
    this.nextBoundaryS ??= snapshot.now_s + this.intervalS;
    if (snapshot.now_s < this.nextBoundaryS) return undefined;
    // A tick that jumped over several boundaries closes one window; the next boundary is the first one ahead of it.
    this.nextBoundaryS += Math.floor((snapshot.now_s - this.nextBoundaryS) / this.intervalS + 1) * this.intervalS;
    return this.flush();
  }

  /** Writes a report of the ticks so far and starts a new window (at shutdown, or the end of a replay). */
  flush(): string | undefined {
    const dir = this.options.reports?.dir;
    const last = this.window.at(-1);
    if (dir === undefined || last === undefined) return undefined;
    this.reportCount += 1;
    const path = join(dir, reportFileName(last.now_s, this.reportCount));
    writeFileAtomic(path, this.renderHtml()!);
    this.window = [];
    this.windowGpuHours = 0;
    this.windowScalingEvents = 0;
    return path;
  }

  /** The report of the current window without ending it (the live dashboard); undefined before the first tick. */
  renderHtml(): string | undefined {
    if (this.window.length === 0) return undefined;
    return renderPlannerReport({
      snapshots: this.window,
      gpuHours: this.windowGpuHours,
      gpuHoursTotal: this.totalGpuHours,
      scalingEvents: this.windowScalingEvents,
      modelName: this.options.modelName,
    });
  }

  /** The current window's ticks, oldest first. */
  get snapshots(): readonly PlannerSnapshot[] {
    return this.window;
  }

  /** GPU-hours since the first tick (across windows; the `dynamo_planner_gpu_hours` gauge). */
  get gpuHours(): number {
    return this.totalGpuHours;
  }

  get scalingEvents(): number {
    return this.totalScalingEvents;
  }
}

/** `planner_report_<YYYYmmdd_HHMMSS>_<NNN>.html`, the time in UTC on the tick clock. */
export function reportFileName(nowS: number, count: number): string {
  const stamp = new Date(nowS * 1000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
  return `planner_report_${stamp}_${String(count).padStart(3, '0')}.html`;
}
