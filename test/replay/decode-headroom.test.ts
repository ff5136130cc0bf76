// dynamo-plan on long prompts (Mooncake's 12k tokens): decode sized with room in the KV cache (the queue model's
// decode_kv_headroom, tested in test/planner/queue-model), and the decode trigger between throughput ticks.
import {describe, expect, it} from 'vitest';
import {builtinPolicy} from '../../src/replay/policies.js';
import {runReplay} from './imports.js';
import {steady, writeTrace} from './fixture.js';

describe('decode headroom', () => {
  it('is dynamo-plan\'s default and can be switched off', () => {
    const base = {mode: 'disagg' as const, sla: {ttft_ms: 10_000, itl_ms: 30}, max_gpu_budget: -1, min_endpoint: 1, startup_s: 60};
    const on = builtinPolicy('dynamo-plan', base);
    const off = builtinPolicy('dynamo-plan', {...base, ours: {decode_headroom: false}});
    expect(on.kind === 'planner' && on.config.decode_kv_headroom).toBe(true);
    expect(off.kind === 'planner' && off.config.decode_kv_headroom).toBe(false);
  });
});

describe('decode trigger', () => {
  // Long prompts at 1 req/s, then 12 req/s from 90 s: the opening fleet, sized for the first 180 s's mean (about 6
  // req/s), runs its decode KV caches full and prompts wait for KV room before the first throughput tick at 180 s.
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
