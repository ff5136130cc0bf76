// Kubernetes structural schemas (a CRD version's openAPIV3Schema) translated into draft-07 JSON Schemas that ajv
// accepts in strict mode and that reject what the API server would reject or silently drop:
//   - an object that declares its fields and does not preserve unknown ones gets additionalProperties: false, so a
//     misspelt field (which Kubernetes would prune without a word) is an error;
//   - x-kubernetes-preserve-unknown-fields leaves an object open; x-kubernetes-embedded-resource adds apiVersion,
//     kind (required) and ObjectMeta; x-kubernetes-int-or-string becomes integer | string with the string rules on
//     the string branch; nullable adds null; x-kubernetes-list-type: set becomes uniqueItems;
//   - x-kubernetes-validations (CEL) cannot be said in JSON Schema and are dropped: src/manifest/rules.ts enforces the
//     ones our manifests could break; descriptions, defaults and formats ajv does not know are dropped too;
//   - the root's metadata is ObjectMeta as we emit it (name, namespace, labels, annotations), and status, which only
//     the controller writes, is left out, so an emitted status is an error.

import {createHash} from 'node:crypto';

type JsonObject = Record<string, unknown>;
type Schema = JsonObject;

/** Where a derived schema came from, recorded in its $comment. */
export interface CrdOrigin {
  /** Repository-relative path of the CRD file upstream. */
  file: string;
  repository: string;
  commit: string;
  /** sha256 (hex) of the CRD file's bytes. */
  sha256: string;
}

/** One served version of one kind, as a JSON Schema, with the file name it is stored under in schemas/k8s/. */
export interface DerivedSchema {
  fileName: string;
  kind: string;
  apiVersion: string;
  schema: Schema;
}

/** The part of an apiextensions.k8s.io/v1 CustomResourceDefinition the translation reads. */
export interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    names: {kind: string; singular: string};
    versions: {name: string; served: boolean; schema: {openAPIV3Schema: Schema}}[];
  };
}

const OBJECT_META = '#/definitions/objectMeta';
const NAMED_OBJECT_META = '#/definitions/namedObjectMeta';

const stringMap = {type: 'object', additionalProperties: {type: 'string'}};

/** ObjectMeta as our manifests use it; anything else (uid, resourceVersion, managedFields...) is the server's. */
const objectMetaDefinition = {
  type: 'object',
  properties: {name: {type: 'string'}, namespace: {type: 'string'}, labels: stringMap, annotations: stringMap},
  additionalProperties: false,
};

/** Keywords with no meaning for validation, or that are translated by hand below. */
const dropped = new Set([
  'description',
  'default',
  'example',
  'nullable',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
]);

/** Keywords about strings, moved onto the string branch of an int-or-string. */
const stringKeywords = new Set(['pattern', 'minLength', 'maxLength', 'format', 'enum']);

/**
 * The JSON Schema of every served version of a CRD. `knownFormat` says which `format`s the validator understands
 * (the rest are dropped, as the API server ignores formats it does not know).
 */
export function crdJsonSchemas(crd: CustomResourceDefinition, origin: CrdOrigin, knownFormat: (format: string) => boolean): DerivedSchema[] {
  if (crd.kind !== 'CustomResourceDefinition') throw new Error(`${origin.file}: not a CustomResourceDefinition (kind ${crd.kind})`);
  const {group, names} = crd.spec;
  return crd.spec.versions
    .filter((version) => version.served)
    .map((version) => {
      const apiVersion = `${group}/${version.name}`;
      const translator = new Translator(knownFormat);
      const {schema, shared} = shareRepeats(translator.root(version.schema.openAPIV3Schema, apiVersion, names.kind));
      return {
        fileName: `${names.singular}-${version.name}.schema.json`,
        kind: names.kind,
        apiVersion,
        schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          $comment:
            `Derived by src/manifest/crd-schemas/derive.ts from ${origin.repository}@${origin.commit} ${origin.file} ` +
            `(sha256 ${origin.sha256}), ${names.kind} ${version.name}. Do not edit: re-run the derivation.`,
          title: `${names.kind} ${apiVersion}`,
          ...schema,
          definitions: {objectMeta: objectMetaDefinition, namedObjectMeta: {...objectMetaDefinition, required: ['name']}, ...shared},
        },
      };
    });
}

class Translator {
  constructor(private readonly knownFormat: (format: string) => boolean) {}

