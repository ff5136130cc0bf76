import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DiagnosticsRecorder, type PlannerSnapshot, reportFileName} from '../../../src/planner/telemetry/index.js';
import {bareSnapshots, fullSnapshots} from './snapshots.js';
import {fact} from './report-html.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-planner-report-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

// 0.01 h = 36 s of tick time; ticks every 5 s. Boundaries at start + 36, 72, 108, 144: the ticks that reach them are
// the ones at +40, +75, +110 and +145 s (ticks 8, 15, 22 and 29), and each closes its window.
const INTERVAL_HOURS = 0.01;
const CLOSING_TICKS = [8, 15, 22, 29];

function replay(recorder: DiagnosticsRecorder, snapshots: PlannerSnapshot[]): {tick: number; path: string}[] {
  return snapshots.flatMap((snapshot, tick) => {
    const path = recorder.record(snapshot);
    return path ? [{tick, path}] : [];
  });
}

describe('DiagnosticsRecorder', () => {
  it.each([
    ['replay (virtual time from 0)', 0, ['19700101_000040_001', '19700101_000115_002', '19700101_000150_003', '19700101_000225_004']],
    ['live (Unix time)', 1_700_000_000, ['20231114_221400_001', '20231114_221435_002', '20231114_221510_003', '20231114_221545_004']],
  ])('writes a report at each interval boundary of tick time: %s', (_, start, stamps) => {
    const dir = freshDir();
    const recorder = new DiagnosticsRecorder({reports: {dir, intervalHours: INTERVAL_HOURS}});
    const written = replay(recorder, fullSnapshots(30, start));

    expect(written.map(({tick}) => tick)).toEqual(CLOSING_TICKS);
    expect(written.map(({path}) => basename(path))).toEqual(stamps.map((stamp) => `planner_report_${stamp}.html`));
    expect(readdirSync(dir).sort()).toEqual(written.map(({path}) => basename(path)));
    // Window sizes: ticks 0-8, 9-15, 16-22, 23-29.
    expect(written.map(({path}) => fact(readFileSync(path, 'utf8'), 'Ticks'))).toEqual(['9', '7', '7', '7']);
    expect(recorder.snapshots).toHaveLength(0);
    expect(recorder.flush()).toBeUndefined();
  });

  it('closes one window when a tick jumps over several boundaries, then keeps the boundary grid', () => {
    const dir = freshDir();
    const recorder = new DiagnosticsRecorder({reports: {dir, intervalHours: 1}});
    const at = (now_s: number) => recorder.record({now_s});
    expect(at(0)).toBeUndefined();
    expect(at(3599)).toBeUndefined();
    expect(basename(at(3 * 3600 + 10)!)).toBe('planner_report_19700101_030010_001.html');
    // Next boundary is 4 h, not 3 h 10 s + 1 h.
    expect(at(4 * 3600 - 1)).toBeUndefined();
    expect(basename(at(4 * 3600)!)).toBe('planner_report_19700101_040000_002.html');
  });

  it('accumulates GPU-hours over tick time as sum(P*gpu_p + D*gpu_d)*dt/3600, and counts scaling events', () => {
    const dir = freshDir();
    const recorder = new DiagnosticsRecorder({reports: {dir}});
    const ticks: PlannerSnapshot[] = [
      // The first tick has no interval behind it: 0 GPU-hours. Asking for the current target is no event.
      {now_s: 0, replicas: {ready: {prefill: 2, decode: 1}, target: {prefill: 2, decode: 2}}, gpus_per_engine: {prefill: 1, decode: 2}, scale_to: {decode: 2}},
      // 2 prefill x 1 GPU + 2 decode x 2 GPUs = 6 GPUs for 0.5 h = 3. Prefill 2 -> 1: an event.
      {now_s: 1800, replicas: {ready: {prefill: 2, decode: 2}, target: {prefill: 2, decode: 2}}, gpus_per_engine: {prefill: 1, decode: 2}, scale_to: {prefill: 1}},
      // A prefill engine still draining (ready 2, target 1) holds its GPU: 6 GPUs for 0.5 h = 3. Decode 2 -> 3: an event.
      {now_s: 3600, replicas: {ready: {prefill: 2, decode: 2}, target: {prefill: 1, decode: 2}}, gpus_per_engine: {prefill: 1, decode: 2}, scale_to: {prefill: null, decode: 3}},
      // GPUs per engine unknown: 1 each, 1 + 3 = 4 GPUs for 0.5 h = 2.
      {now_s: 5400, replicas: {ready: {prefill: 1, decode: 3}, target: {prefill: 1, decode: 3}}},
    ];
    for (const tick of ticks) recorder.record(tick);

    expect(recorder.gpuHours).toBeCloseTo(8, 12);
    expect(recorder.scalingEvents).toBe(2);
    const path = recorder.flush()!;
    expect(basename(path)).toBe(reportFileName(5400, 1));
    const html = readFileSync(path, 'utf8');
    expect(fact(html, 'GPU-hours')).toBe('8.00');
    expect(fact(html, 'Scaling events')).toBe('2');
    expect(fact(html, 'Ticks')).toBe('4');
    expect(fact(html, 'Time range')).toBe('1970-01-01 00:00:00 UTC to 1970-01-01 01:30:00 UTC');
  });

  it('keeps GPU-hours running across windows while each report counts its own', () => {
    const dir = freshDir();
    const recorder = new DiagnosticsRecorder({reports: {dir, intervalHours: 1}});
    const tick = (now_s: number) => recorder.record({now_s, replicas: {ready: {prefill: 1, decode: 1}}});
    tick(0);
    const first = tick(3600)!; // 2 GPUs x 1 h
    tick(5400); // + 2 x 0.5 h
    const second = recorder.flush()!;
    expect(fact(readFileSync(first, 'utf8'), 'GPU-hours')).toBe('2.00');
    expect(fact(readFileSync(second, 'utf8'), 'GPU-hours')).toBe('1.00');
    expect(fact(readFileSync(second, 'utf8'), 'GPU-hours since the planner started')).toBe('3.00');
  });

  it('keeps at most maxSnapshots ticks, the newest', () => {
    const recorder = new DiagnosticsRecorder({maxSnapshots: 10});
    for (const snapshot of bareSnapshots(25)) recorder.record(snapshot);
    expect(recorder.snapshots.map((s) => s.now_s)).toEqual(bareSnapshots(25).slice(15).map((s) => s.now_s));
  });

  it('writes nothing without a report directory, but still renders for the dashboard', () => {
    const recorder = new DiagnosticsRecorder({reports: undefined});
    expect(recorder.renderHtml()).toBeUndefined();
    recorder.record({now_s: 10});
    expect(recorder.flush()).toBeUndefined();
    expect(fact(recorder.renderHtml()!, 'Ticks')).toBe('1');
    expect(recorder.snapshots).toHaveLength(1);
  });
});
