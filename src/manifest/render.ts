import {stringify} from 'yaml';
import type {K8sObject} from './types.js';
import {validateManifest} from './validate.js';

/**
 * The objects as one multi-document YAML stream, each validated first. Stable: keys keep the order the builders
 * write them in, nothing depends on the clock, long strings are never folded. Strings are quoted by YAML 1.1 rules
 * (what Kubernetes' parser follows), so values such as "on", "yes" or "0755" stay strings.
 */
export function renderManifests(objects: readonly K8sObject[]): string {
  for (const object of objects) validateManifest(object);
  return objects.map((object) => `---\n${stringify(object, {version: '1.1', lineWidth: 0, aliasDuplicateObjects: false})}`).join('');
}
