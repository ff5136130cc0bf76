import {copyFileSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../src/errors/errors.js';
import {loadProfile, profilePoints} from '../../src/profile/artifact.js';
import {readDynamoRawData} from '../../src/profile/dynamo-files.js';
import {exportDynamoProfile} from '../../src/profile/dynamo.js';
import {importDynamoProfile} from '../../src/profile/import-dynamo.js';
import {readNpz} from '../../src/profile/npz.js';
import {readZip} from '../../src/profile/zip-reader.js';
import {thrown} from '../loadgen/thrown.js';
import {dynamoFixtureDir, fixtureConcurrencies, fixtureDecodeJson, fixtureDecodeNpz, fixturePrefillJson, fixturePrefillNpz, freshDir, readJson} from './fixture.js';

const prefillJson = readJson<{prefill_isl: number[]; prefill_ttft: number[]; prefill_thpt_per_gpu: number[]}>(fixturePrefillJson);
const decodeJson = readJson<{x_kv_usage: number[]; y_context_length: number[]; z_itl: number[]; z_thpt_per_gpu: number[]; max_kv_tokens: number}>(fixtureDecodeJson);

describe('importing the real Dynamo profile', () => {
  it('from its directory: the NPZs, 17 prefill and 41 decode points with the right batch sizes', () => {
    const out = freshDir();
    const result = importDynamoProfile({sources: [dynamoFixtureDir], outDir: out});
    expect(result.files).toEqual([fixturePrefillNpz, fixtureDecodeNpz]);
    const profile = loadProfile(out);
    const points = profilePoints(out, profile);
    expect(points.prefill).toHaveLength(17);
    expect(points.decode).toHaveLength(41);
    expect(points.prefill.map((point) => point.isl)).toEqual(prefillJson.prefill_isl);
    expect(points.prefill.map((point) => point.ttftMs)).toEqual(prefillJson.prefill_ttft);
    expect(points.decode.map((point) => point.concurrency)).toEqual(fixtureConcurrencies);
    expect(points.decode.map((point) => point.context)).toEqual(decodeJson.y_context_length);
    expect(points.decode.map((point) => point.itlMs)).toEqual(decodeJson.z_itl);
    expect(points.decode.map((point) => point.tokensPerSecondPerGpu)).toEqual(decodeJson.z_thpt_per_gpu);
    expect(profile.source).toEqual({kind: 'dynamo-import', files: [fixturePrefillNpz, fixtureDecodeNpz]});
    expect(profile.engine).toMatchObject({kvCapacityTokens: 945029, gpusPerEngine: 1, model: null, accelerator: null, tp: null, role: null, backend: 'vllm'});
    expect(result.unknownEngineFields).toEqual(['model', 'backendVersion', 'accelerator', 'tp', 'pp', 'dp', 'role', 'maxNumSeqs', 'maxNumBatchedTokens', 'maxModelLen']);
    expect(result.decode).toEqual({points: 41, context: {min: 350, max: 13585}, concurrency: {min: 1, max: 1573}});
    expect(result.prefill).toEqual({points: 17, isl: {min: 100, max: 16372}});
  });

  it('from the two ConfigMap JSON files gives the same points, and takes engine facts from options', () => {
    const fromNpz = freshDir();
    const fromJson = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: fromNpz});
    importDynamoProfile({sources: [fixtureDecodeJson, fixturePrefillJson], outDir: fromJson, model: 'nvidia/Llama-3.1-8B-Instruct-FP8', accelerator: 'h200_sxm', tp: 1, gpusPerEngine: 1});
    expect(loadProfile(fromJson).points).toEqual(loadProfile(fromNpz).points);
    expect(loadProfile(fromJson).engine).toMatchObject({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', accelerator: 'h200_sxm', tp: 1, gpusPerEngine: 1});
    expect(loadProfile(fromJson).source).toEqual({kind: 'dynamo-import', files: [fixturePrefillJson, fixtureDecodeJson]});
  });

  it('from a directory holding only the JSON files, a single file, or one interpolation folder', () => {
    const configMap = freshDir();
    copyFileSync(fixturePrefillJson, join(configMap, 'prefill_raw_data.json'));
    copyFileSync(fixtureDecodeJson, join(configMap, 'decode_raw_data.json'));
    const result = importDynamoProfile({sources: [configMap], outDir: freshDir()});
    expect([result.prefill.points, result.decode.points]).toEqual([17, 41]);

    const decodeOnly = importDynamoProfile({sources: [fixtureDecodeNpz], outDir: freshDir()});
    expect(decodeOnly.prefill).toEqual({points: 0, isl: null});
    expect(decodeOnly.engine.gpusPerEngine).toBeNull();

    const interpolationFolder = importDynamoProfile({sources: [join(dynamoFixtureDir, 'selected_prefill_interpolation')], outDir: freshDir()});
    expect(interpolationFolder.files).toEqual([fixturePrefillNpz]);
    expect(interpolationFolder.decode).toEqual({points: 0, context: null, concurrency: null});
  });

  it('refuses to overwrite a profile without force, and rejects two files of one kind', () => {
    const out = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: out});
    const exists = thrown(() => importDynamoProfile({sources: [dynamoFixtureDir], outDir: out})) as DynamoPlanError;
    expect(exists.code).toBe('E_PROFILE_EXISTS');
    expect(() => importDynamoProfile({sources: [dynamoFixtureDir], outDir: out, force: true})).not.toThrow();
    const twice = thrown(() => importDynamoProfile({sources: [fixturePrefillNpz, fixturePrefillJson], outDir: freshDir()})) as DynamoPlanError;
    expect(twice.message).toMatch(/Two prefill data files/);
  });

  it('rejects bad data as bad input naming the file and pointer, exit 3', () => {
    const dir = freshDir();
    const cases: [unknown, RegExp][] = [
      [{...decodeJson, z_itl: decodeJson.z_itl.slice(1)}, /the arrays differ in length \(x_kv_usage 41, y_context_length 41, z_itl 40/],
      [{...decodeJson, max_kv_tokens: 'lots'}, /decode_raw_data\.json: \/max_kv_tokens must be integer/],
      [{...prefillJson, prefill_ttft: undefined}, /: \/ must have required property 'prefill_ttft'/],
      [{...decodeJson, max_kv_tokens: 10}, /Dynamo decode point 0: .* not a batch of at least one sequence/],
      [{nothing: []}, /must have required property 'x_kv_usage'/],
    ];
    for (const [data, message] of cases) {
      writeFileSync(join(dir, 'decode_raw_data.json'), JSON.stringify(data));
      const error = thrown(() => importDynamoProfile({sources: [join(dir, 'decode_raw_data.json')], outDir: freshDir()})) as DynamoPlanError;
      expect(error).toBeInstanceOf(DynamoPlanError);
      expect(error.exitCode).toBe(ExitCode.badInput);
      expect(error.message).toMatch(message);
    }
    expect((thrown(() => readDynamoRawData([freshDir()])) as DynamoPlanError).code).toBe('E_DYNAMO_NOT_FOUND');
    expect((thrown(() => readDynamoRawData([join(dir, 'missing')])) as DynamoPlanError).exitCode).toBe(ExitCode.badInput);
  });
});

