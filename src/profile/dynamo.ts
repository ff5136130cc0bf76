import {join} from 'node:path';
import {badInput} from '../errors/errors.js';
import {type EngineFacts, type PointSet, type Profile, profilePoints} from './artifact.js';
import {type DynamoDecodeRawData, type DynamoPrefillRawData, type DynamoRawData, writeDynamoRawData} from './dynamo-files.js';

// Conversion between our points and Dynamo's interpolation arrays, with Dynamo's definitions:
//   prefill_thpt_per_gpu = isl / ttft_ms * 1000 / gpus
//   x_kv_usage = context * concurrency / max_kv_tokens,  y_context_length = context,  z_itl = itl_ms
//   z_thpt_per_gpu = measured output tokens/s per GPU (concurrency / itl_ms * 1000 / gpus when not measured)

/** The folder under a profile directory that an export writes Dynamo's files to. */
export const DYNAMO_EXPORT_DIR = 'dynamo';

/** Our points from Dynamo's arrays; decode concurrency is recovered from the KV usage Dynamo derived it into. */
export function pointsFromDynamo(raw: DynamoRawData): PointSet {
  const prefill = raw.prefill;
  const decode = raw.decode;
  return {
    prefill: prefill ? prefill.prefill_isl.map((isl, index) => ({isl, ttftMs: prefill.prefill_ttft[index]!})) : [],
    decode: decode
      ? decode.y_context_length.map((context, index) => ({
          concurrency: batchSize(decode, index),
          context,
          itlMs: decode.z_itl[index]!,
          kvUsage: decode.x_kv_usage[index]!,
          tokensPerSecondPerGpu: decode.z_thpt_per_gpu[index]!,
        }))
      : [],
  };
}

function batchSize(decode: DynamoDecodeRawData, index: number): number {
  const sequences = (decode.x_kv_usage[index]! * decode.max_kv_tokens) / decode.y_context_length[index]!;
  if (Math.round(sequences) >= 1) return Math.round(sequences);
  throw badInput(
    `Dynamo decode point ${index}: x_kv_usage * max_kv_tokens / y_context_length = ${sequences.toPrecision(3)}, not a batch of at least one sequence.`,
    'Check that max_kv_tokens belongs to the same decode data.',
    'E_DYNAMO_INCONSISTENT',
  );
}

/**
 * The GPU count Dynamo divided prefill throughput by, recovered as isl / ttft * 1000 / prefill_thpt_per_gpu, or
 * null when the points do not agree on one whole number (with attention DP it is GPUs / dp).
 */
export function gpusPerEngineFromPrefill(prefill: DynamoPrefillRawData): number | null {
  const estimates = prefill.prefill_isl.map((isl, index) => (isl / prefill.prefill_ttft[index]!) * 1000 / prefill.prefill_thpt_per_gpu[index]!);
  const gpus = Math.round(estimates[0]!);
  const agree = gpus >= 1 && estimates.every((estimate) => Math.abs(estimate - gpus) <= 0.01 * gpus);
  return agree ? gpus : null;
}

/** Dynamo's arrays from our points; the engine must say its GPU count, and its KV capacity when there is decode data. */
export function dynamoFromPoints(points: PointSet, engine: EngineFacts): DynamoRawData {
  return {
    ...(points.prefill.length > 0 ? {prefill: prefillRawData(points, engine)} : {}),
    ...(points.decode.length > 0 ? {decode: decodeRawData(points, engine)} : {}),
  };
}

/** Write the profile's points as Dynamo's NPZ and ConfigMap JSON files under DIR/dynamo; returns the paths. */
export function exportDynamoProfile(dir: string, profile: Profile): string[] {
  return writeDynamoRawData(join(dir, DYNAMO_EXPORT_DIR), dynamoFromPoints(profilePoints(dir, profile), profile.engine));
}

function prefillRawData(points: PointSet, engine: EngineFacts): DynamoPrefillRawData {
  const gpus = requireFact(engine.gpusPerEngine, 'gpusPerEngine', 'prefill_thpt_per_gpu');
  return {
    prefill_isl: points.prefill.map((point) => point.isl),
    prefill_ttft: points.prefill.map((point) => point.ttftMs),
    prefill_thpt_per_gpu: points.prefill.map((point) => (point.isl / point.ttftMs) * 1000 / gpus),
  };
}

function decodeRawData(points: PointSet, engine: EngineFacts): DynamoDecodeRawData {
  const maxKvTokens = requireFact(engine.kvCapacityTokens, 'kvCapacityTokens', 'x_kv_usage and max_kv_tokens');
  const throughput = (point: PointSet['decode'][number]) =>
    point.tokensPerSecondPerGpu ?? (point.concurrency / point.itlMs) * 1000 / requireFact(engine.gpusPerEngine, 'gpusPerEngine', 'z_thpt_per_gpu');
  return {
    x_kv_usage: points.decode.map((point) => (point.context * point.concurrency) / maxKvTokens),
    y_context_length: points.decode.map((point) => point.context),
    z_itl: points.decode.map((point) => point.itlMs),
    z_thpt_per_gpu: points.decode.map(throughput),
    max_kv_tokens: maxKvTokens,
  };
}

function requireFact(value: number | null, field: keyof EngineFacts, needed: string): number {
  if (value !== null) return value;
  throw badInput(`The profile's engine.${field} is unknown, and Dynamo's ${needed} cannot be computed without it.`, `Set engine.${field} in profile.json (or pass it when importing) and export again.`, 'E_PROFILE_INCOMPLETE');
}
