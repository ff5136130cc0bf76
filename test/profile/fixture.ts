import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** A real Dynamo SLA-profiler result: Llama-3.1-8B FP8 on one H200, from the shared reference beside the clone. */
export const dynamoFixtureDir = fileURLToPath(new URL('../../../shared/reference/dynamo-profile-h200-llama31-8b-fp8/', import.meta.url));
export const fixturePrefillNpz = join(dynamoFixtureDir, 'selected_prefill_interpolation', 'raw_data.npz');
export const fixtureDecodeNpz = join(dynamoFixtureDir, 'selected_decode_interpolation', 'raw_data.npz');
export const fixturePrefillJson = join(dynamoFixtureDir, 'prefill_raw_data.json');
export const fixtureDecodeJson = join(dynamoFixtureDir, 'decode_raw_data.json');

export function readJson<T = Record<string, number | number[]>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'dynamo-plan-profile-'));
}

/** The fixture's decode batch sizes, x_kv_usage * max_kv_tokens / y_context_length, worked out by hand per context. */
export const fixtureConcurrencies = [
  [1, 263, 525, 787, 1049, 1311, 1573],
  [1, 49, 97, 145, 193, 241, 289],
  [1, 27, 53, 79, 105, 131, 157],
  [1, 19, 37, 55, 73, 91, 109],
  [1, 15, 29, 43, 57, 71],
  [1, 12, 23, 34, 45, 56, 67],
].flat();
