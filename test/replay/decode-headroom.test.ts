// dynamo-plan on long prompts (Mooncake's 12k tokens): decode sized with room in the KV cache, where Dynamo's capacity
// is the batch that fills it (the decode engines' admission queue then grows without bound and TTFT with it).
import {describe, expect, it} from 'vitest';
import {DEFAULT_PROFILE} from '../../src/replay/replay.js';
import {loadDeployment} from '../../src/replay/deployment.js';
import {queueAwareCapacities, type ObservedInterval} from '../../src/replay/queue-aware-capacity.js';
import {builtinPolicy} from '../../src/replay/policies.js';
import {runReplay} from './imports.js';
import {steady, writeTrace} from './fixture.js';

const deployment = loadDeployment([DEFAULT_PROFILE]);
/** 10 req/s of 12k-token prompts and 343-token outputs for 180 s: Mooncake's conversations at 3x. */
const long: ObservedInterval = {requests: steady(10, 0, 180, 12_000, 343), startS: 0, endS: 180};
const query = {isl: 12_000, osl: 343, itlTargetMs: 30, maxNumSeqs: 1024, maxKvTokens: deployment.engines.decode.spec.kvCapacityTokens};
const decodeRps = (decodeItl: boolean) =>
  queueAwareCapacities(deployment.capacities, deployment.ttft!, 10_000, 'p99', long, decodeItl ? {decodeItl: deployment.itl!} : {}).decode!(query).requestsPerSecond;

describe('decode sized within the KV cache', () => {
  it('carries less per engine than the batch that fills the KV cache, so 10 req/s gets more than 3 engines', () => {
    const dynamo = decodeRps(false);
    const ours = decodeRps(true);
    // Dynamo's batch is floor(KV / (isl + osl)) = 35 sequences: 10 req/s fits 3 engines, each at 100% of its KV.
    expect(Math.ceil(10 / dynamo)).toBe(3);
    expect(ours).toBeLessThan(dynamo);
    expect(Math.ceil(10 / ours)).toBeGreaterThanOrEqual(4);
  });

  it('is dynamo-plan\'s default and can be switched off', () => {
    const base = {mode: 'disagg' as const, sla: {ttft_ms: 10_000, itl_ms: 30}, max_gpu_budget: -1, min_endpoint: 1, startup_s: 60};
    const on = builtinPolicy('dynamo-plan', base);
    const off = builtinPolicy('dynamo-plan', {...base, ours: {decode_headroom: false}});
    expect(on.kind === 'planner' && on.queueAwareDecode).toBe(true);
    expect(off.kind === 'planner' && off.queueAwareDecode).toBeFalsy();
  });
});

describe('decode trigger', () => {
  // Long prompts at 1 req/s, then 12 req/s from 90 s: the opening's 2 decode engines (Dynamo's batch that fills the KV
  // cache) run full and prompts wait for KV room before the first throughput tick at 180 s.
  const trace = writeTrace([...steady(1, 0, 90, 12_000, 343), ...steady(12, 90, 170, 12_000, 343)]);
  const run = (decodeTrigger: boolean) =>
    runReplay({tracePath: trace, policies: ['dynamo-plan'], ttftMs: 10_000, itlMs: 30, startupS: 30, ours: {decode_trigger: decodeTrigger}});

  it('adds decode engines before the first throughput tick only when on, and holds more requests within the SLA', async () => {
    const [on, off] = [await run(true), await run(false)];
    const early = (result: typeof on) => result.policies[0]!.timeline.filter((event) => event.component === 'decode' && event.at_s < 180 && event.to_count > event.from_count);
    expect(early(off)).toHaveLength(0);
    expect(early(on).length).toBeGreaterThan(0);
    expect(on.policies[0]!.sla_attainment).toBeGreaterThan(off.policies[0]!.sla_attainment);
  });
});