describe('exporting to Dynamo', () => {
  it('writes the NPZ and ConfigMap JSON forms, and re-importing them gives the same points', () => {
    const profileDir = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: profileDir});
    const profile = loadProfile(profileDir);
    const written = exportDynamoProfile(profileDir, profile);
    const exportDir = join(profileDir, 'dynamo');
    expect(written).toEqual([
      join(exportDir, 'selected_prefill_interpolation', 'raw_data.npz'),
      join(exportDir, 'prefill_raw_data.json'),
      join(exportDir, 'selected_decode_interpolation', 'raw_data.npz'),
      join(exportDir, 'decode_raw_data.json'),
    ]);

    for (const source of [[exportDir], [written[1]!, written[3]!]]) {
      const again = freshDir();
      importDynamoProfile({sources: source, outDir: again});
      expect(loadProfile(again).points).toEqual(profile.points);
      expect(loadProfile(again).engine).toEqual(profile.engine);
    }
  });

  it('reproduces the fixture: the decode NPZ byte for byte, the prefill arrays to the last bit of rounding', () => {
    const profileDir = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: profileDir});
    exportDynamoProfile(profileDir, loadProfile(profileDir));
    const entries = (path: string) => readZip(readFileSync(path), path).map((entry) => [entry.name, entry.data.toString('hex')]);
    expect(entries(join(profileDir, 'dynamo', 'selected_decode_interpolation', 'raw_data.npz'))).toEqual(entries(fixtureDecodeNpz));
    expect(readJson(join(profileDir, 'dynamo', 'decode_raw_data.json'))).toEqual(decodeJson);

    // Dynamo computed prefill_thpt_per_gpu in a different order of operations: equal to within one ulp.
    const prefill = readNpz(join(profileDir, 'dynamo', 'selected_prefill_interpolation', 'raw_data.npz'));
    expect(prefill.prefill_isl).toEqual({dtype: '<i8', shape: [17], data: prefillJson.prefill_isl});
    expect(prefill.prefill_ttft!.data).toEqual(prefillJson.prefill_ttft);
    prefill.prefill_thpt_per_gpu!.data.forEach((value, index) => expect(value).toBeCloseTo(prefillJson.prefill_thpt_per_gpu[index]!, 9));
  });

  it('computes what an own profile does not carry, and says which engine fact is missing', () => {
    const dir = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: dir, gpusPerEngine: 2});
    const profile = loadProfile(dir);
    const points = profilePoints(dir, profile);
    const ownPoints = {prefill: points.prefill, decode: points.decode.map(({concurrency, context, itlMs}) => ({concurrency, context, itlMs}))};
    exportDynamoProfile(dir, {...profile, points: ownPoints});
    const decode = readJson<typeof decodeJson>(join(dir, 'dynamo', 'decode_raw_data.json'));
    expect(decode.z_thpt_per_gpu[1]).toBeCloseTo((263 / decodeJson.z_itl[1]!) * 1000 / 2, 9);
    expect(decode.x_kv_usage).toEqual(decodeJson.x_kv_usage);
    const prefill = readJson<typeof prefillJson>(join(dir, 'dynamo', 'prefill_raw_data.json'));
    expect(prefill.prefill_thpt_per_gpu[0]).toBeCloseTo(prefillJson.prefill_thpt_per_gpu[0]! / 2, 6);

    const unknownGpus = {...profile, engine: {...profile.engine, gpusPerEngine: null}};
    const error = thrown(() => exportDynamoProfile(dir, unknownGpus)) as DynamoPlanError;
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.message).toMatch(/engine\.gpusPerEngine is unknown/);
  });
});
