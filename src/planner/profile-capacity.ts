// Loads profile directories into engine capacities for the throughput loop (`planner step --profile DIR`).
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {badInput} from '../errors/errors.js';
import {parseItlModel, parseTtftModel} from '../fit/index.js';
import {loadProfile, profileExists, profilePath} from '../profile/artifact.js';
import {capacitiesFromFits, type EngineCapacities, type FittedEngine} from './capacity.js';

/**
 * Capacities from profile directories: a profile whose engine role is prefill serves prefill, decode serves decode,
 * agg or unknown serves both roles it has a fit for. A later directory overrides an earlier one for a role.
 */
export function loadProfileCapacities(dirs: readonly string[]): EngineCapacities {
  let prefill: FittedEngine | undefined;
  let decode: FittedEngine | undefined;
  const source: {prefill?: string; decode?: string} = {};
  for (const dir of dirs) {
    if (!profileExists(dir)) {
      const dynamo = existsSync(join(dir, 'selected_prefill_interpolation')) || existsSync(join(dir, 'prefill_raw_data.json'));
      throw badInput(
        `${dir} holds no ${profilePath(dir).slice(dir.length + 1)}.`,
        dynamo ? `It looks like Dynamo's profiler output: convert it with \`dynamo-plan profile import ${dir} --out DIR\` and pass DIR.` : 'Pass a directory written by `dynamo-plan profile` (or `profile import`).',
        'E_PROFILE_MISSING',
      );
    }
    const profile = loadProfile(dir);
    const {role, maxNumSeqs, kvCapacityTokens} = profile.engine;
    const file = profilePath(dir);
    if (profile.fits?.prefill && role !== 'decode') {
      prefill = {ttft: parseTtftModel(profile.fits.prefill, `${file} fits.prefill`), maxNumSeqs, kvCapacityTokens};
      source.prefill = file;
    }
    if (profile.fits?.decode && role !== 'prefill') {
      decode = {itl: parseItlModel(profile.fits.decode, `${file} fits.decode`), maxNumSeqs, kvCapacityTokens};
      source.decode = file;
    }
    if (!profile.fits?.prefill && !profile.fits?.decode) throw badInput(`${file} has no fitted models.`, `Run \`dynamo-plan fit ${dir}\` first.`, 'E_NO_FIT');
  }
  return {...capacitiesFromFits(prefill, decode), source};
}
