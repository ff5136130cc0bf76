import {describe, expect, it} from 'vitest';
import {VirtualClock} from '../../../src/sim/clock/index.js';
import {Scheduler, requestProblem, type FinishReason} from '../../../src/sim/scheduler/index.js';
import {baseConfig, harness, linearCost} from './harness.js';

describe('finishing', () => {
  it.each([
    {request: {maxTokens: 10, eosAfter: 3}, reason: 'stop', outputTokens: 3},
    {request: {maxTokens: 10, eosAfter: 3, minTokens: 5}, reason: 'stop', outputTokens: 5},
    {request: {maxTokens: 4}, reason: 'length', outputTokens: 4},
    {request: {maxTokens: 4, eosAfter: 10}, reason: 'length', outputTokens: 4},
    {request: {maxTokens: 4, eosAfter: 4}, reason: 'stop', outputTokens: 4},
  ])('$request ends with $reason after $outputTokens tokens', ({request, reason, outputTokens}) => {
    const {clock, outcomes, submit} = harness();
    submit({id: 'r', ...request});
    clock.run();

    const finish = outcomes.get('r')!.finish!;
    expect(finish.reason).toBe(reason);
    expect(finish.stats.outputTokens).toBe(outputTokens);
    expect(outcomes.get('r')!.tokens).toHaveLength(outputTokens);
  });

  it('reports the request timeline and feeds the counters', () => {
    const {clock, scheduler, outcomes, submitAt} = harness();
    submitAt(0.5, {id: 'a', promptTokens: 100, maxTokens: 3});
    submitAt(0.5, {id: 'b', promptTokens: 50, maxTokens: 2});
    clock.run();

    const stats = outcomes.get('a')!.finish!.stats;
    expect(stats).toMatchObject({arrivalTime: 0.5, firstScheduledTime: 0.5, promptTokens: 100, outputTokens: 3, preemptions: 0});
    expect(stats.firstTokenTime).toBeGreaterThan(stats.firstScheduledTime!);
    expect(stats.finishTime).toBe(outcomes.get('a')!.tokens.at(-1)!.t);
    expect(scheduler.counters).toMatchObject({promptTokens: 150, generationTokens: 5, prefillTokensComputed: 150});
    expect(scheduler.counters.finished).toEqual({stop: 0, length: 2, abort: 0});
    expect(scheduler.counters.steps).toBe(3);
  });
});

describe('abort', () => {
  it('frees a running request KV at once and emits nothing more', () => {
    const {clock, scheduler, outcomes, submit} = harness();
    const outcome = submit({id: 'a', promptTokens: 500, maxTokens: 1000});
    clock.runUntil(0.05);
    expect(scheduler.kvCacheUsage).toBeGreaterThan(0);
    const tokensBefore = outcome.tokens.length;

    expect(scheduler.abort('a')).toBe(true);
    expect(scheduler.kvCacheUsage).toBe(0);
    expect(scheduler.numRunning).toBe(0);
    clock.run();
    expect(outcome.tokens).toHaveLength(tokensBefore);
    expect(outcomes.get('a')!.finish).toMatchObject({t: 0.05, reason: 'abort'});
    expect(scheduler.counters.finished.abort).toBe(1);
    expect(scheduler.abort('a')).toBe(false);
  });

  it('drops a waiting request before it is ever scheduled', () => {
    const {clock, scheduler, outcomes, submit} = harness({maxNumSeqs: 1});
    submit({id: 'a', maxTokens: 20});
    submit({id: 'b', maxTokens: 20});
    clock.runUntil(0.01);
    expect(scheduler.numWaiting).toBe(1);

    scheduler.abort('b');
    expect(scheduler.numWaiting).toBe(0);
    clock.run();
    expect(outcomes.get('b')!.scheduledAt).toEqual([]);
    expect(outcomes.get('b')!.finish?.stats.firstScheduledTime).toBeUndefined();
    expect(outcomes.get('a')!.finish?.stats.outputTokens).toBe(20);
  });

  it('can be called from a token callback', () => {
    const clock = new VirtualClock();
    const scheduler = new Scheduler(baseConfig, linearCost, clock);
    const finishes: FinishReason[] = [];
    let tokens = 0;
    scheduler.submit(
      {id: 'a', promptTokens: 32, maxTokens: 10},
      {
        onToken: (_t, index) => {
          tokens++;
          if (index === 2) scheduler.abort('a');
        },
        onFinish: (_t, reason) => finishes.push(reason),
      },
    );
    clock.run();

    expect(tokens).toBe(3);
    expect(finishes).toEqual(['abort']);
  });

  it('delivers the pending token before the abort when another listener aborts a request', () => {
    const clock = new VirtualClock();
    const scheduler = new Scheduler(baseConfig, linearCost, clock);
    const bEvents: string[] = [];
    scheduler.submit({id: 'a', promptTokens: 32, maxTokens: 10}, {
      onToken: (_t, index) => index === 1 && scheduler.abort('b'),
      onFinish: () => {},
    });
    scheduler.submit({id: 'b', promptTokens: 32, maxTokens: 10}, {
      onToken: (_t, index) => bEvents.push(`token ${index}`),
      onFinish: (_t, reason) => bEvents.push(reason),
    });
    clock.run();

    expect(bEvents).toEqual(['token 0', 'token 1', 'abort']);
  });

  it('close() aborts everything and stops the engine', () => {
    const {clock, scheduler, outcomes, submit} = harness({maxNumSeqs: 1});
    submit({id: 'a', maxTokens: 100});
    submit({id: 'b', maxTokens: 100});
    clock.runUntil(0.01);
    scheduler.close();

    expect(clock.pending).toBe(0);
    expect([...outcomes.values()].map((outcome) => outcome.finish?.reason)).toEqual(['abort', 'abort']);
    expect(() => submit({id: 'c'})).toThrow(/closed/);
  });
});

