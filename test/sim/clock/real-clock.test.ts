import {describe, expect, it} from 'vitest';
import {RealClock} from '../../../src/sim/clock/index.js';

// Wall-clock tests assert order and that timers fire, never how punctually: CI machines are noisy.
describe('RealClock', () => {
  it('fires timers in due order, never early, and never inside schedule()', async () => {
    const clock = new RealClock();
    const start = clock.now();
    const fired: {name: string; lateBy: number}[] = [];
    const done = new Promise<void>((resolve) => {
      const at = (offsetS: number, name: string) =>
        clock.schedule(start + offsetS, () => {
          fired.push({name, lateBy: clock.now() - (start + offsetS)});
          if (fired.length === 4) resolve();
        });
      at(0.03, 'third');
      at(0.0005, 'first');
      at(0.012, 'second');
      at(-1, 'past');
      expect(fired).toEqual([]);
    });
    await done;

    expect(fired.map((entry) => entry.name)).toEqual(['past', 'first', 'second', 'third']);
    for (const entry of fired) expect(entry.lateBy).toBeGreaterThanOrEqual(0);
  });

  it('cancel and close stop timers from firing', async () => {
    const clock = new RealClock();
    const fired: string[] = [];
    const cancelled = clock.schedule(clock.now() + 0.005, () => fired.push('cancelled'));
    clock.schedule(clock.now() + 0.02, () => fired.push('closed'));
    clock.schedule(clock.now(), () => fired.push('immediate'));
    clock.cancel(cancelled);
    await new Promise((resolve) => setTimeout(resolve, 10));
    clock.close();
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(fired).toEqual(['immediate']);
    expect(clock.pending).toBe(0);
  });

  it('reads seconds on an absolute time line, so an engine thread and the HTTP thread agree', () => {
    const clock = new RealClock();
    const a = clock.now();
    const b = clock.now();
    expect(b).toBeGreaterThanOrEqual(a);
    // seconds since the epoch (not milliseconds, not since this thread started)
    expect(Math.abs(a - Date.now() / 1000)).toBeLessThan(1);
  });
});
