import {badInput} from '../errors/errors.js';
import type {EngineFacts, EngineRole, PointSet} from '../profile/artifact.js';
import {DYNAMO_LAYOUT, type DynamoRawData} from '../profile/dynamo-files.js';
import {dynamoFromPoints} from '../profile/dynamo.js';
import type {K8sObject, ManifestInput} from './types.js';
import {validateManifest} from './validate.js';

// Our profile as Dynamo's planner-profile-data ConfigMap: the same two JSON files `profile` exports under
// DIR/dynamo (prefill_raw_data.json, decode_raw_data.json), which Dynamo's planner reads from its
// profile_results_dir.

/** The ConfigMap's name; the Planner component mounts it by this name. */
export function profileConfigMapName(name: string): string {
  return `${name}-planner-profile-data`;
}

/** One measured profile and the role its engine played (an aggregated engine supplies both prefill and decode data). */
export interface ProfileSource {
  role: EngineRole;
  points: PointSet;
  engine: EngineFacts;
}

/** Dynamo's arrays for the ConfigMap: prefill data from the prefill (or agg) profile, decode from the decode (or agg) one. */
export function plannerProfileData(sources: readonly ProfileSource[]): DynamoRawData {
  const dataOf = (part: 'prefill' | 'decode') => {
    const source = sources.find((candidate) => candidate.role === part) ?? sources.find((candidate) => candidate.role === 'agg');
    return source ? dynamoFromPoints(source.points, source.engine) : {};
  };
  const prefill = dataOf('prefill').prefill;
  const decode = dataOf('decode').decode;
  return {...(prefill ? {prefill} : {}), ...(decode ? {decode} : {})};
}

/** For --with-profile-configmap: input.profile as Dynamo's planner-profile-data ConfigMap, validated. */
export function buildProfileConfigMap(input: ManifestInput): K8sObject {
  const profile = input.profile;
  if (!profile?.prefill && !profile?.decode) {
    throw badInput('No profile data to put in the planner-profile-data ConfigMap.', 'Pass the profiles the deployment was sized from (--profile DIR), or drop --with-profile-configmap.', 'E_MANIFEST_PROFILE');
  }
  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name: profileConfigMapName(input.name), ...(input.namespace === undefined ? {} : {namespace: input.namespace})},
    data: {
      ...(profile.prefill ? {[DYNAMO_LAYOUT.prefillJson]: JSON.stringify(profile.prefill)} : {}),
      ...(profile.decode ? {[DYNAMO_LAYOUT.decodeJson]: JSON.stringify(profile.decode)} : {}),
    },
  };
  validateManifest(configMap);
  return configMap;
}
