import {describe, expect, it} from 'vitest';
import {RequestQueue} from '../../../src/sim/scheduler/request-queue.js';

describe('RequestQueue', () => {
  it('is FIFO at the back and LIFO at the front, across growth and wrap-around', () => {
    const queue = new RequestQueue<number>();
    for (let i = 0; i < 10; i++) queue.push(i);
    for (let i = 0; i < 8; i++) queue.shift();
    for (let i = 10; i < 40; i++) queue.push(i);
    queue.unshift(-1);
    queue.unshift(-2);

    const drained: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) drained.push(item);
    expect(drained).toEqual([-2, -1, 8, 9, ...Array.from({length: 30}, (_, i) => i + 10)]);
    expect(queue.peek()).toBeUndefined();
    expect(queue.shift()).toBeUndefined();
  });
});
