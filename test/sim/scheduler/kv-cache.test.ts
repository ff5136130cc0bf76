import {describe, expect, it} from 'vitest';
import {KvCache} from '../../../src/sim/scheduler/kv-cache.js';

describe('KvCache', () => {
  it('reserves one block, as vLLM does for its null block', () => {
    const kv = new KvCache(11);
    expect(kv.usableBlocks).toBe(10);
    expect(kv.numFree).toBe(10);
    expect(kv.usage).toBe(0);
  });

  it('counts usage by held blocks and refuses to over-allocate', () => {
    const kv = new KvCache(5);
    const blocks: number[] = [];
    kv.allocate(3, blocks);
    expect(new Set(blocks).size).toBe(3);
    expect(blocks).not.toContain(0);
    expect(kv.usage).toBe(0.75);
    expect(() => kv.allocate(2, [])).toThrow(/2 blocks with 1 free/);
    kv.release(blocks);
    expect(kv.usage).toBe(0);
  });

  it('finds the longest cached chain of leading hashes, up to a cap', () => {
    const kv = new KvCache(9);
    const owner: number[] = [];
    kv.allocate(3, owner);
    owner.forEach((block, i) => kv.cache(block, `h${i}`));

    const found: number[] = [];
    expect(kv.findCachedPrefix(['h0', 'h1', 'x', 'h2'], 4, found)).toBe(2);
    expect(found).toEqual(owner.slice(0, 2));
    expect(kv.findCachedPrefix(['h0', 'h1', 'h2'], 1, [])).toBe(1);
  });

  it('keeps a shared block held until its last holder releases it', () => {
    const kv = new KvCache(9);
    const first: number[] = [];
    kv.allocate(2, first);
    first.forEach((block, i) => kv.cache(block, i));
    const second: number[] = [];
    kv.findCachedPrefix([0, 1], 2, second);
    kv.retain(second, 0, 2);

    kv.release(first);
    expect(kv.numFree).toBe(6);
    kv.release(second);
    expect(kv.numFree).toBe(8);
  });

  it('revives an idle cached block on a hit so that it cannot be evicted', () => {
    const kv = new KvCache(3); // 2 usable blocks
    const owner: number[] = [];
    kv.allocate(2, owner);
    kv.cache(owner[0]!, 'keep');
    kv.release(owner);

    const reuser: number[] = [];
    kv.findCachedPrefix(['keep'], 1, reuser);
    kv.retain(reuser, 0, 1);
    expect(kv.isIdle(owner[0]!)).toBe(false);
    const fresh: number[] = [];
    kv.allocate(1, fresh);
    expect(fresh).toEqual([owner[1]]);
    expect(kv.findCachedPrefix(['keep'], 1, [])).toBe(1);
  });

  it('evicts the least recently freed blocks first, a request tail before its head', () => {
    const kv = new KvCache(7); // 6 usable blocks
    const a: number[] = [];
    const b: number[] = [];
    kv.allocate(3, a);
    kv.allocate(3, b);
    a.forEach((block, i) => kv.cache(block, `a${i}`));
    b.forEach((block, i) => kv.cache(block, `b${i}`));
    kv.release(a);
    kv.release(b);
    expect(kv.numCachedHashes).toBe(6);

    kv.allocate(2, []);
    // a's last two blocks went first; a0 and all of b survive.
    expect(kv.findCachedPrefix(['a0', 'a1'], 2, [])).toBe(1);
    expect(kv.findCachedPrefix(['b0', 'b1', 'b2'], 3, [])).toBe(3);
    expect(kv.numCachedHashes).toBe(4);
  });

  it('keeps the first block cached under a hash that is computed twice', () => {
    const kv = new KvCache(9);
    const blocks: number[] = [];
    kv.allocate(2, blocks);
    kv.cache(blocks[0]!, 'same');
    kv.cache(blocks[1]!, 'same');
    const found: number[] = [];
    kv.findCachedPrefix(['same'], 1, found);
    expect(found).toEqual([blocks[0]]);
    expect(kv.numCachedHashes).toBe(1);
  });
});
