// The queue model's capacities: the prefill pool as one shared M/G/c (or G/G/c) queue at the SLA percentile, sized
// for bursts, its wait scaled by the feedback; decode sized for the percentile of its batch within the KV cache.
import {describe, expect, it} from 'vitest';
import {queueModelCapacities, type QueueObservation} from '../../../src/planner/queue-model/capacities.js';
import {capacities, itl, steady, ttft} from './fixture.js';

/** Prompts alternating 300 and 4000 tokens: a spread where a long prompt holds up the short ones behind it. */
const lengths = steady(50, 0, 180, 0, 100).map((request, index) => ({isl: index % 2 === 0 ? 300 : 4000, osl: request.osl}));
const plain: QueueObservation = {lengths, burstFactor: 1, arrivalScv: 1, waitScale: 1};
const prefill = (observation: QueueObservation) => queueModelCapacities(capacities, ttft, 500, 'p99', observation).prefill!;

describe('prefill pool', () => {
  it('sizes the pool as one shared queue: fewer engines than c separate M/G/1 queues', () => {
    const pooled = prefill(plain);
    const demand = 60;
    const engines = Math.ceil(demand / pooled(2150, demand).requestsPerSecond);
    expect(engines).toBeLessThan(Math.ceil(demand / pooled(2150).requestsPerSecond));
    // The planner's ceil(demand / share) lands exactly on the pool size.
    expect(demand / pooled(2150, demand).requestsPerSecond).toBeCloseTo(engines, 9);
  });

  it('carries less than Dynamo\'s saturation rate, which leaves no room to queue', () => {
    expect(prefill(plain)(2150).requestsPerSecond).toBeLessThan(capacities.prefill!(2150).requestsPerSecond);
  });

  it('sizes for the burst rate: the pool for demand x factor', () => {
    const demand = 60;
    const factor = 98 / 50;
    const bursty = prefill({...plain, burstFactor: factor});
    const engines = Math.round(demand / bursty(2150, demand).requestsPerSecond);
    expect(engines).toBeGreaterThan(Math.round(demand / prefill(plain)(2150, demand).requestsPerSecond));
    expect(engines).toBe(Math.round((demand * factor) / prefill(plain)(2150, demand * factor).requestsPerSecond));
  });

  it('gives an engine less rate when arrivals clump (G/G/c) or the feedback says the queue waits longer', () => {
    const base = prefill(plain)(2150).requestsPerSecond;
    expect(prefill({...plain, arrivalScv: 10})(2150).requestsPerSecond).toBeLessThan(base);
    expect(prefill({...plain, waitScale: 3})(2150).requestsPerSecond).toBeLessThan(base);
    expect(prefill({...plain, waitScale: 0.5})(2150).requestsPerSecond).toBeGreaterThan(base);
  });

  it('falls back to Dynamo\'s rate when no queue meets the target (the prompts alone exceed it)', () => {
    const tight = queueModelCapacities(capacities, ttft, 5, 'p99', plain).prefill!;
    expect(tight(8000).requestsPerSecond).toBeCloseTo(capacities.prefill!(8000).requestsPerSecond, 9);
  });
});

describe('decode within the KV cache', () => {
  // 12k-token prompts and 343-token outputs: Mooncake's conversations.
  const long: QueueObservation = {lengths: steady(10, 0, 180, 12_000, 343), burstFactor: 1, arrivalScv: 1, waitScale: 1};
  const query = {isl: 12_000, osl: 343, itlTargetMs: 30, maxNumSeqs: 1024, maxKvTokens: 444_208};

  it('carries less per engine than the batch that fills the KV cache, so 10 req/s gets more engines', () => {
    const dynamo = capacities.decode!(query).requestsPerSecond;
    const ours = queueModelCapacities(capacities, ttft, 10_000, 'p99', long, itl).decode!(query).requestsPerSecond;
    expect(ours).toBeLessThan(dynamo);
    expect(Math.ceil(10 / ours)).toBeGreaterThan(Math.ceil(10 / dynamo));
  });

  it('leaves decode to Dynamo\'s sizing without the ITL model', () => {
    const withoutItl = queueModelCapacities(capacities, ttft, 10_000, 'p99', long);
    expect(withoutItl.decode!(query).requestsPerSecond).toBe(capacities.decode!(query).requestsPerSecond);
  });
});
