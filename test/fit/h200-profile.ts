// The real Dynamo profile of Llama-3.1-8B FP8 on one H200, as fit inputs.
import {readFileSync} from 'node:fs';
import type {DecodePoint, PrefillPoint} from '../../src/fit/index.js';

/** The Dynamo profiler's data, in the shared reference folder beside the repository. */
const PROFILE_DIR = new URL('../../../shared/reference/dynamo-profile-h200-llama31-8b-fp8/', import.meta.url);

/** The engine's max_num_seqs: the decode sweep went past it at the shortest context. */
export const H200_MAX_NUM_SEQS = 1024;

function read<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, PROFILE_DIR), 'utf8')) as T;
}

export function h200PrefillPoints(): PrefillPoint[] {
  const raw = read<{prefill_isl: number[]; prefill_ttft: number[]}>('prefill_raw_data.json');
  return raw.prefill_isl.map((isl, i) => ({isl, ttftMs: raw.prefill_ttft[i]!}));
}

/** Concurrency is recovered from KV usage: x_kv_usage * max_kv_tokens / context, a whole number of sequences. */
export function h200DecodePoints(): DecodePoint[] {
  const raw = read<{x_kv_usage: number[]; y_context_length: number[]; z_itl: number[]; max_kv_tokens: number}>('decode_raw_data.json');
  return raw.x_kv_usage.map((usage, i) => {
    const context = raw.y_context_length[i]!;
    return {concurrency: Math.round((usage * raw.max_kv_tokens) / context), context, itlMs: raw.z_itl[i]!};
  });
}
