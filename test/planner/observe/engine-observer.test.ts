import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {counterIncrements, readEngineSnapshot} from '../../../src/planner/observe/engine-metrics.js';
import {EngineObserver} from '../../../src/planner/observe/engine-observer.js';
import {staticEngines} from '../../../src/planner/observe/discovery.js';
import {parsePrometheusText} from '../../../src/planner/observe/prometheus-text.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sims: Simulator[] = [];

beforeAll(async () => {
  sims = await Promise.all([0, 1].map(() => startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0})));
});
afterAll(() => Promise.all(sims.map((sim) => sim.close())));

function complete(sim: Simulator, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.url}/v1/completions`, {method: 'POST', signal, headers: {'content-type': 'application/json'},
    body: JSON.stringify({model: MODEL, prompt, max_tokens: maxTokens, ignore_eos: true, stream: true})});
}

describe('EngineObserver against simulated engines', () => {
  it('turns two scrapes into traffic, latency and per-engine observations, and reports a dead engine', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const targets = [...staticEngines(sims.map((sim) => sim.url)), {id: 'dead', url: deadUrl, role: 'agg' as const}];
    const observer = new EngineObserver({model: MODEL, throughputWindowS: 60, timeoutMs: 2000});

    const first = await observer.observe(targets, 100);
    expect(first.scraped).toBe(2);
    expect(first.traffic).toBeUndefined();
    expect(first.issues.some((issue) => issue.startsWith('engine dead: GET'))).toBe(true);

    for (const sim of sims) for (let i = 0; i < 3; i++) await (await complete(sim, `prompt ${i} `.repeat(30 + i * 10), 8)).text();
    const second = await observer.observe(targets, 110);
    expect(second.traffic).toMatchObject({duration_s: 10, num_req: 6, osl: 8});
    // The engines' own histograms say what the mean prompt was.
    const texts = await Promise.all(sims.map((sim) => scrapeMetrics(sim.url)));
    const promptSum = texts.reduce((sum, text) => sum + sampleValue(text, 'vllm:request_prompt_tokens_sum')!, 0);
    expect(second.traffic!.isl).toBeCloseTo(promptSum / 6, 9);
    expect(second.latency.ttft_ms).toBeGreaterThan(0);
    expect(second.latency.itl_ms).toBeGreaterThan(0);
    // agg engines appear in both roles' lists, idle now.
    expect(second.engines.decode!.map((engine) => engine.worker_id)).toEqual(sims.map((sim) => sim.url));
    expect(second.engines.prefill).toHaveLength(2);
    expect(second.engines.decode![0]).toMatchObject({num_decode_requests: 0, queued_decode_kv_tokens: 0, scheduled_decode_kv_tokens: 0, queued_prefill_tokens: 0});
    const prefill = second.engines.prefill![0]!;
    expect(prefill.scheduled_prefill_tokens).toBeGreaterThan(0);
    expect(prefill.scheduled_prefill_tokens! / prefill.num_prefill_requests!).toBeCloseTo(promptSum / 6, 0);
    expect(second.engines.decode![0]!.wall_time_s).toBeCloseTo(second.latency.itl_ms! / 1000, 1);
    expect(second.engines.prefill![0]!.queued_prefill_tokens).toBe(0);
    expect(second.issues.filter((issue) => !issue.startsWith('engine dead'))).toEqual([]);

    // Nothing new: the window still holds the earlier increments.
    const third = await observer.observe(targets, 130);
    expect(third.traffic).toMatchObject({duration_s: 30, num_req: 6});
    // Past the window, the interval with the requests drops out; the latest scrape interval always counts.
    const fourth = await observer.observe(targets, 195);
    expect(fourth.traffic).toMatchObject({duration_s: 65, num_req: 0});
  });

  it('counts the requests finished per scrape interval over the window, summed over engines (the queue model\'s arrivals)', async () => {
    const observer = new EngineObserver({model: MODEL, throughputWindowS: 60});
    const targets = staticEngines(sims.map((sim) => sim.url));
    const finish = async (count: number) => {
      for (let i = 0; i < count; i++) await (await complete(sims[i % 2]!, `arrival ${i} `.repeat(20), 4)).text();
    };
    await observer.observe(targets, 200);
    await finish(3);
    const one = await observer.observe(targets, 205);
    expect(one.traffic!.arrivals).toBeUndefined();
    await finish(1);
    await observer.observe(targets, 210);
    await finish(4);
    const three = await observer.observe(targets, 215);
    expect(three.traffic!.arrivals).toEqual({window_s: 5, counts: [3, 1, 4]});
    expect(three.traffic!.num_req).toBe(8);
    // The prompts, all of one length, fill one bucket of the engines' prompt histogram: the 64 points lie in it.
    const {lengths, isl} = three.traffic!;
    const bucketOf = (tokens: number) => [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((le) => tokens <= le);
    expect(lengths).toHaveLength(64);
    expect(new Set(lengths!.map((point) => bucketOf(point.isl)))).toEqual(new Set([bucketOf(isl!)]));
    expect(lengths!.every((point) => point.osl === 4)).toBe(true);
  });

  it('sees a request in flight as a running decode request holding KV', async () => {
    const observer = new EngineObserver({model: MODEL});
    const aborter = new AbortController();
    const response = await complete(sims[0]!, 'long '.repeat(200), 3000, aborter.signal);
    const reader = response.body!.getReader();
    await reader.read();
    const observation = await observer.observe(staticEngines([sims[0]!.url], 'decode'), 1);
    aborter.abort();
    await reader.cancel().catch(() => {});
    expect(observation.engines.prefill).toEqual([]);
    expect(observation.engines.decode![0]!.num_decode_requests).toBe(1);
    expect(observation.engines.decode![0]!.scheduled_decode_kv_tokens).toBeGreaterThan(200);
  });

  it('filters by model: an engine serving another model has no metrics for this one', async () => {
    const observation = await new EngineObserver({model: 'some/other-model'}).observe(staticEngines([sims[1]!.url]), 1);
    expect(observation.scraped).toBe(0);
    expect(observation.issues[0]).toMatch(/has no vLLM metrics for model some\/other-model/);
  });
});

describe('engine metric arithmetic', () => {
  it('treats NaN samples as absent and says so', () => {
    const {samples} = parsePrometheusText('vllm:num_requests_running{engine="0"} NaN\nvllm:num_requests_running{engine="1"} 2\nvllm:num_requests_waiting{engine="0"} NaN\n');
    const {snapshot, issues} = readEngineSnapshot(samples);
    expect(snapshot.running).toBe(2);
    expect(snapshot.waiting).toBeUndefined();
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/vllm:num_requests_running has a non-finite value \(NaN\)/);
  });

  it('counts a counter that went down as reset: the new value is the growth', () => {
    expect(counterIncrements({requests: 100, promptTokens: 5000}, {requests: 7, promptTokens: 6000})).toEqual({requests: 7, promptTokens: 1000});
    // A series that first appeared since the last scrape grew from zero.
    expect(counterIncrements({}, {steps: 3})).toEqual({steps: 3});
  });

  it('sums data-parallel engine cores and their KV capacity', () => {
    const {samples} = parsePrometheusText([
      'vllm:num_requests_running{engine="0"} 1', 'vllm:num_requests_running{engine="1"} 2',
      'vllm:kv_cache_usage_perc{engine="0"} 0.2', 'vllm:kv_cache_usage_perc{engine="1"} 0.4',
      'vllm:cache_config_info{block_size="16",engine="0",num_gpu_blocks="100"} 1', 'vllm:cache_config_info{block_size="16",engine="1",num_gpu_blocks="100"} 1',
      'vllm:prompt_tokens_total{engine="0"} 10', 'vllm:prompt_tokens_total{engine="1"} 30',
    ].join('\n'));
    const {snapshot} = readEngineSnapshot(samples);
    expect(snapshot).toMatchObject({running: 3, kvCapacityTokens: 3200, counters: {promptTokens: 40}});
    expect(snapshot.kvUsage).toBeCloseTo(0.3);
  });
});
