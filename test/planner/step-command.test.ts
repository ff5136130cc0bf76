// `planner step` as a user runs it: files in, one decision out (--json matches its schema), state carried in a file.
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {fitItl, fitTtft} from '../../src/fit/index.js';
import {loadProfile, profilePoints, saveProfile} from '../../src/profile/artifact.js';
import {importDynamoProfile} from '../../src/profile/import-dynamo.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {dynamoFixtureDir} from '../profile/fixture.js';

let dir: string;
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

async function step(args: string[]): Promise<Record<string, any>> {
  const result = await runCli(['planner', 'step', '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout) as Record<string, any>;
  const validate = schemaValidator('output/planner-step.schema.json');
  expect(validate(output) ? [] : validate.errors).toEqual([]);
  return output;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'planner-step-'));
});

describe('planner step', {timeout: 60_000}, () => {
  it('static thresholds from a YAML config: one prefill engine with a full context queued -> 2 (scale_up)', async () => {
    const config = write('throughput.yaml', 'mode: prefill\noptimization_target: throughput\n');
    const input = write('tick.json', {now_s: 0, capabilities: {prefill: {context_length: 4096}}, worker_counts: {ready_num_prefill: 1}, engines: {prefill: [{worker_id: 'p0', queued_prefill_tokens: 4096}]}});
    const output = await step(['--config', config, '--input', input]);
    expect(output.scale_to).toEqual({prefill: 2, decode: null});
    expect(output.reasons).toMatchObject({load: 'scale_up', throughput: 'disabled'});
  });

  it('any-up/all-down on decode: {50000, 80000+30000} of 100000 -> 3', async () => {
    const config = write('decode.json', {mode: 'decode', optimization_target: 'throughput'});
    const input = write('decode-tick.json', {
      now_s: 0,
      capabilities: {decode: {max_kv_tokens: 100000}},
      worker_counts: {ready_num_decode: 2},
      engines: {decode: [{worker_id: 'd0', scheduled_decode_kv_tokens: 50000}, {worker_id: 'd1', scheduled_decode_kv_tokens: 80000, queued_decode_kv_tokens: 30000}]},
    });
    expect((await step(['--config', config, '--input', input])).scale_to.decode).toBe(3);
  });

  it('--state carries the step-time regression: training, then the consolidation-aware scale-down 2 -> 1', async () => {
    const config = write('sla.json', {mode: 'decode', optimization_target: 'sla', ttft: 500, itl: 100, enable_load_scaling: true, enable_throughput_scaling: false});
    const capabilities = {decode: {max_kv_tokens: 100000}};
    const training = write('train.json', {
      now_s: 0,
      capabilities,
      worker_counts: {ready_num_decode: 5},
      engines: {decode: [5000, 10000, 20000, 30000, 40000].map((kv, index) => ({worker_id: `t${index}`, num_decode_requests: kv / 1000, scheduled_decode_kv_tokens: kv, wall_time_s: 0.00001 * kv + 0.001}))},
    });
    const decision = write('decide.json', {now_s: 5, capabilities, worker_counts: {ready_num_decode: 2}, engines: {decode: [{worker_id: 'd0', scheduled_decode_kv_tokens: 1500}, {worker_id: 'd1', scheduled_decode_kv_tokens: 1500}]}});
    const state = join(dir, 'state.json');
    const first = await step(['--config', config, '--input', training, '--state', state]);
    expect(first.state_file).toBe(state);
    expect(JSON.parse(readFileSync(state, 'utf8')).regression.decode.samples).toHaveLength(5);
    const second = await step(['--config', config, '--input', decision, '--state', state, '--no-save-state']);
    expect(second.scale_to.decode).toBe(1);
    expect(second.reasons.load).toBe('scale_down');
    expect(second.state_file).toBeUndefined();
    // Without the state, the same tick has no regression to decide with.
    expect((await step(['--config', config, '--input', decision])).reasons.load).toBe('insufficient_data');
  });

  it('--profile gives the throughput loop engine capacity', async () => {
    const profile = join(dir, 'profile');
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: profile});
    // An import keeps Dynamo's points only; fit them as `dynamo-plan fit` would.
    const imported = loadProfile(profile);
    const points = profilePoints(profile, imported);
    saveProfile(profile, {...imported, fits: {prefill: fitTtft(points.prefill).model, decode: fitItl(points.decode).model}});
    const config = write('sla-throughput.json', {optimization_target: 'sla', ttft: 500, itl: 50, load_predictor: 'constant', max_gpu_budget: -1});
    const input = write('traffic.json', {now_s: 0, traffic: {duration_s: 180, num_req: 1800, isl: 3000, osl: 150}, worker_counts: {ready_num_prefill: 1, ready_num_decode: 1}});
    const output = await step(['--config', config, '--input', input, '--profile', profile]);
    expect(output.reasons.throughput).toBe('scale');
    expect(output.diagnostics.capacity_source.prefill).toBe(join(profile, 'profile.json'));
    expect(output.diagnostics.engine_capacity_rps.prefill).toBeGreaterThan(0);
    const needed = Math.ceil(10 / output.diagnostics.engine_capacity_rps.prefill);
    expect(output.scale_to.prefill ?? 1).toBe(Math.max(1, needed));
  });

  it('--state carries the queue model\'s trigger floor from a load tick to the next throughput tick', async () => {
    const config = write('queue.json', {optimization_target: 'sla', ttft: 500, itl: 30, load_predictor: 'constant', max_gpu_budget: -1, queue_model_percentile: 99, prefill_queue_trigger_share: 0.5, engine_startup_s: 60});
    const fleet = (prefill: number) => ({ready_num_prefill: prefill, ready_num_decode: 1, expected_num_prefill: prefill, expected_num_decode: 1});
    // A first throughput tick at low load, then a load tick with 2 s of 3000-token prompts queued per engine.
    const quiet = {duration_s: 180, num_req: 36, isl: 3000, osl: 150};
    const state = join(dir, 'queue-state.json');
    const profile = ['--profile', 'profiles/engines/meta-llama_llama-3.1-8b-instruct_h100_sxm_tp1'];
    const first = await step(['--config', config, '--input', write('q0.json', {now_s: 0, traffic: quiet, worker_counts: fleet(2)}), '--state', state, ...profile]);
    expect(first.scale_to.prefill).toBe(1);
    const burst = write('q1.json', {now_s: 5, worker_counts: fleet(1), engines: {prefill: [{worker_id: 'p0', queued_prefill_tokens: 40_000}]}});
    const fired = await step(['--config', config, '--input', burst, '--state', state, ...profile]);
    expect(fired.scale_to.prefill).toBe(2);
    expect(fired.reasons.load).toBe('queue_trigger');
    const saved = JSON.parse(readFileSync(state, 'utf8'));
    const validate = schemaValidator('planner-state.schema.json');
    expect(validate(saved) ? [] : validate.errors).toEqual([]);
    expect(saved.queue_model.held.prefill).toEqual({count: 2, until_s: 245});
    // The next throughput tick sees the same low load and would size 1 engine: the floor keeps 2.
    const held = await step(['--config', config, '--input', write('q2.json', {now_s: 180, traffic: quiet, worker_counts: fleet(2)}), '--state', state, ...profile]);
    expect(held.scale_to.prefill).toBeNull();
  });

  it('a contradictory config fails with exit 3, a hint, and writes no state', async () => {
    const config = write('bad.json', {optimization_target: 'sla', itl: 50});
    const input = write('empty-tick.json', {now_s: 0});
    const state = join(dir, 'never.json');
    const result = await runCli(['planner', 'step', '--config', config, '--input', input, '--state', state]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^Error: .*TTFT target/);
    expect(result.stderr).toMatch(/Hint: /);
    expect(existsSync(state)).toBe(false);
  });
});
