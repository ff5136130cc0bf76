import {describe, expect, it} from 'vitest';
import {harness} from './harness.js';

const prompt64 = {promptTokens: 64, blockHashes: [1, 2, 3, 4]};

describe('prefix caching', () => {
  it('skips the prefill of cached leading blocks but always computes the last prompt token', () => {
    const {clock, scheduler, steps, outcomes, submit, submitAt} = harness({enablePrefixCaching: true});
    submit({id: 'a', ...prompt64, maxTokens: 2});
    submitAt(1, {id: 'b', ...prompt64, maxTokens: 2});
    clock.run();

    const bFirstStep = steps.find((step) => step.start >= 1)!;
    // All 4 blocks are cached, but the 4th holds the last token, which must be computed for its logits.
    expect(bFirstStep.shape).toMatchObject({prefillTokens: 16, prefillKvTokens: 48});
    expect(outcomes.get('b')!.finish?.stats.cachedTokens).toBe(48);
    expect(outcomes.get('a')!.finish?.stats.cachedTokens).toBe(0);
    expect(scheduler.counters).toMatchObject({prefixCacheQueries: 128, prefixCacheHits: 48, promptTokensCached: 48, promptTokens: 128});
    expect(scheduler.counters.prefillTokensComputed).toBe(64 + 16);
  });

  it('hits every full block when the prompt ends in a partial block', () => {
    const {clock, steps, submit, submitAt} = harness({enablePrefixCaching: true});
    submit({id: 'a', ...prompt64, maxTokens: 1});
    submitAt(1, {id: 'b', promptTokens: 70, blockHashes: [1, 2, 3, 4], maxTokens: 1});
    clock.run();

    expect(steps.find((step) => step.start >= 1)!.shape).toMatchObject({prefillTokens: 6, prefillKvTokens: 64});
  });

  it('stops at the first block whose hash is not cached', () => {
    const {clock, scheduler, submit, submitAt} = harness({enablePrefixCaching: true});
    submit({id: 'a', ...prompt64, maxTokens: 1});
    submitAt(1, {id: 'b', promptTokens: 64, blockHashes: [1, 2, 99, 4], maxTokens: 1});
    clock.run();

    expect(scheduler.counters.prefixCacheHits).toBe(32);
  });

  it('shares blocks that another running request holds', () => {
    const {clock, scheduler, steps, submit, submitAt} = harness({enablePrefixCaching: true});
    submit({id: 'a', ...prompt64, maxTokens: 50});
    submitAt(0.01, {id: 'b', ...prompt64, maxTokens: 50});
    const usage: number[] = [];
    clock.schedule(0.0101, () => usage.push(scheduler.kvCacheUsage));
    clock.run();

    expect(scheduler.counters.prefixCacheHits).toBe(48);
    expect(steps.find((step) => step.shape.prefillSeqs > 0 && step.start > 0)!.shape.prefillTokens).toBe(16);
    // a holds 5 blocks (64 prompt + a few outputs); b adds only its own 4th block: 6 of 1024 in use, not 9.
    expect(usage[0]).toBeCloseTo(6 / 1024, 12);
  });

  it('does nothing when disabled', () => {
    const {clock, scheduler, submit, submitAt} = harness({enablePrefixCaching: false});
    submit({id: 'a', ...prompt64, maxTokens: 1});
    submitAt(1, {id: 'b', ...prompt64, maxTokens: 1});
    clock.run();

    expect(scheduler.counters).toMatchObject({prefixCacheQueries: 0, prefixCacheHits: 0, prefillTokensComputed: 128});
  });

  it('keeps freed blocks cached, counted as free, and evicts the least recently freed first', () => {
    // 8 usable blocks: a and b each leave 4 cached blocks behind; c's 4 new blocks must evict 4 of them.
    const {clock, scheduler, submit, submitAt} = harness({enablePrefixCaching: true, numGpuBlocks: 9});
    const usageAfterA: number[] = [];
    submit({id: 'a', promptTokens: 64, blockHashes: ['a1', 'a2', 'a3', 'a4'], maxTokens: 1});
    clock.schedule(0.5, () => usageAfterA.push(scheduler.kvCacheUsage));
    submitAt(1, {id: 'b', promptTokens: 64, blockHashes: ['b1', 'b2', 'b3', 'b4'], maxTokens: 1});
    submitAt(2, {id: 'c', promptTokens: 64, maxTokens: 1});
    const hitsAt: number[] = [];
    submitAt(3, {id: 'b-again', promptTokens: 64, blockHashes: ['b1', 'b2', 'b3', 'b4'], maxTokens: 1});
    clock.schedule(3.5, () => hitsAt.push(scheduler.counters.prefixCacheHits));
    submitAt(4, {id: 'a-again', promptTokens: 64, blockHashes: ['a1', 'a2', 'a3', 'a4'], maxTokens: 1});
    clock.run();

    expect(usageAfterA).toEqual([0]);
    expect(hitsAt).toEqual([48]); // b was freed after a, so it survived c
    expect(scheduler.counters.prefixCacheHits).toBe(48); // a's blocks went to c
  });
});
