import type {ErrorObject} from 'ajv';
import {badInput} from '../errors/errors.js';
import {schemaValidator} from '../schema/validator.js';
import {checkManifestRules} from './rules.js';
import type {K8sObject} from './types.js';

// Every object we emit is checked before anyone sees it: first the rules the schemas cannot say (rules.ts), then
// the JSON Schema derived from the upstream CRD of its kind and version (schemas/k8s/, see crd-schemas/derive.ts),
// and a DGDR's embedded DGD against the DGD schema of its own version.

const SCHEMAS: Record<string, string> = {
  'nvidia.com/v1beta1 DynamoGraphDeploymentRequest': 'k8s/dynamographdeploymentrequest-v1beta1.schema.json',
  'nvidia.com/v1alpha1 DynamoGraphDeploymentRequest': 'k8s/dynamographdeploymentrequest-v1alpha1.schema.json',
  'nvidia.com/v1beta1 DynamoGraphDeployment': 'k8s/dynamographdeployment-v1beta1.schema.json',
  'nvidia.com/v1alpha1 DynamoGraphDeployment': 'k8s/dynamographdeployment-v1alpha1.schema.json',
  'v1 ConfigMap': 'k8s/configmap-v1.schema.json',
};

/** The schema (path under schemas/) of an apiVersion and kind we emit. */
export function manifestSchemaName(apiVersion: unknown, kind: unknown): string {
  const name = SCHEMAS[`${String(apiVersion)} ${String(kind)}`];
  if (name) return name;
  throw badInput(`No schema for ${String(kind)} ${String(apiVersion)}.`, `dynamo-plan emits ${Object.keys(SCHEMAS).join(', ')}.`, 'E_MANIFEST_KIND');
}

/** Throw a bad-input error (object, JSON pointer, hint) unless `object` would be accepted by the API server as is. */
export function validateManifest(object: unknown): asserts object is K8sObject {
  validateAt(object, '', undefined);
}

function validateAt(object: unknown, pointer: string, dgdrName: string | undefined): void {
  const data = (typeof object === 'object' && object !== null ? object : {}) as Record<string, unknown>;
  const schema = manifestSchemaName(data.apiVersion, data.kind);
  checkManifestRules(data, pointer, dgdrName);
  const validate = schemaValidator(schema);
  if (!validate(object)) throw schemaError(data, pointer, schema, validate.errors ?? []);
  const embedded = data.kind === 'DynamoGraphDeploymentRequest' ? (data.spec as {overrides?: {dgd?: unknown}} | undefined)?.overrides?.dgd : undefined;
  if (embedded !== undefined) validateAt(embedded, `${pointer}/spec/overrides/dgd`, (data.metadata as {name?: string}).name);
}

function schemaError(data: Record<string, unknown>, pointer: string, schema: string, errors: ErrorObject[]): Error {
  const metadata = (data.metadata ?? {}) as {name?: unknown};
  const where = `${String(data.kind)} ${typeof metadata.name === 'string' ? metadata.name : ''}`.trim();
  const first = errors[0];
  const path = `${pointer}${first?.instancePath ?? ''}` || '/';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : '';
  const hint = `The ${String(data.kind)} ${String(data.apiVersion)} CRD (schemas/${schema}, derived from Dynamo's) does not accept this.`;
  if (first?.keyword === 'additionalProperties') {
    const field = String(first.params.additionalProperty);
    return badInput(`${where}: ${path} has no field "${field}": the API server would drop it${more}.`, `${hint} Check the spelling of "${field}".`, 'E_MANIFEST_SCHEMA');
  }
  if (first?.keyword === 'enum') {
    const allowed = (first.params.allowedValues as unknown[]).map(String).join(', ');
    return badInput(`${where}: ${path} must be one of ${allowed}${more}.`, hint, 'E_MANIFEST_SCHEMA');
  }
  return badInput(`${where}: ${path} ${first?.message ?? 'is invalid'}${more}.`, hint, 'E_MANIFEST_SCHEMA');
}
