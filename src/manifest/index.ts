import {buildProfileConfigMap} from './configmap.js';
import {buildDgd} from './dgd.js';
import {buildDgdr} from './dgdr.js';
import type {K8sObject, ManifestInput, ManifestOptions} from './types.js';

export {buildProfileConfigMap, plannerProfileData, profileConfigMapName, type ProfileSource} from './configmap.js';
export {buildDgd} from './dgd.js';
export {buildDgdr} from './dgdr.js';
export {renderManifests} from './render.js';
export {MAX_DGD_AND_COMPONENT_NAME} from './rules.js';
export type {K8sObject, ManifestApiVersion, ManifestInput, ManifestOptions, ManifestWorker, ManifestWorkload, PlannerSettings, WorkerRole} from './types.js';
export {manifestSchemaName, validateManifest} from './validate.js';

/**
 * Everything `dgdr` writes, each object validated: the profile ConfigMap first when asked (the Planner mounts it),
 * then the DGDR, or with dgdOnly the DGD alone.
 */
export function buildManifests(input: ManifestInput, options: ManifestOptions): K8sObject[] {
  const withProfileConfigMap = options.withProfileConfigMap ?? false;
  const configMap = withProfileConfigMap ? [buildProfileConfigMap(input)] : [];
  const graph = options.dgdOnly ? buildDgd(input, options.apiVersion, {withProfileConfigMap}) : buildDgdr(input, {apiVersion: options.apiVersion, withProfileConfigMap});
  return [...configMap, graph];
}
