// `dynamo-plan planner step`: one decision for one tick read from files, with the planner's state carried in a file
// between calls, so the core can be scripted and checked case by case.
import {existsSync} from 'node:fs';
import {readValidatedFile} from '../schema/validator.js';
import {writeFileAtomic} from '../util/files.js';
import {loadPlannerConfig} from './config.js';
import {decide, type PlannerDecision} from './decide.js';
import {loadProfileCapacities} from './profile-capacity.js';
import {createPlannerState, PLANNER_STATE_SCHEMA, type PlannerState} from './state.js';
import type {TickInput} from './tick.js';

export const PLANNER_TICK_SCHEMA = 'planner-tick.schema.json';

export interface PlannerStepOptions {
  configPath: string;
  inputPath: string;
  /** Read when it exists (else a fresh state), and written back atomically unless `saveState` is false. */
  statePath?: string;
  saveState: boolean;
  /** Profile directories for engine capacity; when empty, the config's profile_results_dir. */
  profileDirs: string[];
}

export type PlannerStepResult = PlannerDecision & {state_file?: string};

export function runPlannerStep(options: PlannerStepOptions): PlannerStepResult {
  const config = loadPlannerConfig(options.configPath);
  const tick = readValidatedFile<TickInput>(options.inputPath, PLANNER_TICK_SCHEMA);
  const state = options.statePath && existsSync(options.statePath) ? readValidatedFile<PlannerState>(options.statePath, PLANNER_STATE_SCHEMA) : createPlannerState(config);
  const profileDirs = options.profileDirs.length > 0 ? options.profileDirs : config.profile_results_dir;
  const capacities = profileDirs.length > 0 ? loadProfileCapacities(profileDirs) : undefined;
  const decision = decide(config, state, tick, capacities);
  if (options.statePath && options.saveState) {
    writeFileAtomic(options.statePath, `${JSON.stringify(decision.state)}\n`);
    return {...decision, state_file: options.statePath};
  }
  return decision;
}
