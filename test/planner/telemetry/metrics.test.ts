import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {createPlannerMetrics, LOAD_DECISION_STATES, PLANNER_METRIC_NAMES, THROUGHPUT_DECISION_STATES} from '../../../src/planner/telemetry/index.js';
import {sampleValue} from '../../helpers/metrics-text.js';
import {fullSnapshots} from './snapshots.js';

const REFERENCE = fileURLToPath(new URL('../../../../shared/reference/dynamo-planner.md', import.meta.url));
const ENGINE_LABELS = ['worker_id', 'dp_rank'];

/** The metric names section 4 of the reference lists under Gauges and Enums (backticked, without the prefix). */
function referenceNames(): string[] {
  const text = readFileSync(REFERENCE, 'utf8');
  const section = text.slice(text.indexOf('## 4. Metrics'), text.indexOf('**Other series:**'));
  const tokens = [...section.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!);
  return tokens.filter((token) => !ENGINE_LABELS.includes(token) && token !== 'dynamo_planner_');
}

/** Every sample line of one family, as `{labels} value`. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).map((line) => line.slice(name.length));
}

describe('createPlannerMetrics', () => {
  it('exposes exactly the dynamo_planner_* names the reference lists', async () => {
    const reference = referenceNames();
    expect(reference.length).toBeGreaterThan(20);
    expect([...PLANNER_METRIC_NAMES].sort()).toEqual(reference.map((name) => `dynamo_planner_${name}`).sort());
    const {registry} = createPlannerMetrics();
    const exposed = [...(await registry.metrics()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1], match[2]]);
    expect(exposed.map(([name]) => name).sort()).toEqual([...PLANNER_METRIC_NAMES].sort());
    expect(exposed.every(([, type]) => type === 'gauge')).toBe(true);
  });

  it('carries Dynamo\'s help texts and the per-engine labels', async () => {
    const metrics = createPlannerMetrics();
    metrics.record(fullSnapshots(1)[0]!);
    const text = await metrics.registry.metrics();
    expect(text).toContain('# HELP dynamo_planner_gpu_hours Cumulative GPU hours consumed\n');
    expect(text).toContain('# HELP dynamo_planner_estimated_ttft_ms Max estimated TTFT from regression across engines (ms)\n');
    expect(text).toContain('# HELP dynamo_planner_load_scaling_decision Load-based scaling decision reason\n');
    expect(text).toContain('dynamo_planner_engine_queued_prefill_tokens{worker_id="p1",dp_rank="0"}');
  });

  it('is accepted by promtool check metrics (apart from the unit lints Dynamo\'s own names carry)', async () => {
    const metrics = createPlannerMetrics({modelName: 'meta-llama/Llama-3.1-8B'});
    const snapshot = fullSnapshots(3)[2]!;
    metrics.record({...snapshot, reasons: {load: 'scale_up', throughput: 'a_reason_beyond_the_list'}}, {gpuHours: 2.5});
    const result = spawnSync('promtool', ['check', 'metrics'], {input: await metrics.registry.metrics(), encoding: 'utf8'});
    expect(result.error).toBeUndefined();
    // Exit 1 would mean the exposition does not parse; 3 means lint findings, which must all be Dynamo's names
    // (`_ms` suffixes and `gpu_hours`), kept so existing dashboards work.
    expect(result.status === 0 || result.status === 3).toBe(true);
    const findings = (result.stdout + result.stderr).split('\n').filter((line) => line.trim() !== '');
    const inherent = (line: string) => / metric names should not contain abbreviated units$/.test(line) && /_ms /.test(line) ||
      line === 'dynamo_planner_gpu_hours use base unit "seconds" instead of "hours"';
    expect(findings.filter((line) => !inherent(line))).toEqual([]);
  });

  it('sets the gauges from a snapshot, keeps the last value where a tick lacks one, and replaces engine series', async () => {
    const metrics = createPlannerMetrics();
    const [first, second] = fullSnapshots(2);
    metrics.record(first!, {gpuHours: 1.5});
    let text = await metrics.registry.metrics();
    expect(sampleValue(text, 'dynamo_planner_num_prefill_replicas')).toBe(2);
    expect(sampleValue(text, 'dynamo_planner_sla_target_ttft_ms')).toBe(500);
    expect(sampleValue(text, 'dynamo_planner_observed_requests_per_second')).toBeCloseTo(first!.observed!.requests_per_second!, 12);
    expect(sampleValue(text, 'dynamo_planner_engine_decode_capacity_requests_per_second')).toBe(4.2);
    expect(sampleValue(text, 'dynamo_planner_gpu_hours')).toBe(1.5);
    expect(sampleValue(text, 'dynamo_planner_engine_inflight_decode_kv_tokens', {worker_id: 'd1'})).toBeCloseTo(8000 * first!.observed!.requests_per_second!, 6);

    // A tick with no traffic data, a NaN and one decode engine gone.
    metrics.record({
      ...second!,
      observed: {ttft_ms: Number.NaN},
      engines: {decode: [{worker_id: 'd0', queued_decode_kv_tokens: 7, inflight_decode_kv_tokens: 9}]},
      scale_to: {decode: 4, prefill: null},
    });
    text = await metrics.registry.metrics();
    expect(sampleValue(text, 'dynamo_planner_observed_requests_per_second')).toBeCloseTo(first!.observed!.requests_per_second!, 12);
    expect(sampleValue(text, 'dynamo_planner_observed_ttft_ms')).toBeCloseTo(first!.observed!.ttft_ms!, 12);
    expect(samples(text, 'dynamo_planner_engine_inflight_decode_kv_tokens')).toEqual(['{worker_id="d0",dp_rank="0"} 9']);
    expect(samples(text, 'dynamo_planner_engine_queued_prefill_tokens')).toEqual([]);
    expect(sampleValue(text, 'dynamo_planner_predicted_num_decode_replicas')).toBe(4);
    expect(sampleValue(text, 'dynamo_planner_predicted_num_prefill_replicas')).toBe(0);
  });

  it('exposes the decision reasons as enum gauges: 1 for the current state, 0 for the others, unset at first', async () => {
    const metrics = createPlannerMetrics();
    const name = 'dynamo_planner_load_scaling_decision';
    const current = async (family: string) =>
      samples(await metrics.registry.metrics(), family).filter((line) => line.endsWith(' 1')).map((line) => /="([^"]+)"/.exec(line)![1]);
    expect(samples(await metrics.registry.metrics(), name)).toHaveLength(LOAD_DECISION_STATES.length);
    expect(await current(name)).toEqual(['unset']);
    expect(await current('dynamo_planner_throughput_scaling_decision')).toEqual(['unset']);

    metrics.record({now_s: 1, reasons: {load: 'scale_down_capped_by_throughput', throughput: 'set_lower_bound'}});
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, name, {[name]: 'scale_down_capped_by_throughput'})).toBe(1);
    expect(sampleValue(text, name, {[name]: 'unset'})).toBe(0);
    expect(await current('dynamo_planner_throughput_scaling_decision')).toEqual(['set_lower_bound']);

    // A reason beyond the list is appended after the known states, which keep their series.
    metrics.record({now_s: 2, reasons: {load: 'hold_missing_engine'}});
    const lines = samples(await metrics.registry.metrics(), name);
    expect(lines.map((line) => /="([^"]+)"/.exec(line)![1])).toEqual([...LOAD_DECISION_STATES, 'hold_missing_engine']);
    expect(await current(name)).toEqual(['hold_missing_engine']);
    expect(samples(await metrics.registry.metrics(), 'dynamo_planner_throughput_scaling_decision')).toHaveLength(THROUGHPUT_DECISION_STATES.length);
  });

  it('labels every series with model_name when one is given', async () => {
    const metrics = createPlannerMetrics({modelName: 'Qwen/Qwen3-0.6B'});
    metrics.record(fullSnapshots(1)[0]!, {gpuHours: 0});
    const text = await metrics.registry.metrics();
    const sampleLines = text.split('\n').filter((line) => line.startsWith('dynamo_planner_'));
    expect(sampleLines.length).toBeGreaterThan(30);
    expect(sampleLines.every((line) => line.includes('model_name="Qwen/Qwen3-0.6B"'))).toBe(true);
  });
});