  root(schema: Schema, apiVersion: string, kind: string): Schema {
    const properties = {...(schema.properties as Record<string, Schema>)};
    delete properties.status;
    const translated = this.node({...schema, properties});
    const rootProperties = translated.properties as Record<string, Schema>;
    rootProperties.apiVersion = {const: apiVersion};
    rootProperties.kind = {const: kind};
    rootProperties.metadata = {$ref: NAMED_OBJECT_META};
    const required = new Set([...((translated.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata']);
    return {...translated, required: [...required]};
  }

  node(schema: Schema): Schema {
    if (schema['x-kubernetes-int-or-string'] === true) return this.nullable(schema, this.intOrString(schema));
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (dropped.has(key)) continue;
      if (key === 'format' && !this.knownFormat(value as string)) continue;
      out[key] = this.keyword(key, value);
    }
    if (schema['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
    if (schema['x-kubernetes-embedded-resource'] === true) this.embedResource(out);
    const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (schema.type === 'object' && !open && out.additionalProperties === undefined) out.additionalProperties = false;
    return this.nullable(schema, out);
  }

  private keyword(key: string, value: unknown): unknown {
    switch (key) {
      case 'properties':
        return Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, this.node(child)]));
      case 'items':
      case 'not':
        return this.node(value as Schema);
      case 'additionalProperties':
        return typeof value === 'boolean' ? value : this.node(value as Schema);
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        return (value as Schema[]).map((child) => this.node(child));
      default:
        return value;
    }
  }

  /** integer | string; string-only keywords (a quantity's pattern, say) apply to the string branch alone. */
  private intOrString(schema: Schema): Schema {
    const onString: Schema = {type: 'string'};
    for (const [key, value] of Object.entries(schema)) {
      if (!stringKeywords.has(key)) continue;
      if (key === 'format' && !this.knownFormat(value as string)) continue;
      onString[key] = value;
    }
    return {anyOf: [{type: 'integer'}, onString]};
  }

  /** An embedded resource must say apiVersion and kind; its metadata is ObjectMeta. */
  private embedResource(out: Schema): void {
    const properties = (out.properties as Record<string, Schema> | undefined) ?? {};
    out.properties = {apiVersion: {type: 'string', minLength: 1}, kind: {type: 'string', minLength: 1}, metadata: {$ref: OBJECT_META}, ...properties};
    out.required = [...new Set(['apiVersion', 'kind', ...((out.required as string[] | undefined) ?? [])])];
  }

  private nullable(source: Schema, translated: Schema): Schema {
    return source.nullable === true ? {anyOf: [translated, {type: 'null'}]} : translated;
  }
}

/** Subschemas shorter than this (as JSON) are cheaper inline than behind a $ref. */
const MIN_SHARED_CHARS = 200;

/**
 * The schema with every subschema that occurs more than once (a CRD repeats PodSpec, Container, Probe... many
 * times) replaced by a $ref to one definition, named by a hash of its content. ajv then compiles each once: the
 * schemas are smaller and compile several times faster. Validation is unchanged.
 */
function shareRepeats(root: Schema): {schema: Schema; shared: Record<string, Schema>} {
  const counts = new Map<string, number>();
  forEachSubschema(root, (node) => {
    const key = JSON.stringify(node);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const shared: Record<string, Schema> = {};
  const rewrite = (node: Schema): Schema => {
    const key = JSON.stringify(node);
    const children = mapSubschemas(node, rewrite);
    if ((counts.get(key) ?? 0) < 2 || key.length < MIN_SHARED_CHARS) return children;
    const name = `shared-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    shared[name] = children;
    return {$ref: `#/definitions/${name}`};
  };
  const schema = mapSubschemas(root, rewrite);
  return {schema, shared: Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)))};
}

function forEachSubschema(node: Schema, visit: (node: Schema) => void): void {
  mapSubschemas(node, (child) => {
    visit(child);
    forEachSubschema(child, visit);
    return child;
  });
}

/** `node` with each direct subschema replaced by map(subschema). */
function mapSubschemas(node: Schema, map: (child: Schema) => Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, map(child)]));
    else if ((key === 'items' || key === 'not' || key === 'additionalProperties') && typeof value === 'object') out[key] = map(value as Schema);
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as Schema[]).map(map);
    else out[key] = value;
  }
  return out;
}
