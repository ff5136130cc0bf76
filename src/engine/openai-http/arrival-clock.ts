// undici hands one network read to a request in several pieces (one per HTTP chunk, after the headers), all in one
// synchronous turn, and Node drains the microtask queue between two socket reads. Caching the stamp until the next
// microtask checkpoint therefore gives every event out of one read the same arrival time, and costs one clock read
// per network read rather than one per event.

let stamp: bigint | undefined;

function forget(): void {
  stamp = undefined;
}

/** hrtime nanoseconds at which the bytes being handled now arrived. */
export function arrivalTime(): bigint {
  if (stamp === undefined) {
    stamp = process.hrtime.bigint();
    queueMicrotask(forget);
  }
  return stamp;
}
