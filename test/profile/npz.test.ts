import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../src/errors/errors.js';
import {decodeNpy, encodeNpy, type NdArray} from '../../src/profile/npy.js';
import {formatNpz, type NpzArrays, parseNpz, readNpz, writeNpz} from '../../src/profile/npz.js';
import {readZip} from '../../src/profile/zip-reader.js';
import {thrown} from '../loadgen/thrown.js';
import {fixtureDecodeJson, fixtureDecodeNpz, fixturePrefillJson, fixturePrefillNpz, freshDir, readJson} from './fixture.js';

const arrays: NpzArrays = {
  doubles: {dtype: '<f8', shape: [5], data: [0, -1.5, Math.PI, 1e300, Number.MIN_VALUE]},
  integers: {dtype: '<i8', shape: [4], data: [0, -7, 945029, Number.MAX_SAFE_INTEGER]},
  singles: {dtype: '<f4', shape: [2, 3], data: [1, 2, 3, 0.5, -0.25, 1024]},
  scalar: {dtype: '<i8', shape: [], data: [42]},
  empty: {dtype: '<f8', shape: [0], data: []},
};

describe('reading the real Dynamo NPZs', () => {
  it.each([
    ['prefill', fixturePrefillNpz, fixturePrefillJson],
    ['decode', fixtureDecodeNpz, fixtureDecodeJson],
  ])('%s raw_data.npz holds exactly the arrays of its ConfigMap JSON', (_kind, npzPath, jsonPath) => {
    const npz = readNpz(npzPath);
    const json = readJson(jsonPath);
    expect(Object.keys(npz)).toEqual(Object.keys(json));
    for (const [name, value] of Object.entries(json)) {
      // The JSON form turns the one-element max_kv_tokens array into a scalar.
      expect(npz[name]!.data).toEqual(Array.isArray(value) ? value : [value]);
    }
  });

  it('mirrors Dynamo dtypes and shapes: int64 prompt lengths and max_kv_tokens of shape [1], float64 elsewhere', () => {
    const prefill = readNpz(fixturePrefillNpz);
    const decode = readNpz(fixtureDecodeNpz);
    expect(prefill.prefill_isl).toMatchObject({dtype: '<i8', shape: [17]});
    expect(prefill.prefill_ttft).toMatchObject({dtype: '<f8', shape: [17]});
    expect(decode.x_kv_usage).toMatchObject({dtype: '<f8', shape: [41]});
    expect(decode.max_kv_tokens).toEqual({dtype: '<i8', shape: [1], data: [945029]});
  });

  it('encodes each array byte for byte as numpy did', () => {
    for (const path of [fixturePrefillNpz, fixtureDecodeNpz]) {
      const decoded = readNpz(path);
      for (const entry of readZip(readFileSync(path), path)) {
        expect(encodeNpy(decoded[entry.name.replace(/\.npy$/, '')]!).equals(entry.data)).toBe(true);
      }
    }
  });
});

describe('npy', () => {
  it('reads version 2.0 headers (4-byte header length)', () => {
    const v1 = encodeNpy(arrays.doubles!);
    const headerLength = v1.readUInt16LE(8);
    const v2 = Buffer.concat([Buffer.from('\x93NUMPY\x02\x00', 'latin1'), Buffer.alloc(4), v1.subarray(10, 10 + headerLength), v1.subarray(10 + headerLength)]);
    v2.writeUInt32LE(headerLength, 8);
    expect(decodeNpy(v2, 'v2.npy')).toEqual(arrays.doubles);
  });

  it('rejects big-endian, Fortran-ordered and short arrays as bad input naming the array', () => {
    const header = (dict: string) => {
      const text = `${dict}\n`;
      const prefix = Buffer.from('\x93NUMPY\x01\x00\x00\x00', 'latin1');
      prefix.writeUInt16LE(text.length, 8);
      return Buffer.concat([prefix, Buffer.from(text, 'latin1')]);
    };
    const cases: [Buffer, RegExp][] = [
      [header("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }"), /element type >f8/],
      [header("{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }"), /Fortran-ordered/],
      [header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"), /holds 0 data bytes, shape \(3,\) needs 24/],
      [Buffer.from('not numpy'), /no NUMPY magic/],
    ];
    for (const [bytes, message] of cases) {
      const error = thrown(() => decodeNpy(bytes, 'f.npz:x.npy'));
      expect(error).toBeInstanceOf(DynamoPlanError);
      expect((error as Error).message).toMatch(/^f\.npz:x\.npy is not a readable \.npy array/);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('npz round trip', () => {
  it.each([false, true])('write then read gives the same arrays (compress: %s)', (compress) => {
    const path = join(freshDir(), 'arrays.npz');
    writeNpz(path, arrays, {compress});
    expect(readNpz(path)).toEqual(arrays);
  });

  it('reads deflated entries (np.savez_compressed) of the real fixture', () => {
    const original = readNpz(fixtureDecodeNpz);
    expect(parseNpz(formatNpz(original, {compress: true}), 'compressed.npz')).toEqual(original);
  });
});

const numpy = spawnSync('python3', ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0;

// The one check that needs NumPy itself; skipped only where python3 or numpy is not installed.
describe.skipIf(!numpy)('numpy reads what we write (python3 + numpy)', () => {
  it.each([false, true])('np.load gives the same arrays, dtypes and shapes (compress: %s)', (compress) => {
    const dir = freshDir();
    const path = join(dir, 'arrays.npz');
    writeNpz(path, arrays, {compress});
    const script = [
      'import json, sys, numpy as np',
      'd = np.load(sys.argv[1])',
      'print(json.dumps({k: {"dtype": d[k].dtype.str, "shape": list(d[k].shape), "data": d[k].ravel().tolist()} for k in d.files}))',
    ].join('\n');
    writeFileSync(join(dir, 'load.py'), script);
    const result = spawnSync('python3', [join(dir, 'load.py'), path], {encoding: 'utf8'});
    expect(result.stderr).toBe('');
    const loaded = JSON.parse(result.stdout) as Record<string, NdArray>;
    // float32 values here are exact in single precision, so JSON comparison is exact too.
    expect(loaded).toEqual(arrays);
  });
});
