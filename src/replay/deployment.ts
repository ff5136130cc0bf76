// The deployment a replay runs: engines resolved from the profiles' engine facts (so the simulated fleet is the engine
// that was profiled), the per-engine capacities the planner sizes with, and the fleet's pools for the planner's mode.
import {badInput} from '../errors/errors.js';
import type {EngineCapacities, PlannerConfig} from '../planner/index.js';
import {loadProfileCapacities} from '../planner/profile-capacity.js';
import {loadProfile, type EngineFacts} from '../profile/artifact.js';
import {resolveEngineSpec, type EngineSpec} from '../sim/cost/index.js';
import type {FleetPools, PoolOptions} from '../sim/fleet/index.js';

export interface ReplayDeployment {
  /** The profiled engine per role (one profile may serve both). */
  engines: {prefill: ProfiledEngine; decode: ProfiledEngine};
  /** With the fitted models (capacities.models) the queue model sizes with. */
  capacities: EngineCapacities;
}

export interface ProfiledEngine {
  dir: string;
  facts: EngineFacts;
  spec: EngineSpec;
}

/**
 * Loads the profiles: a prefill-role profile serves prefill, a decode-role one decode, an agg (or unknown) one both,
 * a later directory overriding an earlier one for its roles, as `planner step --profile` reads them.
 */
export function loadDeployment(dirs: readonly string[]): ReplayDeployment {
  if (dirs.length === 0) throw badInput('No profile to replay the engines from.', 'Pass --profile DIR (a directory holding profile.json).', 'E_NO_PROFILE');
  const capacities = loadProfileCapacities(dirs);
  let prefill: ProfiledEngine | undefined;
  let decode: ProfiledEngine | undefined;
  for (const dir of dirs) {
    const profile = loadProfile(dir);
    const facts = profile.engine;
    const engine = {dir, facts, spec: engineSpec(dir, facts)};
    if (facts.role !== 'decode') prefill = engine;
    if (facts.role !== 'prefill') decode = engine;
  }
  if (!prefill || !decode) {
    throw badInput(`The profiles given cover only the ${prefill ? 'prefill' : 'decode'} role.`, 'Add a profile of the other role, or an agg profile that serves both.', 'E_NO_PROFILE');
  }
  return {engines: {prefill, decode}, capacities};
}

/** The fleet's pools for the planner's mode, each starting with `replicas` engines that take `startupS` to add. */
export function fleetPools(deployment: ReplayDeployment, mode: PlannerConfig['mode'], replicas: {prefill: number; decode: number}, startupS: number): FleetPools {
  const pool = (engine: ProfiledEngine, count: number): PoolOptions => ({
    spec: engine.spec,
    replicas: count,
    startupS,
    ...(engine.facts.maxNumSeqs ? {maxNumSeqs: engine.facts.maxNumSeqs} : {}),
    ...(engine.facts.maxNumBatchedTokens ? {maxNumBatchedTokens: engine.facts.maxNumBatchedTokens} : {}),
  });
  if (mode === 'agg') return {agg: pool(deployment.engines.decode, replicas.decode)};
  if (mode !== 'disagg') throw badInput(`Replay simulates whole deployments: mode ${mode} scales one role of a disaggregated one.`, 'Use mode disagg or agg.', 'E_BAD_POLICY');
  return {prefill: pool(deployment.engines.prefill, replicas.prefill), decode: pool(deployment.engines.decode, replicas.decode)};
}

function engineSpec(dir: string, facts: EngineFacts): EngineSpec {
  if (!facts.model || !facts.accelerator) {
    throw badInput(`${dir}: the profile does not name its model and accelerator, so its engine cannot be simulated.`, 'Replay needs a profile written by `dynamo-plan profile` (imports of Dynamo sweeps lack the engine facts).', 'E_NO_PROFILE');
  }
  return resolveEngineSpec({model: facts.model, gpu: facts.accelerator, tp: facts.tp ?? facts.gpusPerEngine ?? 1, ...(facts.maxModelLen ? {maxModelLen: facts.maxModelLen} : {})});
}
