import {describe, expect, it} from 'vitest';
import {VirtualClock} from '../../../src/sim/clock/index.js';

describe('VirtualClock', () => {
  it('runs events in time order, ties in scheduling order, advancing now()', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const log = (name: string) => () => seen.push(`${name}@${clock.now()}`);
    clock.schedule(3, log('c'));
    clock.schedule(1, log('a1'));
    clock.schedule(2, log('b'));
    clock.schedule(1, log('a2'));
    for (let i = 0; i < 50; i++) clock.schedule(10 + ((i * 7) % 13), () => seen.push(`x${clock.now()}`));

    expect(clock.run()).toBe(54);
    expect(seen.slice(0, 4)).toEqual(['a1@1', 'a2@1', 'b@2', 'c@3']);
    const later = seen.slice(4).map((entry) => Number(entry.slice(1)));
    expect(later).toEqual([...later].sort((x, y) => x - y));
    expect(clock.now()).toBe(22);
  });

  it('skips cancelled events', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const handle = clock.schedule(1, () => seen.push(1));
    clock.schedule(2, () => seen.push(2));
    clock.cancel(handle);
    clock.cancel(handle);

    expect(clock.pending).toBe(1);
    expect(clock.run()).toBe(1);
    expect(seen).toEqual([2]);
  });

  it('runs events scheduled by events, and runs past-due events now rather than back in time', () => {
    const clock = new VirtualClock(5);
    const seen: number[] = [];
    clock.schedule(6, () => {
      clock.schedule(1, () => seen.push(clock.now()));
      clock.schedule(6.5, () => seen.push(clock.now()));
    });
    clock.run();

    expect(seen).toEqual([6, 6.5]);
  });

  it('runUntil stops at the limit and moves the clock to it', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    for (const t of [1, 2, 3]) clock.schedule(t, () => seen.push(t));

    expect(clock.runUntil(2)).toBe(2);
    expect(clock.now()).toBe(2);
    clock.runUntil(2.5);
    expect(clock.now()).toBe(2.5);
    expect(seen).toEqual([1, 2]);
    expect(clock.pending).toBe(1);
  });

  it('rejects times that would corrupt the queue', () => {
    const clock = new VirtualClock();
    expect(() => clock.schedule(Number.NaN, () => {})).toThrow(RangeError);
  });
});