describe('roles', () => {
  it('prefill engines stop every request after its first token', () => {
    const {clock, scheduler, steps, outcomes, submit} = harness({role: 'prefill'});
    submit({id: 'a', promptTokens: 64, maxTokens: 100});
    clock.run();

    expect(outcomes.get('a')!.finish).toMatchObject({reason: 'length', stats: {outputTokens: 1}});
    expect(steps).toHaveLength(1);
    expect(scheduler.counters.generationTokens).toBe(1);
  });

  it('decode engines take the prompt KV as transferred and emit the first token from a decode step', () => {
    const {clock, scheduler, steps, outcomes, submit} = harness({role: 'decode'});
    const usage: number[] = [];
    const outcome = submit({id: 'a', promptTokens: 1000, maxTokens: 3});
    clock.schedule(0, () => usage.push(scheduler.kvCacheUsage));
    clock.run();

    expect(steps.map((step) => step.shape.prefillTokens)).toEqual([0, 0, 0]);
    expect(steps.map((step) => step.shape.decodeKvTokens)).toEqual([1000, 1001, 1002]);
    expect(usage).toEqual([Math.ceil(1000 / 16) / 1024]);
    expect(outcome.firstTokenAt).toBe(steps[0]!.end);
    expect(outcomes.get('a')!.finish?.stats.outputTokens).toBe(3);
    expect(scheduler.counters).toMatchObject({promptTokens: 1000, promptTokensTransferred: 999, prefillTokensComputed: 0});
  });
});

describe('submission', () => {
  it('rejects what vLLM rejects with HTTP 400', () => {
    const {scheduler} = harness({maxModelLen: 1000});
    expect(requestProblem(scheduler.config, {id: 'ok', promptTokens: 900, maxTokens: 100})).toBeUndefined();
    expect(requestProblem(scheduler.config, {id: 'x', promptTokens: 901, maxTokens: 100})).toMatch(/maximum context length is 1000/);
    expect(requestProblem(scheduler.config, {id: 'x', promptTokens: 10, maxTokens: 5, minTokens: 6})).toMatch(/minTokens/);
    expect(requestProblem(scheduler.config, {id: 'x', promptTokens: 0, maxTokens: 5})).toMatch(/promptTokens/);
    expect(() => scheduler.submit({id: 'x', promptTokens: 901, maxTokens: 100}, {onFinish: () => {}})).toThrow(
      expect.objectContaining({code: 'E_BAD_INPUT'}),
    );
  });

  it('refuses an id that is already in flight', () => {
    const {submit} = harness();
    submit({id: 'a'});
    expect(() => submit({id: 'a'})).toThrow(/already in flight/);
  });

  it('rejects an impossible configuration', () => {
    expect(() => new Scheduler({...baseConfig, maxNumSeqs: 0}, linearCost, new VirtualClock())).toThrow(/maxNumSeqs/);
    expect(() => new Scheduler({...baseConfig, numGpuBlocks: 1}, linearCost, new VirtualClock())).toThrow(/numGpuBlocks/);
  });
});
