import type {ItlModel, TtftModel} from '../fit/index.js';
import type {PointSet, Profile} from '../profile/artifact.js';

/** What profiling cost, when the caller knows it; each figure is shown only when given. */
export interface ReportExtra {
  pointsSpent?: number;
  engineTimeS?: number;
  wallTimeS?: number;
}

export interface ProfileReportInput {
  profile: Profile;
  /**
   * The profile's points, needed only when the profile keeps them in a raw file (read them with `profilePoints`);
   * `writeProfileReport` reads them itself.
   */
  points?: PointSet;
  /** The TTFT and ITL fits; when absent, the profile's stored fits are used, and without either the points stand alone. */
  prefillModel?: TtftModel;
  decodeModel?: ItlModel;
  extra?: ReportExtra;
}
