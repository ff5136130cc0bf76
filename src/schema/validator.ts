import {readdirSync, readFileSync} from 'node:fs';
import {Ajv, type ValidateFunction} from 'ajv';
import addFormats from 'ajv-formats';
import {parse as parseYaml} from 'yaml';
import {badInput} from '../errors/errors.js';
import {packagePath} from '../util/paths.js';

let ajv: Ajv | undefined;
/** Schema key by path under schemas/ (e.g. 'output/sim-serve.schema.json'): its $id, or the path itself. */
const keys = new Map<string, string>();

/** Every shipped schema is registered up front, so one may $ref another by relative path. */
function registry(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({strict: true, allErrors: true});
  addFormats.default(ajv);
  const root = packagePath('schemas');
  for (const entry of readdirSync(root, {recursive: true, encoding: 'utf8'})) {
    if (!entry.endsWith('.schema.json')) continue;
    const name = entry.split('\\').join('/');
    const schema = JSON.parse(readFileSync(packagePath('schemas', name), 'utf8')) as {$id?: string};
    const key = schema.$id ?? name;
    ajv.addSchema(schema, schema.$id ? undefined : name);
    keys.set(name, key);
  }
  return ajv;
}

/** The compiled validator of `schemas/<name>`, e.g. 'models.schema.json' or 'output/sim-serve.schema.json'. */
export function schemaValidator(name: string): ValidateFunction {
  const validate = registry().getSchema(keys.get(name) ?? name);
  if (!validate) throw new Error(`dynamo-plan: no schema schemas/${name}`);
  return validate;
}

/** Validate data against a shipped schema; throw a bad-input error that names the source and JSON pointer. */
export function validateWith<T>(name: string, data: unknown, source: string): T {
  const validate = schemaValidator(name);
  if (validate(data)) return data as T;
  const first = validate.errors?.[0];
  const where = first?.instancePath || '/';
  const more = (validate.errors?.length ?? 1) > 1 ? ` (and ${(validate.errors?.length ?? 1) - 1} more problems)` : '';
  throw badInput(
    `${source}: ${where} ${first?.message ?? 'is invalid'}${more}.`,
    `Fix the file so it matches schemas/${name}.`,
    'E_SCHEMA_INVALID',
  );
}

/** Read a JSON or YAML file (by extension) and validate it against a shipped schema. */
export function readValidatedFile<T>(path: string, schemaName: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw badInput(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNREADABLE');
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badInput(`${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}.`, 'Fix the syntax and try again.', 'E_FILE_MALFORMED');
  }
  return validateWith<T>(schemaName, data, path);
}
