// `dynamo-plan plan`: the whole job in one go. Profile the engines (the embedded simulator unless endpoints are
// given), size a deployment for the SLA from those profiles, check it by simulation, and write the DGDR beside the
// profile and its report, so the answer and everything behind it sit in one directory.
import {join} from 'node:path';
import {manifestsFromSizing, type DgdrOptions} from '../manifest/from-sizing.js';
import {profileExists} from '../profile/artifact.js';
import {type ProfileRunOptions, type ProfileRunResult, runProfile} from '../profiler/run-profile.js';
import type {SizingInput} from '../sizing/types.js';
import {runSize, type ValidatedSizing} from '../sizing/validate.js';
import {REPORT_FILE} from '../report/write-report.js';
import {writeFileAtomic} from '../util/files.js';

export const DGDR_FILE = 'dgdr.yaml';
export const SIZING_FILE = 'sizing.json';

export interface PlanOptions {
  profile: ProfileRunOptions;
  /** The sizing input for the profile directories just written (the caller reads the SLA and workload flags). */
  sizingInput(profileDirs: string[]): SizingInput;
  manifest: DgdrOptions;
  validate: boolean;
  onPhase?(phase: 'profiling' | 'sizing' | 'validating' | 'writing', detail?: string): void;
}

export interface PlanResult {
  outDir: string;
  /** The profiles sized from: freshly measured, or reused from the output directory. */
  profiles: {dirs: string[]; reused: boolean; run: ProfileRunResult | null};
  sizing: ValidatedSizing;
  files: {dgdr: string; sizing: string; reports: string[]};
}

export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const {outDir} = options.profile;
  const existing = existingProfileDirs(options.profile);
  let run: ProfileRunResult | null = null;
  let dirs = existing;
  if (existing.length === 0 || options.profile.force || options.profile.resume) {
    options.onPhase?.('profiling');
    run = await runProfile(options.profile);
    dirs = run.configs.map((config) => config.dir);
  }
  options.onPhase?.('sizing');
  const input = options.sizingInput(dirs);
  if (options.validate) options.onPhase?.('validating');
  const sizing = runSize(input, options.validate ? {} : false);
  options.onPhase?.('writing');
  const manifests = manifestsFromSizing(sizing, options.manifest, input.limits.gpusPerNode);
  const files = {dgdr: join(outDir, DGDR_FILE), sizing: join(outDir, SIZING_FILE), reports: dirs.map((dir) => join(dir, REPORT_FILE))};
  writeFileAtomic(files.dgdr, manifests.yaml);
  writeFileAtomic(files.sizing, `${JSON.stringify(sizing, null, 2)}\n`);
  return {outDir, profiles: {dirs, reused: run === null, run}, sizing, files};
}

/** Profiles already in the output directory (one per --tp, laid out as `profile` writes them): all of them, or none. */
function existingProfileDirs(options: ProfileRunOptions): string[] {
  const count = options.endpoints.length > 0 ? options.endpoints.length : options.tp.length;
  if (count === 1) return profileExists(options.outDir) ? [options.outDir] : [];
  const dirs = options.tp.map((tp) => join(options.outDir, `${options.gpu}-tp${tp}`));
  return options.endpoints.length === 0 && dirs.every(profileExists) ? dirs : [];
}
