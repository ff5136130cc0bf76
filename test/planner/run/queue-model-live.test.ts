// The queue model in the live loop, over real sockets: a simulated engine that admits one sequence at a time, flooded
// with prompts, is scraped over HTTP; its waiting requests become KV waiting for room, and the decode trigger asks for
// a second engine on the next load tick (advisory mode: decided and reported, not acted on).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parsePlannerConfig} from '../../../src/planner/config.js';
import {type EngineSource, runPlannerLoop, type TickRecord} from '../../../src/planner/service/index.js';
import {DiagnosticsRecorder} from '../../../src/planner/telemetry/index.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';

const MODEL = 'Qwen/Qwen3-0.6B';
const KV_TOKENS = 4000;
const config = parsePlannerConfig({
  mode: 'decode', optimization_target: 'sla', ttft: 500, itl: 50, load_adjustment_interval: 0.5, throughput_adjustment_interval: 4,
  decode_kv_trigger_share: 0.5, max_gpu_budget: 4, report_interval_hours: null,
}, 'test config');

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, maxNumSeqs: 1});
});
afterAll(async () => {
  await sim.close();
});

const complete = (maxTokens: number) =>
  fetch(`${sim.url}/v1/completions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({model: MODEL, prompt: 'tell me a story '.repeat(250), max_tokens: maxTokens, ignore_eos: true})}).then((response) => response.text());

describe('planner run with the queue model', {timeout: 60_000}, () => {
  it('the decode trigger asks for an engine when prompts wait for KV room, with reason queue_trigger', async () => {
    // Finished requests first: the engine's prompt-length histogram turns waiting requests into tokens.
    await Promise.all([complete(4), complete(4)]);
    const engineSource: EngineSource = async () => ({engines: [{id: 'd0', url: sim.url, role: 'decode' as const}], issues: []});
    const controller = new AbortController();
    const records: TickRecord[] = [];
    let flood: Promise<unknown> | undefined;
    await runPlannerLoop({
      config, recorder: new DiagnosticsRecorder(), advisory: true, engineSource, capabilities: {decode: {num_gpu: 1, max_kv_tokens: KV_TOKENS}}, signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== 'tick') return;
        records.push(event.record);
        // After two quiet ticks, eight long requests at once: one runs, seven wait (~7 x 750 tokens of KV).
        if (records.length === 2) flood = Promise.all(Array.from({length: 8}, () => complete(200)));
        if (records.some((record) => record.reasons.load === 'queue_trigger') || records.length > 40) controller.abort();
      },
    });
    await flood;
    const quiet = records.slice(0, 2);
    expect(quiet.every((record) => record.scale_to.decode === null)).toBe(true);
    const fired = records.find((record) => record.reasons.load === 'queue_trigger');
    expect(fired, JSON.stringify(records.map((record) => [record.reasons, record.notes]))).toBeDefined();
    expect(fired!.scale_to.decode).toBe(2);
    expect(fired!.action).toEqual({status: 'advisory', targets: {decode: 2}});
    expect(fired!.notes.join('\n')).toMatch(/decode trigger: \d+ KV tokens wait for room/);
  });
});
