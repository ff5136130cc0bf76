import {existsSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {badInput} from '../errors/errors.js';
import {readValidatedFile, validateWith} from '../schema/validator.js';
import {writeFileAtomic} from '../util/files.js';
import type {NdArray, NpyDtype} from './npy.js';
import {type NpzArrays, readNpz, writeNpz} from './npz.js';

// Dynamo's SLA-profiler interpolation data, in its two forms: the profiler's raw_data.npz files and the ConfigMap
// JSON files the operator repackages them into (same keys, max_kv_tokens a scalar instead of a one-element array).

const RAW_DATA_SCHEMA = 'profile.schema.json#/definitions/dynamoRawData';

/** Paths inside a Dynamo profiler output directory (and inside DIR/dynamo when we export). */
export const DYNAMO_LAYOUT = {
  prefillNpz: join('selected_prefill_interpolation', 'raw_data.npz'),
  decodeNpz: join('selected_decode_interpolation', 'raw_data.npz'),
  prefillJson: 'prefill_raw_data.json',
  decodeJson: 'decode_raw_data.json',
} as const;

/** Prefill sweep: one entry per prompt length. Units: tokens, ms, tokens/s/GPU. */
export interface DynamoPrefillRawData {
  prefill_isl: number[];
  prefill_ttft: number[];
  prefill_thpt_per_gpu: number[];
}

/** Decode sweep: one entry per (batch, context) point. Units: share of KV, tokens, ms, tokens/s/GPU; KV in tokens. */
export interface DynamoDecodeRawData {
  x_kv_usage: number[];
  y_context_length: number[];
  z_itl: number[];
  z_thpt_per_gpu: number[];
  max_kv_tokens: number;
}

export interface DynamoRawData {
  prefill?: DynamoPrefillRawData;
  decode?: DynamoDecodeRawData;
}

/** What was read, with the absolute path of each file. */
export interface DynamoRawDataFiles {
  prefill?: {file: string; data: DynamoPrefillRawData};
  decode?: {file: string; data: DynamoDecodeRawData};
}

/**
 * Read Dynamo's data from directories (a profiler output directory, an export's DIR/dynamo, or one of the
 * selected_*_interpolation folders) and/or files (.npz or .json, told apart by the arrays they hold). In a directory
 * the NPZ, the profiler's original, is preferred to its JSON copy.
 */
export function readDynamoRawData(paths: readonly string[]): DynamoRawDataFiles {
  const found: DynamoRawDataFiles = {};
  for (const file of paths.flatMap(dynamoFilesAt)) {
    const read = readDynamoFile(file);
    if (found[read.kind]) {
      throw badInput(`Two ${read.kind} data files were given: ${found[read.kind]!.file} and ${file}.`, `Pass one prefill and at most one decode file (or a directory holding them).`, 'E_DYNAMO_AMBIGUOUS');
    }
    if (read.kind === 'prefill') found.prefill = {file, data: read.data};
    else found.decode = {file, data: read.data};
  }
  return found;
}

/** Write both forms under DIR: the NPZs as np.savez writes them, and the ConfigMap JSON files. Returns the paths. */
export function writeDynamoRawData(dir: string, data: DynamoRawData): string[] {
  const written: string[] = [];
  const write = (relative: string, save: (path: string) => void) => {
    const path = join(dir, relative);
    save(path);
    written.push(path);
  };
  if (data.prefill) {
    const prefill = data.prefill;
    write(DYNAMO_LAYOUT.prefillNpz, (path) => writeNpz(path, prefillArrays(prefill)));
    write(DYNAMO_LAYOUT.prefillJson, (path) => writeFileAtomic(path, JSON.stringify(prefill)));
  }
  if (data.decode) {
    const decode = data.decode;
    write(DYNAMO_LAYOUT.decodeNpz, (path) => writeNpz(path, decodeArrays(decode)));
    write(DYNAMO_LAYOUT.decodeJson, (path) => writeFileAtomic(path, JSON.stringify(decode)));
  }
  return written;
}

function dynamoFilesAt(path: string): string[] {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw badInput(`${path} does not exist.`, 'Pass a Dynamo profiler output directory, or its raw_data.npz / *_raw_data.json files.', 'E_FILE_UNREADABLE');
  if (!statSync(absolute).isDirectory()) return [absolute];
  const first = (...candidates: string[]) => candidates.map((name) => join(absolute, name)).find((candidate) => existsSync(candidate));
  const files = [first(DYNAMO_LAYOUT.prefillNpz, DYNAMO_LAYOUT.prefillJson), first(DYNAMO_LAYOUT.decodeNpz, DYNAMO_LAYOUT.decodeJson), first('raw_data.npz')];
  const present = files.filter((file): file is string => file !== undefined);
  if (present.length === 0) {
    throw badInput(
      `${path} holds no Dynamo profile data.`,
      `Expected ${Object.values(DYNAMO_LAYOUT).join(', ')} (the profiler's output directory or the planner ConfigMap's files).`,
      'E_DYNAMO_NOT_FOUND',
    );
  }
  return present;
}

type DynamoFile = {kind: 'prefill'; data: DynamoPrefillRawData} | {kind: 'decode'; data: DynamoDecodeRawData};

function readDynamoFile(path: string): DynamoFile {
  const data = path.endsWith('.npz')
    ? validateWith<DynamoPrefillRawData | DynamoDecodeRawData>(RAW_DATA_SCHEMA, jsonFormOf(readNpz(path), path), path)
    : readValidatedFile<DynamoPrefillRawData | DynamoDecodeRawData>(path, RAW_DATA_SCHEMA);
  const file: DynamoFile = 'prefill_isl' in data ? {kind: 'prefill', data} : {kind: 'decode', data};
  requireParallelArrays(file.data, path);
  return file;
}

/** The NPZ's arrays as the JSON form has them: lists, and max_kv_tokens (shape [1]) as a scalar. */
function jsonFormOf(arrays: NpzArrays, source: string): Record<string, number | number[]> {
  const json: Record<string, number | number[]> = {};
  for (const [name, array] of Object.entries(arrays)) {
    if (name === 'max_kv_tokens' && array.data.length === 1) json[name] = array.data[0]!;
    else if (array.shape.length === 1) json[name] = array.data;
    else throw badInput(`${source}: array ${name} has shape (${array.shape.join(', ')}); Dynamo's arrays are one-dimensional.`, 'Check that this is a Dynamo raw_data.npz.', 'E_FILE_MALFORMED');
  }
  return json;
}

function requireParallelArrays(data: DynamoPrefillRawData | DynamoDecodeRawData, source: string): void {
  const arrays = Object.entries(data).filter((entry): entry is [string, number[]] => Array.isArray(entry[1]));
  const [, first] = arrays[0]!;
  if (arrays.every(([, values]) => values.length === first.length)) return;
  throw badInput(
    `${source}: the arrays differ in length (${arrays.map(([name, values]) => `${name} ${values.length}`).join(', ')}).`,
    'Each index is one measured point; every array needs one entry per point.',
    'E_FILE_MALFORMED',
  );
}

// Dynamo's own dtypes: prompt lengths and the KV capacity are int64, everything else float64.
function prefillArrays(data: DynamoPrefillRawData): NpzArrays {
  return {
    prefill_isl: vector('<i8', data.prefill_isl),
    prefill_ttft: vector('<f8', data.prefill_ttft),
    prefill_thpt_per_gpu: vector('<f8', data.prefill_thpt_per_gpu),
  };
}

function decodeArrays(data: DynamoDecodeRawData): NpzArrays {
  return {
    x_kv_usage: vector('<f8', data.x_kv_usage),
    y_context_length: vector('<f8', data.y_context_length),
    z_itl: vector('<f8', data.z_itl),
    z_thpt_per_gpu: vector('<f8', data.z_thpt_per_gpu),
    max_kv_tokens: vector('<i8', [data.max_kv_tokens]),
  };
}

function vector(dtype: NpyDtype, data: number[]): NdArray {
  return {dtype, shape: [data.length], data};
}
