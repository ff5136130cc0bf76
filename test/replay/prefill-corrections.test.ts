// dynamo-plan's queue model in replay: the triggers act between throughput ticks, the policy starts from its own
// sizing of the opening interval, and the built-in policy is a planner configuration like any user's.
import {writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {builtinPolicy} from '../../src/replay/policies.js';
import {runReplay} from './imports.js';
import {steady, writeTrace} from './fixture.js';

describe('queue-time trigger', () => {
  // 1 req/s through the first throughput interval, which the opening fleet and the first tick size for, then 60 req/s
  // of 3000-token prompts from 200 s: far beyond that fleet, long before the next throughput tick at 360 s.
  const trace = writeTrace([...steady(1, 0, 200, 3000, 20), ...steady(60, 200, 340, 3000, 20)]);
  const run = (queueTrigger: boolean) =>
    runReplay({tracePath: trace, policies: ['dynamo-plan'], ttftMs: 500, itlMs: 30, startupS: 30, ours: {arrival_variability: false, ttft_feedback: false, queue_trigger: queueTrigger}});

  it('adds prefill engines between throughput ticks only when on', async () => {
    const [on, off] = [await run(true), await run(false)];
    const early = (result: typeof on) => result.policies[0]!.timeline.filter((event) => event.component === 'prefill' && event.at_s > 180 && event.at_s < 360 && event.to_count > event.from_count);
    expect(early(off)).toHaveLength(0);
    expect(early(on).length).toBeGreaterThan(0);
    expect(on.policies[0]!.sla_attainment).toBeGreaterThan(off.policies[0]!.sla_attainment);
  });
});

describe('dynamo-plan is a planner configuration', {timeout: 120_000}, () => {
  // 60 s at 2 req/s, then 4 minutes at 30 req/s of 2000-token prompts.
  const trace = writeTrace([...steady(2, 0, 60, 2000, 50), ...steady(30, 60, 300, 2000, 50)]);
  const base = {mode: 'disagg' as const, sla: {ttft_ms: 500, itl_ms: 30}, max_gpu_budget: -1, min_endpoint: 1, startup_s: 30};

  it('replays the same from a config file holding its fields as the built-in does: what replay measures is what `planner run` runs', async () => {
    const policy = builtinPolicy('dynamo-plan', base);
    if (policy.kind !== 'planner') throw new Error('dynamo-plan is a planner policy');
    const {profile_results_dir: _dirs, ...fields} = policy.config;
    const file = join(dirname(trace), 'ours.json');
    writeFileSync(file, JSON.stringify(fields));
    const result = await runReplay({tracePath: trace, configPath: file, policies: ['dynamo-plan'], startupS: 30});
    const [builtin, fromFile] = result.policies;
    expect(fromFile!.name).toBe('ours');
    expect(fromFile!.initial_replicas).toEqual(builtin!.initial_replicas);
    expect(fromFile!.timeline).toEqual(builtin!.timeline);
    expect(fromFile!.sla_attainment).toBe(builtin!.sla_attainment);
    expect(fromFile!.gpu_hours).toBe(builtin!.gpu_hours);
  });

  it('starts from its own sizing of the opening interval, where the Dynamo policies start from Dynamo\'s', async () => {
    // 20 req/s of 2000-token prompts arriving as one clump a second: a queue Dynamo's 1 / TTFT sizing does not see.
    const opening = writeTrace(steady(20, 0, 200, 2000, 50).map((request) => ({...request, atS: Math.floor(request.atS)})));
    const result = await runReplay({tracePath: opening, policies: ['dynamo-sla', 'dynamo-plan'], ttftMs: 500, itlMs: 30, startupS: 30});
    const [dynamo, ours] = result.policies;
    expect(dynamo!.initial_replicas).toEqual(result.replicas.initial);
    expect(ours!.initial_replicas.prefill).toBeGreaterThan(dynamo!.initial_replicas.prefill);
    expect(ours!.sla_attainment).toBeGreaterThan(dynamo!.sla_attainment);
  });
});
