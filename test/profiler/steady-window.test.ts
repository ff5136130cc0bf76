import {describe, expect, it} from 'vitest';
import {itlStats, steadyDecode} from '../../src/profiler/steady-window.js';
import {record} from '../loadgen/record-fixture.js';

const stream = (tokenTimesS: number[]) => record(0, {first_token_s: tokenTimesS[0] ?? null, token_times_s: tokenTimesS, end_s: tokenTimesS.at(-1) ?? 1});

describe('steady decode window', () => {
  it('opens at the latest first token, closes at the earliest last token, and counts only gaps wholly inside', () => {
    // Stream b starts late (its gaps before 0.30 are ramp-up for the batch); stream a ends early (ramp-down after 0.50).
    const a = stream([0.1, 0.2, 0.3, 0.4, 0.5]);
    const b = stream([0.3, 0.42, 0.54, 0.66]);
    const window = steadyDecode([a, b]);
    expect(window).toMatchObject({startS: 0.3, endS: 0.5, tokens: 3});
    expect(window.gapsS.map((gap) => Math.round(gap * 1000))).toEqual([100, 100, 120]);
    const stats = itlStats(window)!;
    expect(stats.meanMs).toBeCloseTo(106.667, 2);
    expect(stats.p50Ms).toBeCloseTo(100, 6);
    expect(stats.tokensPerSecond).toBeCloseTo(3 / 0.2, 6);
  });

  it('is empty when the streams never decode at the same time, or one produced nothing', () => {
    expect(itlStats(steadyDecode([stream([0.1, 0.2]), stream([0.3, 0.4])]))).toBeUndefined();
    expect(itlStats(steadyDecode([stream([0.1, 0.2, 0.3]), stream([])]))).toBeUndefined();
  });
});
