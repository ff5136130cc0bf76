import type {Clock, TimerHandle} from '../types.js';

export class ClockTimer implements TimerHandle {
  constructor(
    readonly id: number,
    readonly at: number,
    /** Cleared when the timer runs or is cancelled: a cancelled timer stays queued and is skipped, so cancel is O(1). */
    public fn: (() => void) | undefined,
  ) {}
}

/** A binary min-heap of timers ordered by (time, id); ids grow with each schedule, so ties run first-scheduled first. */
export class TimerQueue {
  private readonly heap: ClockTimer[] = [];

  peek(): ClockTimer | undefined {
    return this.heap[0];
  }

  push(timer: ClockTimer): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(timer);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(timer, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = timer;
  }

  pop(): ClockTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    const length = heap.length;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(heap[right]!, heap[child]!)) child = right;
      if (!before(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}

function before(a: ClockTimer, b: ClockTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/**
 * Discrete-event time for simulation: `now()` jumps from event to event. Events run in (time, scheduling order), so
 * runs are reproducible.
 */
export class VirtualClock implements Clock {
  private time: number;
  private nextId = 1;
  private live = 0;
  private readonly queue = new TimerQueue();

  constructor(startS = 0) {
    this.time = startS;
  }

  now(): number {
    return this.time;
  }

  /** Scheduled events not yet run nor cancelled. */
  get pending(): number {
    return this.live;
  }

  schedule(atS: number, fn: () => void): TimerHandle {
    if (Number.isNaN(atS) || atS === Infinity) throw new RangeError(`VirtualClock.schedule: bad time ${atS}`);
    // Time never runs backwards: an event in the past runs at the current instant.
    const timer = new ClockTimer(this.nextId++, atS < this.time ? this.time : atS, fn);
    this.queue.push(timer);
    this.live++;
    return timer;
  }

  cancel(handle: TimerHandle): void {
    if (handle instanceof ClockTimer && handle.fn !== undefined) {
      handle.fn = undefined;
      this.live--;
    }
  }

  /** Runs events until none remain; returns how many ran. */
  run(): number {
    return this.runUntil(Infinity);
  }

  /** Runs every event due at or before `limitS`, then advances the clock to `limitS` (if finite). */
  runUntil(limitS: number): number {
    const queue = this.queue;
    let ran = 0;
    for (let top = queue.peek(); top !== undefined && top.at <= limitS; top = queue.peek()) {
      queue.pop();
      const fn = top.fn;
      if (fn === undefined) continue;
      top.fn = undefined;
      this.live--;
      this.time = top.at;
      fn();
      ran++;
    }
    if (limitS !== Infinity && limitS > this.time) this.time = limitS;
    return ran;
  }
}
