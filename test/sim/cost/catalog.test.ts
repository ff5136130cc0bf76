import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {schemaValidator, validateWith} from '../../../src/schema/validator.js';
import {findAccelerator, findModel, loadCatalog, resolveEngineSpec} from '../../../src/sim/cost/index.js';

const REQUIRED_GPUS = ['h100_sxm', 'h100_pcie', 'h200_sxm', 'a100_sxm', 'b200_sxm', 'l40s', 'l4'];
const REQUIRED_MODELS = [
  'Qwen/Qwen3-0.6B',
  'meta-llama/Llama-3.1-8B-Instruct',
  'nvidia/Llama-3.1-8B-Instruct-FP8',
  'Qwen/Qwen3-8B',
  'Qwen/Qwen3-32B',
  'meta-llama/Llama-3.1-70B-Instruct',
  'Qwen/Qwen3-30B-A3B',
];

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-catalog-'));
function writeCatalog(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

function thrown(fn: () => unknown): DynamoPlanError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DynamoPlanError);
    return error as DynamoPlanError;
  }
  throw new Error('expected a DynamoPlanError');
}

const qwenTiny = {
  id: 'acme/tiny',
  params: 1_000_000_000,
  activeParams: 1_000_000_000,
  layers: 16,
  hidden: 2048,
  heads: 16,
  kvHeads: 8,
  headDim: 128,
  ffn: 8192,
  vocab: 32000,
  maxContext: 32768,
  weightDtype: 'bf16',
  tieWordEmbeddings: true,
};

describe('shipped catalog', () => {
  it('compiles every catalog schema under Ajv strict mode', () => {
    for (const name of ['accelerators.schema.json', 'models.schema.json', 'catalog.schema.json']) {
      expect(typeof schemaValidator(name)).toBe('function');
    }
  });

  it('holds every required GPU and model, each valid on its own against its schema', () => {
    const catalog = loadCatalog();
    expect([...catalog.accelerators.keys()]).toEqual(expect.arrayContaining(REQUIRED_GPUS));
    expect([...catalog.models.keys()]).toEqual(expect.arrayContaining(REQUIRED_MODELS));
    for (const accelerator of catalog.accelerators.values()) {
      expect(() => validateWith('accelerators.schema.json', {accelerators: [accelerator]}, accelerator.sku)).not.toThrow();
    }
    for (const model of catalog.models.values()) {
      expect(() => validateWith('models.schema.json', {models: [model]}, model.id)).not.toThrow();
    }
  });

  it('carries the spec-sheet figures (H200: 4.8 TB/s, FP8 1979; A100: no FP8) and marks only the H200 calibrated', () => {
    const catalog = loadCatalog();
    const h200 = findAccelerator(catalog, 'h200_sxm');
    expect(h200.hbmBandwidthTBps).toBe(4.8);
    expect(h200.fp8Tflops).toBe(1979);
    expect(h200.driverMemoryMiB).toBe(143771);
    expect(findAccelerator(catalog, 'a100_sxm').fp8Tflops).toBeNull();
    expect([...catalog.accelerators.values()].filter((gpu) => gpu.calibrated).map((gpu) => gpu.sku)).toEqual(['h200_sxm']);
  });

  it('looks GPUs up regardless of case', () => {
    expect(findAccelerator(loadCatalog(), 'H200_SXM').sku).toBe('h200_sxm');
  });

  it('describes the MoE model with its expert block and the FP8 checkpoint with fp8 weights', () => {
    const catalog = loadCatalog();
    expect(findModel(catalog, 'Qwen/Qwen3-30B-A3B').moe).toEqual({experts: 128, activeExperts: 8});
    expect(findModel(catalog, 'nvidia/Llama-3.1-8B-Instruct-FP8').weightDtype).toBe('fp8');
  });
});

describe('custom catalog (--catalog FILE)', () => {
  it('adds models from YAML and overrides shipped GPUs by sku', () => {
    const h200 = findAccelerator(loadCatalog(), 'h200_sxm');
    const bigger = {...h200, driverMemoryMiB: 2 * h200.driverMemoryMiB};
    const path = writeCatalog('custom.json', JSON.stringify({accelerators: [bigger], models: [qwenTiny]}));
    const catalog = loadCatalog(path);
    expect(findModel(catalog, 'acme/tiny').layers).toBe(16);
    expect(findAccelerator(catalog, 'h200_sxm').driverMemoryMiB).toBe(2 * h200.driverMemoryMiB);
    const yamlPath = writeCatalog('custom.yaml', `models:\n  - ${JSON.stringify(qwenTiny)}\n`);
    const spec = resolveEngineSpec({model: 'acme/tiny', gpu: 'l4', tp: 1, catalogFile: yamlPath});
    expect(spec.model.id).toBe('acme/tiny');
    expect(loadCatalog().models.has('acme/tiny')).toBe(false);
  });

  it('rejects a malformed entry with a bad-input error naming the JSON pointer', () => {
    const path = writeCatalog('bad-type.json', JSON.stringify({models: [qwenTiny, {...qwenTiny, id: 'x', layers: 'many'}]}));
    const error = thrown(() => loadCatalog(path));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('/models/1/layers');
    expect(error.message).toContain(path);
  });

  it('rejects unknown top-level keys and unknown entry fields', () => {
    expect(thrown(() => loadCatalog(writeCatalog('bad-key.json', '{"gpus": []}'))).code).toBe('E_SCHEMA_INVALID');
    const extra = writeCatalog('bad-field.json', JSON.stringify({models: [{...qwenTiny, colour: 'red'}]}));
    expect(thrown(() => loadCatalog(extra)).message).toContain('/models/0');
  });

  it('rejects duplicates and inconsistent MoE figures, naming the entry', () => {
    const duplicate = writeCatalog('dup.json', JSON.stringify({models: [qwenTiny, qwenTiny]}));
    expect(thrown(() => loadCatalog(duplicate)).message).toContain('/models/1/id');
    const moe = writeCatalog('moe.json', JSON.stringify({models: [{...qwenTiny, moe: {experts: 8, activeExperts: 8}, activeParams: 500_000_000}]}));
    expect(thrown(() => loadCatalog(moe)).message).toContain('/models/0/moe/activeExperts');
    const dense = writeCatalog('dense.json', JSON.stringify({models: [{...qwenTiny, activeParams: 500_000_000}]}));
    expect(thrown(() => loadCatalog(dense)).message).toContain('/models/0/activeParams');
  });

  it('reports an unreadable file as bad input', () => {
    expect(thrown(() => loadCatalog(join(scratch, 'missing.json'))).code).toBe('E_FILE_UNREADABLE');
  });
});
