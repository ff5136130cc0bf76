import {describe, expect, it} from 'vitest';
import {harness, stepsWhere} from './harness.js';

// numGpuBlocks 9 leaves 8 usable blocks of 16 tokens: 128 tokens of KV.
const smallCache = {numGpuBlocks: 9, blockSize: 16};

describe('preemption', () => {
  it('preempts the newest request when blocks run out and still completes it without repeating tokens', () => {
    const {clock, scheduler, steps, outcomes, submit} = harness(smallCache);
    submit({id: 'old', promptTokens: 16, maxTokens: 64});
    submit({id: 'new', promptTokens: 16, maxTokens: 64});
    clock.run();

    const oldOne = outcomes.get('old')!;
    const newOne = outcomes.get('new')!;
    expect(scheduler.counters.preemptions).toBeGreaterThan(0);
    expect(oldOne.finish?.stats.preemptions).toBe(0);
    expect(newOne.finish?.stats.preemptions).toBeGreaterThan(0);
    for (const outcome of [oldOne, newOne]) {
      expect(outcome.finish?.reason).toBe('length');
      expect(outcome.tokens.map((token) => token.index)).toEqual([...Array(64).keys()]);
    }
    expect(newOne.scheduledAt).toHaveLength(1);
    expect(scheduler.counters.generationTokens).toBe(128);
    expect(scheduler.kvCacheUsage).toBe(0);

    // On readmission it recomputes its prompt plus every token it had already produced.
    const recompute = stepsWhere(steps.slice(1), (shape) => shape.prefillTokens > 0)[0]!;
    const producedBefore = newOne.tokens.filter((token) => token.t <= recompute.start).length;
    expect(recompute.shape.prefillTokens).toBe(16 + producedBefore);
    // Both first prefills (16 each) plus the recompute.
    expect(scheduler.counters.prefillTokensComputed).toBe(32 + 16 + producedBefore);
  });

  it('picks the most recently admitted request as the victim', () => {
    const {clock, outcomes, submit} = harness({numGpuBlocks: 13, blockSize: 16});
    for (const id of ['first', 'second', 'third']) submit({id, promptTokens: 16, maxTokens: 64});
    clock.run();

    const preemptions = (id: string) => outcomes.get(id)!.finish!.stats.preemptions;
    expect(preemptions('third')).toBeGreaterThan(0);
    expect(preemptions('first')).toBe(0);
    for (const outcome of outcomes.values()) expect(outcome.finish?.stats.outputTokens).toBe(64);
  });

  it('aborts a request that cannot fit in the whole cache instead of retrying it forever', () => {
    const {clock, scheduler, outcomes, submit} = harness({numGpuBlocks: 5, blockSize: 16});
    submit({id: 'huge-prompt', promptTokens: 100, maxTokens: 1});
    submit({id: 'grows-too-long', promptTokens: 40, maxTokens: 100});
    submit({id: 'fits', promptTokens: 16, maxTokens: 8});
    clock.run();

    expect(outcomes.get('huge-prompt')!.finish?.reason).toBe('abort');
    const grown = outcomes.get('grows-too-long')!.finish!;
    expect(grown.reason).toBe('abort');
    expect(grown.stats.outputTokens).toBeGreaterThan(0);
    expect(grown.stats.outputTokens).toBeLessThan(100);
    expect(outcomes.get('fits')!.finish?.stats.outputTokens).toBe(8);
    expect(scheduler.counters.finished.abort).toBe(2);
    expect(clock.pending).toBe(0);
  });
});
