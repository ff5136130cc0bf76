import type {BlockHash} from './request.js';

/**
 * The paged KV cache as vLLM's block pool keeps it: fixed-size blocks with reference counts, one free queue in LRU
 * order, and a hash -> block index for prefix caching. A freed block keeps its hash and can still be hit until the
 * allocator takes it, so "free" includes "cached but idle"; allocation evicts from the queue's head, oldest first.
 */
export class KvCache {
  /** Blocks requests can hold: block 0 is reserved, as vLLM reserves it for its null block. */
  readonly usableBlocks: number;
  private freeCount: number;
  private readonly refCount: Int32Array;
  // The free queue is a doubly linked list threaded through prev/next, anchored on `anchor` (an extra index past the
  // last block), so a cached idle block that gets a prefix hit leaves the queue in O(1).
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly anchor: number;
  private readonly hashOf: (BlockHash | undefined)[];
  private readonly blockByHash = new Map<BlockHash, number>();

  constructor(numGpuBlocks: number) {
    this.usableBlocks = numGpuBlocks - 1;
    this.anchor = numGpuBlocks;
    this.refCount = new Int32Array(numGpuBlocks + 1);
    this.prev = new Int32Array(numGpuBlocks + 1);
    this.next = new Int32Array(numGpuBlocks + 1);
    this.hashOf = new Array<BlockHash | undefined>(numGpuBlocks).fill(undefined);
    this.prev[this.anchor] = this.anchor;
    this.next[this.anchor] = this.anchor;
    this.freeCount = 0;
    for (let block = 1; block < numGpuBlocks; block++) this.append(block);
  }

  /** Blocks an allocation can take now, cached-but-idle ones included. */
  get numFree(): number {
    return this.freeCount;
  }

  /** vLLM's kv_cache_usage_perc: held blocks over usable blocks (cached idle blocks count as free). */
  get usage(): number {
    return 1 - this.freeCount / this.usableBlocks;
  }

  get numCachedHashes(): number {
    return this.blockByHash.size;
  }

  isIdle(block: number): boolean {
    return this.refCount[block] === 0;
  }

  /** Pushes onto `into` the blocks of the longest cached run of leading `hashes` (at most maxBlocks); returns its length. */
  findCachedPrefix(hashes: readonly BlockHash[], maxBlocks: number, into: number[]): number {
    let found = 0;
    while (found < maxBlocks) {
      const block = this.blockByHash.get(hashes[found]!);
      if (block === undefined) break;
      into.push(block);
      found++;
    }
    return found;
  }

  /** Takes a reference to each of blocks[from..to), pulling idle ones out of the free queue so they cannot be evicted. */
  retain(blocks: readonly number[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const block = blocks[i]!;
      if (this.refCount[block] === 0) this.unlink(block);
      this.refCount[block]!++;
    }
  }

  /** Appends `count` fresh blocks to `into`, evicting the least recently freed cached blocks. The caller checks numFree. */
  allocate(count: number, into: number[]): void {
    if (count > this.freeCount) throw new Error(`KvCache: asked for ${count} blocks with ${this.freeCount} free`);
    for (let i = 0; i < count; i++) {
      const block = this.next[this.anchor]!;
      this.unlink(block);
      const hash = this.hashOf[block];
      if (hash !== undefined) {
        this.blockByHash.delete(hash);
        this.hashOf[block] = undefined;
      }
      this.refCount[block] = 1;
      into.push(block);
    }
  }

  /**
   * Drops one reference to each block. Blocks nobody holds join the free queue tail last-block-first, as vLLM does, so
   * a request's tail blocks (least likely to be shared) are evicted before its prefix.
   */
  release(blocks: readonly number[]): void {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const block = blocks[i]!;
      if (--this.refCount[block]! === 0) this.append(block);
    }
  }

  /** Makes a computed full block findable by its hash; a hash already cached keeps its first block. */
  cache(block: number, hash: BlockHash): void {
    if (this.hashOf[block] !== undefined || this.blockByHash.has(hash)) return;
    this.blockByHash.set(hash, block);
    this.hashOf[block] = hash;
  }

  private append(block: number): void {
    const tail = this.prev[this.anchor]!;
    this.next[tail] = block;
    this.prev[block] = tail;
    this.next[block] = this.anchor;
    this.prev[this.anchor] = block;
    this.freeCount++;
  }

  private unlink(block: number): void {
    const before = this.prev[block]!;
    const after = this.next[block]!;
    this.next[before] = after;
    this.prev[after] = before;
    this.freeCount--;
  }
}
