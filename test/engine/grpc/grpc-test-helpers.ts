import {expect} from 'vitest';
import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../../../src/engine/types.js';
import {type Simulator, type SimulatorOptions, startSimulator} from '../../../src/sim/simulator.js';
import {sampleValue, scrapeMetrics} from '../../helpers/metrics-text.js';

export const MODEL = 'Qwen/Qwen3-0.6B';

export function startGrpcSimulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, grpcPort: 0, ...options});
}

export interface Collected {
  events: StreamEvent[];
  result: GenerationResult;
}

/** Run one request, keeping every event; `onContent` sees the running count of content events. */
export async function collect(client: EngineClient, input: GenerationInput, options: {signal?: AbortSignal; onContent?: (count: number) => void} = {}): Promise<Collected> {
  const events: StreamEvent[] = [];
  let contents = 0;
  const result = await client.generate(input, (event) => {
    events.push(event);
    if (event.type === 'content') options.onContent?.(++contents);
  }, options.signal);
  return {events, result};
}

export function contentEvents(events: StreamEvent[]): Extract<StreamEvent, {type: 'content'}>[] {
  return events.filter((event): event is Extract<StreamEvent, {type: 'content'}> => event.type === 'content');
}

/** Scrape /metrics until `ready(text)` holds (the engine finishes aborted requests asynchronously), at most ~2 s. */
export async function metricsWhen(sim: Simulator, ready: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = await scrapeMetrics(sim.url);
    if (ready(text)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return text;
}

export const abortedRequests = (text: string) => sampleValue(text, 'vllm:request_success_total', {finished_reason: 'abort'});

/** Prompt token count as the simulator's tokenizer sees it, via its /tokenize endpoint. */
export async function promptTokens(sim: Simulator, prompt: string): Promise<number> {
  const response = await fetch(`${sim.url}/tokenize`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({prompt})});
  return ((await response.json()) as {count: number}).count;
}

/**
 * Abort a long request after its third token and check the client reports 'aborted' with exactly those tokens, and
 * the engine counts one aborted request. Returns the engine's metrics for transport-specific checks.
 */
export async function abortAfterThreeTokens(client: EngineClient, sim: Simulator): Promise<string> {
  const controller = new AbortController();
  const {events, result} = await collect(client, {prompt: 'hello', maxTokens: 5000, ignoreEos: true}, {
    signal: controller.signal,
    onContent: (count) => count === 3 && controller.abort(),
  });
  expect(result.error?.kind).toBe('aborted');
  expect(contentEvents(events)).toHaveLength(3);
  const metrics = await metricsWhen(sim, (text) => abortedRequests(text) === 1);
  expect(abortedRequests(metrics)).toBe(1);
  return metrics;
}
