import {request} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {type Simulator, type SimulatorOptions, startSimulator} from '../../../src/sim/simulator.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, ...options});
  return sim;
}

function post(url: string, path: string, body: object): Promise<Response> {
  return fetch(url + path, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
}

const streamBody = (maxTokens: number) => ({model: MODEL, prompt: 'hello world', max_tokens: maxTokens, ignore_eos: true, stream: true});

describe('sim serve HTTP API', () => {
  it('lists the served model with max_model_len, and tokenizes prompts deterministically', async () => {
    const {url} = await start({servedModelName: 'my-model'});
    const models = await (await fetch(`${url}/v1/models`)).json() as {data: {id: string; root: string; max_model_len: number}[]};
    expect(models.data).toHaveLength(1);
    expect(models.data[0]).toMatchObject({id: 'my-model', root: MODEL});
    expect(models.data[0]!.max_model_len).toBeGreaterThan(1000);
    const once = await (await post(url, '/tokenize', {prompt: 'Hello, world 12345!'})).json() as {count: number; tokens: number[]};
    const twice = await (await post(url, '/tokenize', {prompt: 'Hello, world 12345!'})).json() as {count: number; tokens: number[]};
    // "Hell" "o" "," " worl" "d" " 123" "45" "!"
    expect(once.count).toBe(8);
    expect(once.tokens).toEqual(twice.tokens);
  });

  it('rejects malformed requests with a JSON error body', async () => {
    const {url} = await start();
    const notJson = await fetch(`${url}/v1/completions`, {method: 'POST', body: '{nope'});
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as {error: {message: string}}).error.message).toMatch(/not valid JSON/);
    const badMax = await post(url, '/v1/completions', {model: MODEL, prompt: 'x', max_tokens: -3});
    expect(badMax.status).toBe(400);
    const missing = await fetch(`${url}/v2/nothing`);
    expect(missing.status).toBe(404);
  });

  it('frees the slot and KV blocks of a client that disconnects mid-stream', async () => {
    const {url} = await start();
    const target = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const req = request({host: target.hostname, port: target.port, path: '/v1/completions', method: 'POST', headers: {'content-type': 'application/json'}}, (res) => {
        let chunks = 0;
        res.on('data', () => {
          if (++chunks === 3) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', () => {});
      req.end(JSON.stringify(streamBody(5000)));
      setTimeout(() => reject(new Error('no tokens')), 10_000);
    });
    let metrics = '';
    for (let i = 0; i < 50; i++) {
      metrics = await scrapeMetrics(url);
      if (sampleValue(metrics, 'vllm:num_requests_running') === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sampleValue(metrics, 'vllm:num_requests_running')).toBe(0);
    expect(sampleValue(metrics, 'vllm:kv_cache_usage_perc')).toBe(0);
    expect(sampleValue(metrics, 'vllm:request_success_total', {finished_reason: 'abort'})).toBe(1);
  });

  it('answers 503 on /health and the API until a startup delay has passed', async () => {
    const {url} = await start({faults: {startupDelayS: 0.4}});
    expect((await fetch(`${url}/health`)).status).toBe(503);
    expect((await post(url, '/v1/completions', {model: MODEL, prompt: 'x', max_tokens: 1})).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('injects HTTP 500s, in-band errors, cut connections and stalls at the rates asked', async () => {
    const {url} = await start({faults: {errorRate: 1}});
    const refused = await post(url, '/v1/completions', streamBody(3));
    expect(refused.status).toBe(500);
    await sim!.close();

    const inBand = await start({faults: {inBandErrorRate: 1}});
    const text = await (await post(inBand.url, '/v1/completions', streamBody(50))).text();
    expect(text).toMatch(/data: \{"error":\{"message":"Injected fault/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await sim!.close();

    const cut = await start({faults: {abortRate: 1}});
    const body = await post(cut.url, '/v1/completions', streamBody(50));
    await expect(body.text()).rejects.toThrow();
    await sim!.close();

    const stalled = await start({faults: {stallRate: 1, stallMs: 300}});
    const started = performance.now();
    const reader = (await post(stalled.url, '/v1/completions', streamBody(30))).body!.getReader();
    let longestGap = 0;
    let last = started;
    for (;;) {
      const {done} = await reader.read();
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (done) break;
    }
    expect(longestGap).toBeGreaterThanOrEqual(250);
  });
});
