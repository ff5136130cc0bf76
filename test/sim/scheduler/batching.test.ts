import {describe, expect, it} from 'vitest';
import {VirtualClock} from '../../../src/sim/clock/index.js';
import {Scheduler} from '../../../src/sim/scheduler/index.js';
import {baseConfig, harness, linearCost, stepsWhere} from './harness.js';

describe('continuous batching', () => {
  it('serves decodes first and fills the rest of the token budget with a chunked prefill', () => {
    const {clock, steps, outcomes, submit, submitAt} = harness({maxNumBatchedTokens: 32});
    submit({id: 'a', promptTokens: 10, maxTokens: 20});
    submitAt(0.005, {id: 'b', promptTokens: 100, maxTokens: 2});
    clock.run();

    for (const step of steps) {
      expect(step.scheduledTokens).toBe(step.shape.prefillTokens + step.shape.decodeSeqs);
      expect(step.scheduledTokens).toBeLessThanOrEqual(32);
    }
    const bChunks = stepsWhere(steps, (shape) => shape.prefillTokens > 0 && shape.decodeSeqs > 0);
    // a decodes in every step of b's prefill, so b gets 31 of the 32 tokens until its last short chunk.
    expect(bChunks.map((step) => step.shape.prefillTokens)).toEqual([31, 31, 31, 7]);
    expect(bChunks.every((step) => step.shape.decodeSeqs === 1)).toBe(true);
    expect(outcomes.get('a')!.finish?.stats.outputTokens).toBe(20);
    expect(outcomes.get('b')!.finish?.stats.outputTokens).toBe(2);
  });

  it('never runs more than maxNumSeqs sequences', () => {
    const {clock, steps, outcomes, submit} = harness({maxNumSeqs: 2});
    for (let i = 0; i < 5; i++) submit({id: `r${i}`, promptTokens: 32, maxTokens: 4});
    clock.run();

    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.numRunning).toBeLessThanOrEqual(2);
      expect(step.shape.prefillSeqs + step.shape.decodeSeqs).toBeLessThanOrEqual(2);
    }
    const firstFinish = Math.min(...[...outcomes.values()].map((outcome) => outcome.finish!.t));
    expect(outcomes.get('r2')!.scheduledAt[0]).toBeGreaterThanOrEqual(firstFinish);
    for (const outcome of outcomes.values()) expect(outcome.tokens.map((token) => token.index)).toEqual([0, 1, 2, 3]);
  });

  it('makes the TTFT of a long prompt the sum of its chunk steps, the last chunk producing the first token', () => {
    const {clock, steps, outcomes, submit} = harness({maxNumBatchedTokens: 256});
    const outcome = submit({id: 'long', promptTokens: 1000, maxTokens: 2});
    clock.run();

    const chunks = stepsWhere(steps, (shape) => shape.prefillTokens > 0);
    expect(chunks.map((step) => step.shape.prefillTokens)).toEqual([256, 256, 256, 232]);
    const chunkSeconds = chunks.reduce((sum, step) => sum + (step.end - step.start), 0);
    const expected = [256, 256, 256, 232].reduce((sum, tokens) => sum + 0.002 + 0.00000005 * tokens, 0);
    expect(outcome.firstTokenAt).toBeCloseTo(chunkSeconds, 12);
    expect(outcome.firstTokenAt).toBeCloseTo(expected, 12);
    expect(outcomes.get('long')!.finish?.stats.firstTokenTime).toBe(outcome.firstTokenAt);
  });

  it('describes each chunk by its offset and each decode by its context length', () => {
    const {clock, steps, submit} = harness({maxNumBatchedTokens: 256});
    submit({id: 'r', promptTokens: 300, maxTokens: 3});
    clock.run();

    const [first, second, decode] = steps;
    expect(first!.shape).toMatchObject({prefillTokens: 256, prefillSeqs: 1, prefillKvTokens: 0, prefillAttention: 256 * 128});
    expect(second!.shape).toMatchObject({prefillTokens: 44, prefillKvTokens: 256, prefillAttention: 44 * (256 + 22)});
    // The first decode feeds token 301 (the first output) and attends to all 301 positions.
    expect(decode!.shape).toMatchObject({prefillTokens: 0, decodeSeqs: 1, decodeKvTokens: 301});
  });

  it('caps each prefill chunk at longPrefillTokenThreshold', () => {
    const {clock, steps, submit} = harness({maxNumBatchedTokens: 256, longPrefillTokenThreshold: 64});
    submit({id: 'a', promptTokens: 200, maxTokens: 1});
    submit({id: 'b', promptTokens: 200, maxTokens: 1});
    clock.run();

    expect(steps[0]!.shape).toMatchObject({prefillTokens: 128, prefillSeqs: 2});
  });

  it('runs steps back to back and reports when each should have started', () => {
    const {clock, steps, submitAt} = harness();
    submitAt(1, {id: 'a', promptTokens: 32, maxTokens: 3});
    clock.run();

    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatchObject({plannedStart: 1, start: 1});
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.plannedStart).toBe(steps[i - 1]!.end);
      expect(steps[i]!.start).toBe(steps[i]!.plannedStart);
      expect(steps[i]!.end - steps[i]!.start).toBeCloseTo(linearCost.stepSeconds(steps[i]!.shape), 12);
    }
  });

  it('tells listeners about a step only once the next step has started, stamped with the step end', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const ends: number[] = [];
    const scheduler = new Scheduler(baseConfig, linearCost, clock, {
      onStep: (info) => {
        log.push('step');
        ends.push(info.end);
      },
    });
    const tokenTimes: number[] = [];
    scheduler.submit({id: 'a', promptTokens: 32, maxTokens: 3}, {
      onScheduled: () => log.push('scheduled'),
      onToken: (t, index) => {
        log.push(`token ${index}`);
        tokenTimes.push(t);
      },
      onFinish: () => log.push('finish'),
    });
    clock.run();

    expect(log).toEqual(['step', 'scheduled', 'step', 'token 0', 'step', 'token 1', 'token 2', 'finish']);
    expect(tokenTimes).toEqual(ends);
  });

  it('goes idle when out of work and wakes on the next submit', () => {
    const {clock, scheduler, steps, submit, submitAt} = harness();
    submit({id: 'a', maxTokens: 2});
    submitAt(5, {id: 'b', maxTokens: 2});
    clock.run();

    expect(clock.pending).toBe(0);
    expect(steps.filter((step) => step.start >= 5)).toHaveLength(2);
    expect(steps.find((step) => step.start >= 5)!.plannedStart).toBe(5);
    expect(scheduler.counters.finished.length).toBe(2);
  });
});
