// The only I/O of sizing: profiles and traces read into the plain inputs sizeDeployment takes.
import {existsSync, readdirSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import {badInput} from '../errors/errors.js';
import {parseItlModel, parseTtftModel} from '../fit/index.js';
import {loadProfile, profileExists, profilePath} from '../profile/artifact.js';
import {readTrace} from '../loadgen/traces.js';
import {packagePath} from '../util/paths.js';
import type {SizingCandidate, WorkloadSpec} from './types.js';

/** The shipped reference profiles (profiles/engines/<name>/profile.json). */
export function shippedProfileDirs(): string[] {
  const root = packagePath('profiles', 'engines');
  return readdirSync(root).map((name) => join(root, name)).filter(profileExists).sort();
}

/** The shipped reference profiles of `model` (matched case-insensitively); a model with none is bad input. */
export function shippedProfileDirsFor(model: string): string[] {
  const all = shippedProfileDirs().map((dir) => ({dir, model: loadProfile(dir).engine.model}));
  const matching = all.filter((entry) => entry.model?.toLowerCase() === model.toLowerCase()).map((entry) => entry.dir);
  if (matching.length > 0) return matching;
  const models = [...new Set(all.map((entry) => entry.model).filter((name) => name !== null))].sort();
  throw badInput(`No shipped reference profile for ${model} (shipped: ${models.join(', ')}).`, `Profile it first (dynamo-plan profile --model ${model} --out DIR) and pass --profile DIR.`, 'E_NO_PROFILE');
}

/** Load each profile directory as a sizing candidate, with names unique among them. */
export function loadCandidates(dirs: string[]): SizingCandidate[] {
  const candidates = dirs.map(loadCandidate);
  const seen = new Map<string, number>();
  for (const candidate of candidates) seen.set(candidate.name, (seen.get(candidate.name) ?? 0) + 1);
  return candidates.map((candidate) => ((seen.get(candidate.name) ?? 0) > 1 ? {...candidate, name: `${candidate.name}-${basename(candidate.source)}`} : candidate));
}

/** One profile directory (holding profile.json) as a sizing candidate. */
export function loadCandidate(dir: string): SizingCandidate {
  const source = resolve(dir);
  if (!existsSync(source)) throw badInput(`Profile directory ${dir} does not exist.`, 'Pass a directory written by `dynamo-plan profile` or `dynamo-plan profile import`.', 'E_NO_PROFILE');
  if (!profileExists(source)) throw badInput(`${dir} holds no profile.json.`, 'Pass a directory written by `dynamo-plan profile` or `dynamo-plan profile import`.', 'E_NO_PROFILE');
  const profile = loadProfile(source);
  const file = profilePath(source);
  const {engine} = profile;
  if (!profile.fits?.prefill && !profile.fits?.decode) throw badInput(`${file} has no fitted models.`, `Fit it first: dynamo-plan fit ${dir}.`, 'E_NO_FIT');
  const gpusPerEngine = engine.gpusPerEngine ?? (engine.tp ?? 1) * (engine.pp ?? 1) * (engine.dp ?? 1);
  const parallel = `tp${engine.tp ?? gpusPerEngine}${(engine.pp ?? 1) > 1 ? `pp${engine.pp}` : ''}${(engine.dp ?? 1) > 1 ? `dp${engine.dp}` : ''}`;
  const role = engine.role === 'prefill' || engine.role === 'decode' ? `-${engine.role}` : '';
  return {
    name: `${engine.accelerator ?? 'gpu'}-${parallel}${role}`,
    source,
    engine,
    gpusPerEngine,
    ...(profile.fits.prefill ? {ttft: parseTtftModel(profile.fits.prefill, `${file} fits.prefill`)} : {}),
    ...(profile.fits.decode ? {itl: parseItlModel(profile.fits.decode, `${file} fits.decode`)} : {}),
  };
}

/** A trace as a workload: its mean request rate, mean lengths, and every request's lengths. */
export function loadTraceWorkload(path: string): Required<Pick<WorkloadSpec, 'isl' | 'osl' | 'requestRate' | 'samples' | 'source'>> {
  const schedule = readTrace(path);
  const spanS = schedule.at(-1)!.sendAtS - schedule[0]!.sendAtS;
  if (schedule.length < 2 || !(spanS > 0)) throw badInput(`${path} spans no time: a rate cannot be read from it.`, 'Use a trace with requests at two or more distinct times, or give --request-rate.', 'E_EMPTY_TRACE');
  const samples = schedule.map(({isl, osl}) => ({isl, osl}));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    isl: mean(samples.map((sample) => sample.isl)),
    osl: mean(samples.map((sample) => sample.osl)),
    // n requests over the span between the first and the last: n - 1 gaps.
    requestRate: (schedule.length - 1) / spanS,
    samples,
    source: path,
  };
}
