import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadProfile} from '../../src/profile/artifact.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {dynamoFixtureDir, fixtureDecodeJson, fixturePrefillJson, freshDir} from './fixture.js';

// Runs the built CLI (dist/): `npm run build` first.

function expectValid(schema: string, value: unknown): void {
  const validate = schemaValidator(schema);
  expect(validate(value) ? [] : validate.errors).toEqual([]);
}

describe('dynamo-plan profile import', () => {
  it('--json returns the import result, valid against its output schema', async () => {
    const out = join(freshDir(), 'profile');
    const result = await runCli(['profile', 'import', fixturePrefillJson, fixtureDecodeJson, '--out', out, '--json', '--model', 'nvidia/Llama-3.1-8B-Instruct-FP8', '--gpu', 'h200_sxm', '--tp', '1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {profile: string; prefill: {points: number}; decode: {points: number}; unknownEngineFields: string[]};
    expectValid('output/profile-import.schema.json', output);
    expect(output.profile).toBe(join(out, 'profile.json'));
    expect([output.prefill.points, output.decode.points]).toEqual([17, 41]);
    expect(output.unknownEngineFields).not.toContain('model');
    expect(loadProfile(out).engine).toMatchObject({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', accelerator: 'h200_sxm', tp: 1, gpusPerEngine: 1});
  });

  it('prints a short summary, and refuses to replace a profile without --force (exit 3)', async () => {
    const out = freshDir();
    const first = await runCli(['profile', 'import', dynamoFixtureDir, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/prefill: 17 points, ISL 100-16372 tokens/);
    expect(first.stdout).toMatch(/decode: +41 points, context 350-13585 tokens, concurrency 1-1573/);
    expect(first.stdout).toMatch(/max_kv_tokens 945029, GPUs per engine 1/);
    expect(first.stdout).toMatch(/unknown \(not in Dynamo's files\): model, .*accelerator, tp/);

    const again = await runCli(['profile', 'import', dynamoFixtureDir, '--out', out, '--json']);
    expect(again.code).toBe(3);
    const error = JSON.parse(again.stdout) as {error: {code: string; hint: string}};
    expectValid('output/error.schema.json', error);
    expect(error.error.code).toBe('E_PROFILE_EXISTS');
    expect(error.error.hint).toMatch(/--force/);
    expect((await runCli(['profile', 'import', dynamoFixtureDir, '--out', out, '--force'])).code).toBe(0);
  });

  it('a source that is not a Dynamo profile is bad input, exit 3', async () => {
    const result = await runCli(['profile', 'import', freshDir(), '--out', freshDir()]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Error: .* holds no Dynamo profile data\.\nHint: Expected .*raw_data\.npz/);
  });
});
