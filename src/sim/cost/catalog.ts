// The accelerator and model catalogs: the shipped profiles/*.json, optionally extended or overridden by a user's
// --catalog file. Everything is schema-validated, then checked for the cross-field rules a schema cannot express.

import {badInput} from '../../errors/errors.js';
import {readValidatedFile, validateWith} from '../../schema/validator.js';
import {packagePath} from '../../util/paths.js';
import type {
  AcceleratorCatalogFile,
  AcceleratorEntry,
  CustomCatalogFile,
  ModelCatalogFile,
  ModelEntry,
} from './catalog-types.js';

export interface Catalog {
  readonly accelerators: ReadonlyMap<string, AcceleratorEntry>;
  readonly models: ReadonlyMap<string, ModelEntry>;
}

const CATALOG_HINT = 'pass --catalog FILE with an entry for it (format: schemas/catalog.schema.json)';

let shipped: Catalog | undefined;

/** The shipped catalog, merged with `customFile` when given (its entries win on equal sku or id). */
export function loadCatalog(customFile?: string): Catalog {
  shipped ??= readShippedCatalog();
  if (customFile === undefined) return shipped;
  const custom = readCustomCatalog(customFile);
  return {
    accelerators: new Map([...shipped.accelerators, ...custom.accelerators]),
    models: new Map([...shipped.models, ...custom.models]),
  };
}

export function findModel(catalog: Catalog, id: string): ModelEntry {
  const model = catalog.models.get(id);
  if (model) return model;
  throw badInput(
    `Unknown model "${id}". Known models: ${[...catalog.models.keys()].join(', ')}.`,
    `Use one of them, or ${CATALOG_HINT}.`,
    'E_UNKNOWN_MODEL',
  );
}

/** Look a GPU up by sku, ignoring case (users type H200_SXM as often as h200_sxm). */
export function findAccelerator(catalog: Catalog, sku: string): AcceleratorEntry {
  const accelerator = catalog.accelerators.get(sku.toLowerCase());
  if (accelerator) return accelerator;
  throw badInput(
    `Unknown GPU "${sku}". Known GPUs: ${[...catalog.accelerators.keys()].join(', ')}.`,
    `Use one of them, or ${CATALOG_HINT}.`,
    'E_UNKNOWN_GPU',
  );
}

function readShippedCatalog(): Catalog {
  const acceleratorsPath = packagePath('profiles', 'accelerators.json');
  const modelsPath = packagePath('profiles', 'models.json');
  const {accelerators} = readValidatedFile<AcceleratorCatalogFile>(acceleratorsPath, 'accelerators.schema.json');
  const {models} = readValidatedFile<ModelCatalogFile>(modelsPath, 'models.schema.json');
  return {accelerators: indexAccelerators(accelerators, acceleratorsPath), models: indexModels(models, modelsPath)};
}

// Items are validated against the per-kind schemas wrapped in the same top-level key, so the JSON pointers in
// error messages (/models/2/layers) point into the user's file as written.
function readCustomCatalog(path: string): Catalog {
  const file = readValidatedFile<CustomCatalogFile>(path, 'catalog.schema.json');
  const accelerators = file.accelerators
    ? validateWith<AcceleratorCatalogFile>('accelerators.schema.json', {accelerators: file.accelerators}, path).accelerators
    : [];
  const models = file.models ? validateWith<ModelCatalogFile>('models.schema.json', {models: file.models}, path).models : [];
  return {accelerators: indexAccelerators(accelerators, path), models: indexModels(models, path)};
}

function indexAccelerators(entries: AcceleratorEntry[], source: string): Map<string, AcceleratorEntry> {
  const index = new Map<string, AcceleratorEntry>();
  entries.forEach((entry, i) => {
    rejectDuplicate(index, entry.sku, `${source}: /accelerators/${i}/sku`);
    index.set(entry.sku, entry);
  });
  return index;
}

function indexModels(entries: ModelEntry[], source: string): Map<string, ModelEntry> {
  const index = new Map<string, ModelEntry>();
  entries.forEach((entry, i) => {
    rejectDuplicate(index, entry.id, `${source}: /models/${i}/id`);
    checkModelConsistency(entry, `${source}: /models/${i}`);
    index.set(entry.id, entry);
  });
  return index;
}

function rejectDuplicate(index: Map<string, unknown>, key: string, where: string): void {
  if (index.has(key)) throw invalidEntry(`${where} repeats "${key}", which an earlier entry already defines`);
}

function checkModelConsistency(model: ModelEntry, where: string): void {
  const embeddings = model.vocab * model.hidden * (model.tieWordEmbeddings ? 1 : 2);
  if (model.activeParams > model.params) throw invalidEntry(`${where}/activeParams exceeds params`);
  if (embeddings >= model.activeParams) throw invalidEntry(`${where}/activeParams is not larger than the embedding matrices (vocab x hidden)`);
  if (model.heads % model.kvHeads !== 0) throw invalidEntry(`${where}/kvHeads must divide heads (${model.heads})`);
  if (!model.moe && model.activeParams !== model.params) throw invalidEntry(`${where}/activeParams must equal params for a dense model (no moe block)`);
  if (model.moe && model.moe.activeExperts >= model.moe.experts) throw invalidEntry(`${where}/moe/activeExperts must be fewer than moe/experts`);
  if (model.moe && model.activeParams === model.params) throw invalidEntry(`${where}/activeParams must be below params for an MoE model`);
}

function invalidEntry(message: string) {
  return badInput(`${message}.`, 'Fix the catalog entry; each field is described in schemas/models.schema.json and schemas/accelerators.schema.json.', 'E_SCHEMA_INVALID');
}
