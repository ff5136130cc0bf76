import {join} from 'node:path';
import {profilePoints} from '../profile/artifact.js';
import {writeFileAtomic} from '../util/files.js';
import {renderProfileReport} from './render-report.js';
import type {ProfileReportInput} from './types.js';

export const REPORT_FILE = 'report.html';

/**
 * Write DIR/report.html atomically and return its path. DIR is the profile's directory: a raw points file named by
 * the profile is read relative to it.
 */
export function writeProfileReport(dir: string, input: ProfileReportInput): string {
  const path = join(dir, REPORT_FILE);
  const points = input.points ?? profilePoints(dir, input.profile);
  writeFileAtomic(path, renderProfileReport({...input, points}));
  return path;
}
