import type {Clock, TimerHandle} from '../types.js';
import {ClockTimer, TimerQueue} from './virtual-clock.js';

export interface RealClockOptions {
  /**
   * How long before the next timer is due to stop sleeping in setTimeout and poll with setImmediate instead.
   * setTimeout has 1 ms granularity and fires late when the event loop is busy: it only brings us close.
   */
  spinLeadS?: number;
  /**
   * On a thread of its own (the engine thread), sleep the last stretch in Atomics.wait on this flag instead of
   * polling: a futex wait ends within tens of microseconds of its deadline and, unlike a busy poll, leaves the CPU to
   * other threads, so the wake-up is not delayed behind them. Whoever posts a message to the thread must set the flag
   * to 1 and notify it, so messages are not held up by the wait.
   */
  wakeFlag?: Int32Array;
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

  private readonly wakeFlag: Int32Array | undefined;

  constructor(options: RealClockOptions = {}) {
    this.spinLeadS = options.spinLeadS ?? defaultSpinLeadS;
    this.wakeFlag = options.wakeFlag;
  }

  now(): number {
    // timeOrigin makes the reading absolute, so an engine thread and the HTTP thread share one time line
    // (each thread's performance.now() counts from its own start).
    return (performance.timeOrigin + performance.now()) / 1000;
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
      this.poller = setImmediate(this.wakeFlag ? this.waitThenDrain : this.drain);
    }
  }

  /** Block until the next timer is due or a message arrives (wakeFlag set), then run what is due. */
  private readonly waitThenDrain = (): void => {
    const flag = this.wakeFlag!;
    const next = this.queue.peek();
    const waitMs = next === undefined ? 0 : (next.at - this.now()) * 1000;
    if (waitMs > 0 && Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, waitMs);
    Atomics.store(flag, 0, 0);
    this.drain();
  };

  private disarm(): void {
    if (this.sleeper !== undefined) clearTimeout(this.sleeper);
    if (this.poller !== undefined) clearImmediate(this.poller);
    this.sleeper = undefined;
    this.sleepingUntil = Infinity;
    this.poller = undefined;
  }
}
