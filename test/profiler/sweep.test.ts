import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pointMeasurer} from '../../src/profiler/point-measurer.js';
import {pointKey, type PointSpec} from '../../src/profiler/points.js';
import {RawPointLog} from '../../src/profiler/raw-point-log.js';
import {runSweep, type SweepProgress} from '../../src/profiler/sweep.js';
import {repoRoot} from '../helpers/cli.js';
import {type LiveEngine, startLiveEngine} from './live-engine.js';

let engine: LiveEngine;
beforeAll(async () => {
  engine = await startLiveEngine();
});
afterAll(async () => {
  await engine.close();
});

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'profiler-sweep-')), 'profile');
const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') : []);
const plan: PointSpec[] = [
  {kind: 'decode', concurrency: 1, context: 256},
  {kind: 'prefill', isl: 128},
  {kind: 'prefill', isl: 256},
  {kind: 'decode', concurrency: 2, context: 256},
  {kind: 'prefill', isl: 512},
];
const planKeys = plan.map(pointKey);
// A resumed sweep uses a new seed: the engine may have cached the prompts of the point the interruption abandoned.
const measureWith = (seed: number) => pointMeasurer({client: engine.client, builder: engine.builder, seed, prefill: {samples: 1, warmup: 0}, decode: {osl: 32}});

describe('sweep against a live engine', () => {
  it('measures prefill points then decode points, logging each line as its point completes', async () => {
    const log = new RawPointLog(freshDir(), 'tp1');
    const seen: SweepProgress[] = [];
    const linesAtStart: number[] = [];
    const points = await runSweep({
      plan, log, measure: measureWith(1), onProgress: (progress) => {
        seen.push(progress);
        linesAtStart.push(lines(log.path).length);
      },
    });
    log.close();
    expect(seen.map((progress) => [progress.phase, progress.index, progress.total, progress.key])).toEqual([
      ['prefill', 0, 5, 'prefill:isl=128'], ['prefill', 1, 5, 'prefill:isl=256'], ['prefill', 2, 5, 'prefill:isl=512'],
      ['decode', 3, 5, 'decode:n=1,ctx=256'], ['decode', 4, 5, 'decode:n=2,ctx=256'],
    ]);
    expect(seen[0]!.etaS).toBeUndefined();
    expect(seen[1]!.etaS).toBeGreaterThanOrEqual(0);
    expect(linesAtStart).toEqual([0, 1, 2, 3, 4]);
    expect(lines(log.path)).toHaveLength(5);
    expect(points.map((line) => line.key)).toEqual(['prefill:isl=128', 'prefill:isl=256', 'prefill:isl=512', 'decode:n=1,ctx=256', 'decode:n=2,ctx=256']);
    expect(points.every((line) => line.point.error === null)).toBe(true);
  });

  it('abandons the point in progress on abort, and a resumed sweep measures only the missing points', async () => {
    const dir = freshDir();
    const controller = new AbortController();
    const first = new RawPointLog(dir, 'tp1');
    const interrupted = runSweep({
      plan, log: first, measure: measureWith(2), signal: controller.signal, onProgress: ({key}) => {
        if (key === 'decode:n=1,ctx=256') setTimeout(() => controller.abort(), 30);
      },
    });
    await expect(interrupted).rejects.toMatchObject({code: 'E_INTERRUPTED', hint: expect.stringMatching(/--resume/)});
    first.close();
    expect(lines(first.path).map((line) => (JSON.parse(line) as {key: string}).key)).toEqual(['prefill:isl=128', 'prefill:isl=256', 'prefill:isl=512']);

    const resumed = new RawPointLog(dir, 'tp1');
    const measured: string[] = [];
    await runSweep({plan, log: resumed, measure: measureWith(3), onProgress: ({key}) => measured.push(key)});
    resumed.close();
    expect(measured).toEqual(['decode:n=1,ctx=256', 'decode:n=2,ctx=256']);
    expect(lines(resumed.path)).toHaveLength(plan.length);
    expect(resumed.points().map((line) => line.key).toSorted()).toEqual(planKeys.toSorted());
  });

  it('loses at most the point in progress when the sweeping process is killed with SIGKILL', async () => {
    const dir = freshDir();
    const childPlan: PointSpec[] = [128, 256].map((isl) => ({kind: 'prefill', isl}) as const);
    childPlan.push(...[1, 2, 4, 8].map((concurrency) => ({kind: 'decode', concurrency, context: 512}) as const));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/profiler/sweep-child.ts', engine.url, dir, 'tp1', JSON.stringify(childPlan)], {cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const rawPath = join(dir, 'raw.jsonl');
    while (lines(rawPath).length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    const survived = lines(rawPath).length;
    expect(survived).toBeGreaterThanOrEqual(1);
    expect(survived).toBeLessThan(childPlan.length);

    const resumed = new RawPointLog(dir, 'tp1');
    const measured: string[] = [];
    await runSweep({plan: childPlan, log: resumed, measure: measureWith(4), onProgress: ({key}) => measured.push(key)});
    resumed.close();
    expect(measured).toHaveLength(childPlan.length - survived);
    const keys = lines(rawPath).map((line) => (JSON.parse(line) as {key: string}).key);
    expect(keys.toSorted()).toEqual(childPlan.map(pointKey).toSorted());
  });
});
