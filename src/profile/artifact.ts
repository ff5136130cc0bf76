import {existsSync} from 'node:fs';
import {join, resolve} from 'node:path';
import type {DecodePoint, FittedModel, PrefillPoint} from '../fit/types.js';
import {readValidatedFile, validateWith} from '../schema/validator.js';
import {writeFileAtomic} from '../util/files.js';

// The profile artifact DIR/profile.json (schemas/profile.schema.json): what one engine configuration measured,
// the engine it ran on, and the fits made to it. These types mirror the schema.

export const PROFILE_FILE = 'profile.json';
export const PROFILE_SCHEMA = 'profile.schema.json';
const POINT_SET_SCHEMA = `${PROFILE_SCHEMA}#/definitions/pointSet`;

export type EngineRole = 'agg' | 'prefill' | 'decode';

/** The engine the points were measured on; null where not known (see the schema for what an import knows). */
export interface EngineFacts {
  model: string | null;
  backend: 'vllm';
  backendVersion: string | null;
  accelerator: string | null;
  tp: number | null;
  pp: number | null;
  dp: number | null;
  gpusPerEngine: number | null;
  role: EngineRole | null;
  maxNumSeqs: number | null;
  maxNumBatchedTokens: number | null;
  kvCapacityTokens: number | null;
  maxModelLen: number | null;
}

export interface ToolInfo {
  name: string;
  version: string;
  createdAt: string;
}

export type ProfileSource = {kind: 'dynamo-plan'} | {kind: 'dynamo-import'; files: string[]};

export interface ProfilePrefillPoint extends PrefillPoint {
  samples?: number;
}

export interface ProfileDecodePoint extends DecodePoint {
  kvUsage?: number;
  tokensPerSecondPerGpu?: number;
}

export interface PointSet {
  prefill: ProfilePrefillPoint[];
  decode: ProfileDecodePoint[];
}

export interface RawPointsFile {
  rawFile: string;
}

export interface Profile {
  schemaVersion: 1;
  engine: EngineFacts;
  tool: ToolInfo;
  source: ProfileSource;
  points: PointSet | RawPointsFile;
  fits?: {prefill?: FittedModel; decode?: FittedModel};
}

export function profilePath(dir: string): string {
  return join(dir, PROFILE_FILE);
}

export function profileExists(dir: string): boolean {
  return existsSync(profilePath(dir));
}

/** Read and validate DIR/profile.json; a bad file is bad input (exit 3) naming the JSON pointer of the problem. */
export function loadProfile(dir: string): Profile {
  return readValidatedFile<Profile>(profilePath(dir), PROFILE_SCHEMA);
}

/** Validate, then write DIR/profile.json atomically; returns its path. An invalid profile is never written. */
export function saveProfile(dir: string, profile: Profile): string {
  const path = profilePath(dir);
  validateWith<Profile>(PROFILE_SCHEMA, profile, path);
  writeFileAtomic(path, `${JSON.stringify(profile, null, 2)}\n`);
  return path;
}

/** The profile's points, read from its raw file (relative to DIR) when they are not inline. */
export function profilePoints(dir: string, profile: Profile): PointSet {
  if (!('rawFile' in profile.points)) return profile.points;
  return readValidatedFile<PointSet>(resolve(dir, profile.points.rawFile), POINT_SET_SCHEMA);
}
