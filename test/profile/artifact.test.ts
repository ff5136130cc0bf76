import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../src/errors/errors.js';
import {loadProfile, type PointSet, type Profile, profilePoints, saveProfile} from '../../src/profile/artifact.js';
import {toolInfo} from '../../src/profile/tool-info.js';
import {thrown} from '../loadgen/thrown.js';
import {freshDir} from './fixture.js';

const points: PointSet = {
  prefill: [{isl: 128, ttftMs: 21.5, samples: 3}, {isl: 4096, ttftMs: 90.25}],
  decode: [{concurrency: 8, context: 1250, itlMs: 7.5, kvUsage: 0.01, tokensPerSecondPerGpu: 1066.7}, {concurrency: 64, context: 1250, itlMs: 11}],
};

function measuredProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    schemaVersion: 1,
    engine: {
      model: 'nvidia/Llama-3.1-8B-Instruct-FP8', backend: 'vllm', backendVersion: '0.11.0', accelerator: 'h200_sxm',
      tp: 1, pp: 1, dp: 1, gpusPerEngine: 1, role: 'agg', maxNumSeqs: 1024, maxNumBatchedTokens: 8192,
      kvCapacityTokens: 945029, maxModelLen: 131072,
    },
    tool: toolInfo(new Date('2026-01-02T03:04:05Z')),
    source: {kind: 'dynamo-plan'},
    points,
    fits: {
      prefill: {form: 'ttft-linear', features: ['1', 'isl'], coefficients: [20, 0.017], quality: {r2: 0.99, mape: 1, maxApe: 2, cvMape: 1.5, cvMaxApe: 3, points: 2}},
    },
    ...overrides,
  };
}

describe('profile artifact', () => {
  it('saves and loads a profile unchanged, atomically (no temporary file left behind)', () => {
    const dir = join(freshDir(), 'nested', 'profile');
    const profile = measuredProfile();
    expect(saveProfile(dir, profile)).toBe(join(dir, 'profile.json'));
    expect(loadProfile(dir)).toEqual(profile);
    expect(readdirSync(dir)).toEqual(['profile.json']);
    expect(profile.tool).toMatchObject({name: 'dynamo-plan', createdAt: '2026-01-02T03:04:05.000Z'});
  });

  it('replaces an existing profile', () => {
    const dir = freshDir();
    saveProfile(dir, measuredProfile());
    saveProfile(dir, measuredProfile({fits: {}}));
    expect(loadProfile(dir).fits).toEqual({});
  });

  it('names the JSON pointer of a malformed field, exit 3', () => {
    const dir = freshDir();
    const profile = JSON.parse(JSON.stringify(measuredProfile())) as {engine: {tp: unknown}};
    profile.engine.tp = 'one';
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
    const error = thrown(() => loadProfile(dir)) as DynamoPlanError;
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.code).toBe('E_SCHEMA_INVALID');
    expect(error.message).toContain(`${join(dir, 'profile.json')}: /engine/tp `);
    expect(error.hint).toMatch(/profile\.schema\.json/);
  });

  it('names the pointer inside a point and inside a fit', () => {
    const dir = freshDir();
    const badPoint = JSON.parse(JSON.stringify(measuredProfile())) as {points: {decode: {itlMs: unknown}[]}};
    badPoint.points.decode[1]!.itlMs = -1;
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(badPoint));
    expect((thrown(() => loadProfile(dir)) as Error).message).toContain('/points/decode/1/itlMs must be > 0');

    const badFit = JSON.parse(JSON.stringify(measuredProfile())) as {fits: {prefill: {quality: {r2: unknown}}}};
    badFit.fits.prefill.quality.r2 = 'high';
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(badFit));
    expect((thrown(() => loadProfile(dir)) as Error).message).toContain('/fits/prefill/quality/r2 must be number');
  });

  it('refuses to write an invalid profile, leaving the old one', () => {
    const dir = freshDir();
    saveProfile(dir, measuredProfile());
    const before = readFileSync(join(dir, 'profile.json'), 'utf8');
    const error = thrown(() => saveProfile(dir, measuredProfile({schemaVersion: 2 as 1}))) as DynamoPlanError;
    expect(error.message).toMatch(/\/schemaVersion must be equal to constant/);
    expect(readFileSync(join(dir, 'profile.json'), 'utf8')).toBe(before);
  });

  it('reads points from a raw file next to profile.json, and validates it too', () => {
    const dir = freshDir();
    const profile = measuredProfile({points: {rawFile: 'points.json'}});
    saveProfile(dir, profile);
    writeFileSync(join(dir, 'points.json'), JSON.stringify(points));
    expect(profilePoints(dir, loadProfile(dir))).toEqual(points);

    writeFileSync(join(dir, 'points.json'), JSON.stringify({prefill: [{isl: 0, ttftMs: 1}], decode: []}));
    const error = thrown(() => profilePoints(dir, profile)) as DynamoPlanError;
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.message).toContain('points.json: /prefill/0/isl must be >= 1');
  });

  it('accepts an import whose engine facts are unknown', () => {
    const dir = freshDir();
    const engine = {...measuredProfile().engine, model: null, accelerator: null, tp: null, pp: null, dp: null, role: null, backendVersion: null, maxNumSeqs: null, maxNumBatchedTokens: null, maxModelLen: null};
    const profile = measuredProfile({engine, source: {kind: 'dynamo-import', files: ['/data/decode_raw_data.json']}});
    delete profile.fits;
    saveProfile(dir, profile);
    expect(loadProfile(dir)).toEqual(profile);
    expect(thrown(() => saveProfile(dir, {...profile, source: {kind: 'dynamo-import'} as Profile['source']}))).toBeInstanceOf(DynamoPlanError);
  });
});
