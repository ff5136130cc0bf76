import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0});
  // Some traffic, so histograms, counters and labelled series are populated.
  await Promise.all(Array.from({length: 4}, (_, i) =>
    fetch(`${sim.url}/v1/completions`, {method: 'POST', body: JSON.stringify({model: MODEL, prompt: `request ${i} `.repeat(40), max_tokens: 8, ignore_eos: true, stream: true})}).then((r) => r.text())));
});
afterAll(() => sim.close());

describe('/metrics', () => {
  it('exposes the vLLM V1 families with their types, labels and buckets', async () => {
    const text = await scrapeMetrics(sim.url);
    const types = Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(types).toMatchObject({
      'vllm:num_requests_running': 'gauge',
      'vllm:num_requests_waiting': 'gauge',
      'vllm:kv_cache_usage_perc': 'gauge',
      'vllm:prompt_tokens_total': 'counter',
      'vllm:generation_tokens_total': 'counter',
      'vllm:request_success_total': 'counter',
      'vllm:num_preemptions_total': 'counter',
      'vllm:prefix_cache_queries_total': 'counter',
      'vllm:prefix_cache_hits_total': 'counter',
      'vllm:time_to_first_token_seconds': 'histogram',
      'vllm:inter_token_latency_seconds': 'histogram',
      'vllm:e2e_request_latency_seconds': 'histogram',
      'vllm:request_queue_time_seconds': 'histogram',
      'vllm:request_prefill_time_seconds': 'histogram',
      'vllm:request_decode_time_seconds': 'histogram',
      'vllm:iteration_tokens_total': 'histogram',
      'vllm:cache_config_info': 'gauge',
    });
    expect(sampleValue(text, 'vllm:generation_tokens_total', {engine: '0', model_name: MODEL})).toBe(32);
    expect(sampleValue(text, 'vllm:request_success_total', {finished_reason: 'length'})).toBe(4);
    expect(sampleValue(text, 'vllm:time_to_first_token_seconds_count')).toBe(4);
    expect(sampleValue(text, 'vllm:inter_token_latency_seconds_count')).toBe(28);
    expect(text).toMatch(/vllm:time_to_first_token_seconds_bucket\{le="0\.001",engine="0",model_name="Qwen\/Qwen3-0\.6B"\}/);
    expect(text).toMatch(/vllm:time_to_first_token_seconds_bucket\{le="2560"/);
    const blocks = /vllm:cache_config_info\{[^}]*num_gpu_blocks="(\d+)"/.exec(text);
    expect(Number(blocks?.[1])).toBe(sim.info.numGpuBlocks);
    expect(text).toMatch(/vllm:cache_config_info\{[^}]*block_size="16"/);
  });

  it('is accepted by promtool check metrics (apart from the colon and _total lints that vLLM\'s own names carry)', async () => {
    const text = await scrapeMetrics(sim.url);
    const result = spawnSync('promtool', ['check', 'metrics'], {input: text, encoding: 'utf8'});
    expect(result.error).toBeUndefined();
    // Exit 1 would mean the exposition does not parse; 3 means lint findings, which must all be the naming
    // conventions vLLM itself breaks (colons in names; a histogram called iteration_tokens_total).
    expect(result.status === 0 || result.status === 3).toBe(true);
    const findings = (result.stdout + result.stderr).split('\n').filter((line) => line.trim() !== '');
    const inherent = (line: string) => / metric names should not contain ':'$/.test(line) ||
      line === 'vllm:iteration_tokens_total non-counter metrics should not have "_total" suffix';
    expect(findings.filter((line) => !inherent(line))).toEqual([]);
  });
});

describe('a real Prometheus server', () => {
  let prometheus: ChildProcess | undefined;
  let dir = '';
  afterAll(() => {
    prometheus?.kill('SIGKILL');
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it('scrapes the simulator and answers queries over its data', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-prom-'));
    const port = await freePort();
    const target = new URL(sim.url).host;
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: sim\n    static_configs:\n      - targets: ['${target}']\n`);
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], {stdio: 'ignore'});
    const query = async (promql: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
      return ((await response.json()) as {data: {result: {metric: Record<string, string>; value: [number, string]}[]}}).data.result;
    };
    let result: Awaited<ReturnType<typeof query>> = [];
    for (let attempt = 0; attempt < 100 && result.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      result = await query('vllm:generation_tokens_total').catch(() => []);
    }
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({job: 'sim', model_name: MODEL, engine: '0'});
    expect(Number(result[0]!.value[1])).toBe(32);
    const up = await query('up{job="sim"}');
    expect(up[0]!.value[1]).toBe('1');
    const cacheInfo = await query('vllm:cache_config_info');
    expect(Number(cacheInfo[0]!.metric.num_gpu_blocks)).toBe(sim.info.numGpuBlocks);
  }, 60_000);
});
