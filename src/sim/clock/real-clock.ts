import type {Clock, TimerHandle} from '../types.js';
import {ClockTimer, TimerQueue} from './virtual-clock.js';

export interface RealClockOptions {
  /**
   * How long before the next timer is due to stop sleeping in setTimeout and poll with setImmediate instead.
   * setTimeout has 1 ms granularity and fires late when the event loop is busy: it only brings us close.
   */
  spinLeadS?: number;
}

const defaultSpinLeadS = 0.002;

/**
 * Wall-clock time (monotonic, performance.now()) for serving. All timers share one queue and one Node timer aimed at
 * the earliest, so hundreds of pending timers cost one poll per event-loop turn, and due timers run in due order.
 * Timers are ref'd, since a serving engine must keep the process alive; `close()` cancels everything.
 */
export class RealClock implements Clock {
  private nextId = 1;
  private live = 0;
  private readonly queue = new TimerQueue();
  private readonly spinLeadS: number;
  private sleeper: NodeJS.Timeout | undefined;
  private sleepingUntil = Infinity;
  private poller: NodeJS.Immediate | undefined;
  private draining = false;

  constructor(options: RealClockOptions = {}) {
    this.spinLeadS = options.spinLeadS ?? defaultSpinLeadS;
  }

  now(): number {
    return performance.now() / 1000;
  }

  get pending(): number {
    return this.live;
  }

  schedule(atS: number, fn: () => void): TimerHandle {
    const timer = new ClockTimer(this.nextId++, atS, fn);
    this.queue.push(timer);
    this.live++;
    // Never run fn synchronously, even when already due: callers expect schedule() to return first.
    if (!this.draining && this.poller === undefined && atS < this.sleepingUntil) this.arm();
    return timer;
  }

  cancel(handle: TimerHandle): void {
    if (!(handle instanceof ClockTimer) || handle.fn === undefined) return;
    handle.fn = undefined;
    if (--this.live === 0) {
      // Only cancelled timers remain: drop them rather than wake up for them.
      this.queue.clear();
      this.disarm();
    }
  }

  close(): void {
    for (let timer = this.queue.pop(); timer !== undefined; timer = this.queue.pop()) timer.fn = undefined;
    this.live = 0;
    this.disarm();
  }

  private readonly drain = (): void => {
    this.sleeper = undefined;
    this.sleepingUntil = Infinity;
    this.poller = undefined;
    this.draining = true;
    try {
      for (let top = this.queue.peek(); top !== undefined; top = this.queue.peek()) {
        if (top.fn !== undefined && top.at > this.now()) break;
        this.queue.pop();
        const fn = top.fn;
        if (fn === undefined) continue;
        top.fn = undefined;
        this.live--;
        fn();
      }
    } finally {
      this.draining = false;
      this.arm();
    }
  };

  private arm(): void {
    this.disarm();
    const next = this.queue.peek();
    if (next === undefined) return;
    const sleepMs = Math.floor((next.at - this.now() - this.spinLeadS) * 1000);
    if (sleepMs >= 1) {
      this.sleeper = setTimeout(this.drain, sleepMs);
      this.sleepingUntil = next.at;
    } else {
      this.poller = setImmediate(this.drain);
    }
  }

  private disarm(): void {
    if (this.sleeper !== undefined) clearTimeout(this.sleeper);
    if (this.poller !== undefined) clearImmediate(this.poller);
    this.sleeper = undefined;
    this.sleepingUntil = Infinity;
    this.poller = undefined;
  }
}
