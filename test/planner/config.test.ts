import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../src/errors/errors.js';
import {loadPlannerConfig} from '../../src/planner/config.js';
import {config} from './helpers.js';

function failure(fields: Record<string, unknown>): DynamoPlanError {
  try {
    config(fields);
  } catch (error) {
    return error as DynamoPlanError;
  }
  throw new Error('expected the config to be refused');
}

describe('planner config', () => {
  it("applies Dynamo's defaults, and the non-sla targets run the load loop only", () => {
    const plan = config({});
    expect(plan).toMatchObject({mode: 'disagg', optimization_target: 'throughput', throughput_adjustment_interval: 180, load_adjustment_interval: 5, ttft: 500, itl: 50, max_gpu_budget: 8, min_endpoint: 1, load_predictor: 'arima', load_scaling_down_sensitivity: 80, max_num_fpm_samples: 64});
    expect(plan.enable_load_scaling).toBe(true);
    expect(plan.enable_throughput_scaling).toBe(false);
    expect(plan).toMatchObject({throughput_sizing_percentile: null, engine_startup_s: 0, scale_down_sustained_ticks: 1, scale_down_cooldown_s: 0, scale_down_at_zero_traffic: false, scale_to_zero_idle_s: null});
  });

  it('folds aliases (ttft_ms, *_seconds, no_operation)', () => {
    const plan = config({optimization_target: 'sla', ttft_ms: 200, itl_ms: 20, throughput_adjustment_interval_seconds: 60, no_operation: true});
    expect(plan).toMatchObject({ttft: 200, itl: 20, throughput_adjustment_interval: 60, advisory: true});
  });

  const refusals: [string, Record<string, unknown>, string | RegExp][] = [
    ['an unknown field', {max_replicas: 4}, 'E_SCHEMA_INVALID'],
    ['sla without ttft', {optimization_target: 'sla', itl: 50}, /TTFT target/],
    ['sla without itl', {optimization_target: 'sla', ttft: 500}, /ITL target/],
    ['sla with both loops off', {optimization_target: 'sla', ttft: 500, itl: 50, enable_throughput_scaling: false}, /both/],
    ['a load interval not shorter than the throughput interval', {optimization_target: 'sla', ttft: 500, itl: 50, enable_load_scaling: true, load_adjustment_interval: 60, throughput_adjustment_interval: 60}, /shorter/],
    ['a budget below min_endpoint GPUs', {max_gpu_budget: 3, min_endpoint: 1, prefill_engine_num_gpu: 2, decode_engine_num_gpu: 2}, /below the 4 GPUs/],
    ['throughput scaling under a non-sla target', {optimization_target: 'latency', enable_throughput_scaling: true}, /enable_throughput_scaling/],
    ['a bucket size that is not a perfect square', {fpm_sample_bucket_size: 10}, /perfect square/],
    ['target load without thresholds', {optimization_target: 'load', mode: 'decode'}, /decode_scale_up_kv_rate/],
    ['target load with inverted thresholds', {optimization_target: 'load', mode: 'prefill', prefill_scale_up_queue_tokens: 100, prefill_scale_down_queue_tokens: 200}, /above/],
    ['an alias that disagrees', {optimization_target: 'sla', ttft: 500, ttft_ms: 400, itl: 50}, /disagree/],
    ["Dynamo's prophet predictor", {load_predictor: 'prophet'}, 'E_SCHEMA_INVALID'],
    ['sweeping mode none with throughput scaling', {optimization_target: 'sla', ttft: 500, itl: 50, pre_deployment_sweeping_mode: 'none'}, /none/],
  ];
  for (const [what, fields, expected] of refusals) {
    it(`refuses ${what} with exit 3 and a hint`, () => {
      const error = failure(fields);
      expect(error).toBeInstanceOf(DynamoPlanError);
      expect(error.exitCode).toBe(3);
      expect(error.hint).toBeTruthy();
      if (typeof expected === 'string') expect(error.code).toBe(expected);
      else expect(error.message).toMatch(expected);
    });
  }

  it('reads YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-config-'));
    const path = join(dir, 'planner.yaml');
    writeFileSync(path, 'mode: decode\noptimization_target: load\ndecode_scale_up_kv_rate: 80\ndecode_scale_down_kv_rate: 40\n');
    expect(loadPlannerConfig(path)).toMatchObject({mode: 'decode', optimization_target: 'load', decode_scale_up_kv_rate: 80});
  });
});
