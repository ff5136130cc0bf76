import {readFileSync} from 'node:fs';
import {Ajv} from 'ajv';
import addFormats from 'ajv-formats';
import {expect} from 'vitest';
import {type K8sObject, manifestSchemaName} from '../../src/manifest/index.js';
import {packagePath} from '../../src/util/paths.js';

type Json = Record<string, any>;

// An ajv of the test's own (strict, draft-07), loading the committed schemas directly: the product's validator is
// what is under test, so the check does not go through it.
const ajv = new Ajv({strict: true, allErrors: true});
addFormats.default(ajv);
export function upstreamErrors(object: K8sObject): unknown {
  const name = manifestSchemaName(object.apiVersion, object.kind);
  const validate = ajv.getSchema(name) ?? (ajv.addSchema(JSON.parse(readFileSync(packagePath('schemas', name), 'utf8')) as object, name), ajv.getSchema(name)!);
  return validate(object) ? null : validate.errors;
}

/** The object, and a DGD embedded in it, validate against the committed CRD schemas. */
export function expectValid(object: K8sObject): void {
  expect(upstreamErrors(object)).toBeNull();
  const embedded = (object as Json).spec?.overrides?.dgd as K8sObject | undefined;
  if (embedded) expect(upstreamErrors(embedded)).toBeNull();
}

