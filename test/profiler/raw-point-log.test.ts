import {appendFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {MeasuredDecodePoint, MeasuredPrefillPoint} from '../../src/profiler/points.js';
import {RawPointLog, readRawPoints} from '../../src/profiler/raw-point-log.js';
import {thrown} from '../loadgen/thrown.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'profiler-raw-')), 'profile');
const prefill = (isl: number): MeasuredPrefillPoint => ({kind: 'prefill', isl, osl: 5, ttftMs: [10.5, 11, 12.25], medianMs: 11, error: null});
const decode: MeasuredDecodePoint = {
  kind: 'decode', concurrency: 8, context: 1024, osl: 128, promptTokens: 960, itlMs: 3.5, itlP50Ms: 3.49, itlP90Ms: 3.7,
  tokensPerSecond: 2280, gaps: 994, windowS: 0.44, error: null,
};

describe('raw.jsonl', () => {
  it('writes one schema-valid line per point as it is appended, and a new log loads them back per config', () => {
    const dir = freshDir();
    const log = new RawPointLog(dir, 'tp1');
    log.append('prefill:isl=256', prefill(256));
    expect(readFileSync(log.path, 'utf8').split('\n')).toHaveLength(2);
    log.append('decode:n=8,ctx=1024', decode);
    const failed: MeasuredPrefillPoint = {...prefill(8192), ttftMs: [], medianMs: null, error: {kind: 'http_4xx', message: 'HTTP 400: too long'}};
    log.append('prefill:isl=8192', failed);
    log.close();
    const other = new RawPointLog(dir, 'tp2');
    other.append('prefill:isl=256', prefill(256));
    other.close();

    expect(readRawPoints(log.path).map((line) => `${line.config} ${line.key}`)).toEqual(['tp1 prefill:isl=256', 'tp1 decode:n=8,ctx=1024', 'tp1 prefill:isl=8192', 'tp2 prefill:isl=256']);
    const resumed = new RawPointLog(dir, 'tp1');
    expect(resumed.points().map((line) => line.key)).toEqual(['prefill:isl=256', 'decode:n=8,ctx=1024', 'prefill:isl=8192']);
    expect(resumed.has('prefill:isl=8192')).toBe(true);
    expect(resumed.has('prefill:isl=512')).toBe(false);
    expect(resumed.get('decode:n=8,ctx=1024')?.point).toEqual(decode);
    resumed.close();
  });

  it('ignores a last line cut short by a crash, and the next append replaces it', () => {
    const dir = freshDir();
    const log = new RawPointLog(dir, 'tp1');
    log.append('prefill:isl=256', prefill(256));
    log.close();
    const cut = JSON.stringify({config: 'tp1', key: 'prefill:isl=512', completedAt: new Date().toISOString(), point: prefill(512)});
    appendFileSync(log.path, cut.slice(0, 60));

    const resumed = new RawPointLog(dir, 'tp1');
    expect(resumed.has('prefill:isl=512')).toBe(false);
    resumed.append('prefill:isl=512', prefill(512));
    resumed.close();
    expect(readRawPoints(log.path).map((line) => line.key)).toEqual(['prefill:isl=256', 'prefill:isl=512']);
  });

  it('rejects a line that does not match the schema, naming the line', () => {
    const dir = freshDir();
    new RawPointLog(dir, 'tp1').close();
    const path = join(dir, 'raw.jsonl');
    writeFileSync(path, JSON.stringify({config: 'tp1', key: 'prefill:isl=256', completedAt: new Date().toISOString(), point: {...prefill(256), extra: 1}}) + '\n');
    expect(thrown(() => new RawPointLog(dir, 'tp1'))).toMatchObject({code: 'E_SCHEMA_INVALID', message: expect.stringMatching(/raw\.jsonl line 1/)});
  });
});
