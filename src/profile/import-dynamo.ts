import {resolve} from 'node:path';
import {badInput} from '../errors/errors.js';
import {type EngineFacts, type Profile, profileExists, saveProfile} from './artifact.js';
import {readDynamoRawData} from './dynamo-files.js';
import {gpusPerEngineFromPrefill, pointsFromDynamo} from './dynamo.js';
import {type PointSummary, summarizePoints} from './summary.js';
import {toolInfo} from './tool-info.js';

export interface DynamoImportOptions {
  /** Dynamo profiler output directories and/or raw_data.npz / *_raw_data.json files. */
  sources: string[];
  /** The profile directory; DIR/profile.json is written. */
  outDir: string;
  /** Replace an existing DIR/profile.json. */
  force?: boolean;
  /** Engine facts Dynamo's files do not carry; left null when not given. */
  model?: string;
  accelerator?: string;
  tp?: number;
  /** GPUs per engine; otherwise recovered from the prefill throughput when it allows. */
  gpusPerEngine?: number;
}

export interface DynamoImportResult extends PointSummary {
  /** The profile.json written. */
  profile: string;
  /** The Dynamo files the points were read from. */
  files: string[];
  engine: EngineFacts;
  /** Engine fields left null because neither Dynamo's files nor the options gave them. */
  unknownEngineFields: (keyof EngineFacts)[];
}

/** Read a Dynamo profile and write it as DIR/profile.json (source dynamo-import). */
export function importDynamoProfile(options: DynamoImportOptions): DynamoImportResult {
  const outDir = resolve(options.outDir);
  if (profileExists(outDir) && !options.force) {
    throw badInput(`${outDir} already holds a profile.json.`, 'Pass --force to replace it, or choose another --out directory.', 'E_PROFILE_EXISTS');
  }
  const raw = readDynamoRawData(options.sources);
  const files = [raw.prefill?.file, raw.decode?.file].filter((file): file is string => file !== undefined);
  const points = pointsFromDynamo({prefill: raw.prefill?.data, decode: raw.decode?.data});
  const engine: EngineFacts = {
    model: options.model ?? null,
    backend: 'vllm',
    backendVersion: null,
    accelerator: options.accelerator ?? null,
    tp: options.tp ?? null,
    pp: null,
    dp: null,
    gpusPerEngine: options.gpusPerEngine ?? (raw.prefill ? gpusPerEngineFromPrefill(raw.prefill.data) : null),
    role: null,
    maxNumSeqs: null,
    maxNumBatchedTokens: null,
    kvCapacityTokens: raw.decode?.data.max_kv_tokens ?? null,
    maxModelLen: null,
  };
  const profile: Profile = {schemaVersion: 1, engine, tool: toolInfo(), source: {kind: 'dynamo-import', files}, points};
  return {
    profile: saveProfile(outDir, profile),
    files,
    engine,
    unknownEngineFields: (Object.keys(engine) as (keyof EngineFacts)[]).filter((field) => engine[field] === null),
    ...summarizePoints(points),
  };
}
