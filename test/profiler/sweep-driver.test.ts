import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {interrupted} from '../../src/errors/errors.js';
import type {MeasuredPoint, PointSpec} from '../../src/profiler/points.js';
import {RawPointLog} from '../../src/profiler/raw-point-log.js';
import {runSweep} from '../../src/profiler/sweep.js';

const freshLog = () => new RawPointLog(join(mkdtempSync(join(tmpdir(), 'profiler-driver-')), 'profile'), 'tp1');
const prefill = (isl: number): MeasuredPoint => ({kind: 'prefill', isl, osl: 5, ttftMs: [isl / 100], medianMs: isl / 100, error: null});
const plan: PointSpec[] = [{kind: 'prefill', isl: 100}, {kind: 'prefill', isl: 200}, {kind: 'prefill', isl: 100}];

describe('sweep driver', () => {
  it('measures a key planned twice once', async () => {
    const log = freshLog();
    const measured: PointSpec[] = [];
    const measure = async (spec: PointSpec) => {
      measured.push(spec);
      return prefill(spec.kind === 'prefill' ? spec.isl : 0);
    };
    await runSweep({plan, log, measure});
    expect(measured).toEqual(plan.slice(0, 2));
  });

  it('logs a point that completes after the abort, then stops before the next', async () => {
    const log = freshLog();
    const controller = new AbortController();
    const measure = async (spec: PointSpec) => {
      controller.abort();
      return prefill(spec.kind === 'prefill' ? spec.isl : 0);
    };
    await expect(runSweep({plan, log, measure, signal: controller.signal})).rejects.toMatchObject({code: 'E_INTERRUPTED', message: expect.stringMatching(/1 of 2 points/)});
    expect(log.points().map((line) => line.key)).toEqual(['prefill:isl=100']);
  });

  it('logs nothing for a point the abort abandoned, and passes other errors through', async () => {
    const log = freshLog();
    const controller = new AbortController();
    const abandon = async () => {
      controller.abort();
      throw interrupted();
    };
    await expect(runSweep({plan, log, measure: abandon, signal: controller.signal})).rejects.toMatchObject({code: 'E_INTERRUPTED'});
    expect(log.points()).toEqual([]);
    await expect(runSweep({plan, log, measure: () => Promise.reject(new Error('engine gone'))})).rejects.toThrow('engine gone');
  });
});
