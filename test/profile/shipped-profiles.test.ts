import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadProfile} from '../../src/profile/artifact.js';
import {predictFromProfile} from '../../src/profile/predict.js';
import {readRawPoints} from '../../src/profiler/raw-point-log.js';
import {packagePath} from '../../src/util/paths.js';

// Reference profiles shipped in profiles/engines/, made with `dynamo-plan profile` against the simulator.
const root = packagePath('profiles', 'engines');
const shipped = readdirSync(root);

describe('shipped reference profiles', () => {
  it('there are some', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(4);
  });

  it.each(shipped)('%s validates, has accurate fits, and its raw points match it', (name) => {
    const dir = join(root, name);
    const profile = loadProfile(dir);
    expect(profile.source.kind).toBe('dynamo-plan');
    expect(profile.fits?.prefill?.quality.cvMape).toBeLessThan(5);
    expect(profile.fits?.decode?.quality.cvMape).toBeLessThan(5);
    const points = 'rawFile' in profile.points ? undefined : profile.points;
    const raw = readRawPoints(join(dir, 'raw.jsonl')).filter((line) => line.point.error === null);
    expect(raw).toHaveLength(points!.prefill.length + points!.decode.length);
    const prediction = predictFromProfile(dir, {isl: 2048, concurrency: 16, context: 2048});
    expect(prediction.ttft_ms).toBeGreaterThan(0);
    expect(prediction.itl_ms).toBeGreaterThan(0);
  });
});
