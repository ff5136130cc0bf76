import {describe, expect, it} from 'vitest';
import {meanWaitMs, serviceTimes, sojournQuantileMs, waitProbability, waitQuantileMs, waitTailProbability} from '../../src/sizing/queueing.js';

// Textbook M/G/1 results (e.g. Kleinrock, Queueing Systems vol. 1; Harchol-Balter ch. 23) in our units: rates in
// requests/s, times in ms.
describe('M/G/1 queueing', () => {
  it('M/D/1: Pollaczek-Khinchine mean wait rho S / (2 (1 - rho))', () => {
    // S = 100 ms, lambda = 5/s: rho = 0.5, Wq = 0.5 x 100 / (2 x 0.5) = 50 ms.
    const deterministic = serviceTimes([100], [1]);
    expect(meanWaitMs(5, deterministic)).toBeCloseTo(50, 10);
    // rho = 0.9: Wq = 0.9 x 100 / 0.2 = 450 ms.
    expect(meanWaitMs(9, deterministic)).toBeCloseTo(450, 10);
    expect(meanWaitMs(10, deterministic)).toBe(Infinity);
  });

  it('M/M/1: Wq = rho / (mu - lambda), and the exact waiting-time tail rho e^{-(mu - lambda) t}', () => {
    // Exponential service of mean 100 ms has E[S^2] = 2 x 100^2; mu = 10/s, lambda = 8/s.
    const exponential = {values: [100], weights: [1], mean: 100, secondMoment: 2 * 100 * 100};
    expect(meanWaitMs(8, exponential)).toBeCloseTo((0.8 / (10 - 8)) * 1000, 8);
    for (const t of [0, 100, 500, 2000]) expect(waitTailProbability(t, 8, exponential)).toBeCloseTo(0.8 * Math.exp(-(10 - 8) * (t / 1000)), 12);
    // p90 of the wait: 0.8 e^{-2 t} = 0.1 -> t = ln 8 / 2 s.
    expect(waitQuantileMs(0.9, 8, exponential)).toBeCloseTo((Math.log(8) / 2) * 1000, 6);
  });

  it('no one waits at a percentile below 1 - rho; sojourn quantiles add the service time', () => {
    const deterministic = serviceTimes([100], [1]);
    expect(waitQuantileMs(0.5, 4, deterministic)).toBe(0); // rho 0.4: 60% never wait
    expect(sojournQuantileMs(0.5, 4, deterministic)).toBe(100);
    expect(sojournQuantileMs(0.9, 5, deterministic)).toBeCloseTo(100 + waitQuantileMs(0.9, 5, deterministic), 10);
  });

  it('a spread of service times raises the mean wait (E[S^2]) and the percentile above the deterministic one', () => {
    const fixed = serviceTimes([100], [1]);
    const spread = serviceTimes([50, 150], [0.5, 0.5]); // same mean, E[S^2] = 12500 vs 10000
    expect(meanWaitMs(5, spread) / meanWaitMs(5, fixed)).toBeCloseTo(1.25, 10);
    const p90 = sojournQuantileMs(0.9, 5, spread);
    expect(p90).toBeGreaterThan(sojournQuantileMs(0.9, 5, fixed));
    // The mixture's CDF at its own quantile is the percentile.
    const cdf = 0.5 * (1 - waitTailProbability(p90 - 50, 5, spread)) + 0.5 * (1 - waitTailProbability(p90 - 150, 5, spread));
    expect(cdf).toBeCloseTo(0.9, 3);
  });

  it('the sojourn quantile over many service values is the mixture CDF\'s (summed term by term with the wait tail)', () => {
    // 64 service times from 20 ms to 6.4 s (a trace's prompt spread), on 1, 3 and 12 servers at 30-90% load.
    const values = Array.from({length: 64}, (_, i) => 20 * 1.1 ** i);
    const spread = serviceTimes(values, values.map(() => 1 / 64));
    for (const servers of [1, 3, 12]) {
      for (const load of [0.3, 0.6, 0.9]) {
        const rate = (load * servers * 1000) / spread.mean;
        for (const q of [0.5, 0.9, 0.99]) {
          const t = sojournQuantileMs(q, rate, spread, servers);
          const cdf = (x: number) => values.reduce((sum, value) => sum + (1 - waitTailProbability(x - value, rate, spread, servers)) / 64, 0);
          expect(cdf(t)).toBeGreaterThanOrEqual(q - 1e-9);
          expect(cdf(t * (1 - 2e-4))).toBeLessThan(q + 1e-9);
        }
      }
    }
  });

  it('M/M/c: Erlang C and the mean wait match the textbook (c = 2, lambda 15/s, mean service 100 ms)', () => {
    const exponential = serviceTimes([50, 150], [0.5, 0.5]);
    // Two-point service with E[S^2] = 2 E[S]^2 has the exponential's squared coefficient of variation (1).
    const markov = {...exponential, secondMoment: 2 * 100 * 100};
    expect(waitProbability(15, markov, 2)).toBeCloseTo(0.642857, 5);
    expect(meanWaitMs(15, markov, 2)).toBeCloseTo(128.571, 2);
    expect(waitQuantileMs(0.9, 15, markov, 2)).toBeCloseTo((128.571 / 0.642857) * Math.log(0.642857 / 0.1), 1);
    // Pooling: two engines sharing a queue wait less than two engines each taking half the load.
    expect(meanWaitMs(15, markov, 2)).toBeLessThan(meanWaitMs(7.5, markov, 1));
    expect(waitProbability(5, markov, 1)).toBeCloseTo(0.5, 12);
  });
});
