import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {listModels, OpenAiHttpClient, tokenize} from '../../../src/engine/openai-http/index.js';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {freePort} from '../../helpers/free-port.js';
import {collect} from './collect.js';
import {startCraftedServer} from './crafted-server.js';

const MODEL = 'Qwen/Qwen3-0.6B';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0});
});
afterAll(() => sim.close());

async function rejection(promise: Promise<unknown>): Promise<DynamoPlanError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DynamoPlanError);
  return error as DynamoPlanError;
}

describe('listModels and tokenize', () => {
  it('list the served models with their context length', async () => {
    expect(await listModels(sim.url)).toEqual([{id: MODEL, maxModelLen: sim.info.maxModelLen}]);
    expect(await listModels(`${sim.url}/v1`)).toHaveLength(1);
  });

  it('count the tokens of a prompt and of a chat, the chat template adding some', async () => {
    const prompt = await tokenize(sim.url, MODEL, 'Hello, world 12345!');
    const chat = await tokenize(sim.url, MODEL, [{role: 'user', content: 'Hello, world 12345!'}]);
    expect(prompt).toBe(8);
    expect(chat).toBeGreaterThan(8);
  });

  it('tokenize answers undefined when the server has no /tokenize route', async () => {
    const server = await startCraftedServer((request) => ({status: request.url === '/tokenize' ? 404 : 405, headers: {'content-type': 'application/json'}, steps: ['{"detail":"Not Found"}']}));
    try {
      expect(await tokenize(server.url, 'm', 'hi')).toBeUndefined();
      expect(await tokenize(`${server.url}/prefix`, 'm', 'hi')).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('report an engine that answers with an error status as unreachable, with its message', async () => {
    const starting = await startSimulator({model: MODEL, gpu: 'h100_sxm', port: 0, faults: {startupDelayS: 5}});
    try {
      const error = await rejection(listModels(starting.url));
      expect(error.exitCode).toBe(4);
      expect(error.message).toMatch(/HTTP 503: .*starting up/);
      expect(error.hint).toMatch(/health/);
    } finally {
      await starting.close();
    }
  });

  it('report an interrupted call as interrupted', async () => {
    const error = await rejection(listModels(sim.url, {signal: AbortSignal.abort()}));
    expect(error.exitCode).toBe(130);
  });
});

describe('unreachable targets', () => {
  it('a closed port: connection_refused from generate, exit 4 with a hint from listModels and tokenize', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const client = new OpenAiHttpClient({baseUrl: url, api: 'completions', model: 'm'});
    const {events, result} = await collect(client);
    await client.close();
    expect(events).toEqual([]);
    expect(result.error?.kind).toBe('connection_refused');
    for (const call of [listModels(url), tokenize(url, 'm', 'hi')]) {
      const error = await rejection(call);
      expect(error.exitCode).toBe(4);
      expect(error.message).toMatch(/Connection refused/);
      expect(error.hint).toMatch(/running/);
    }
  });

  it('an unknown host: dns from generate, exit 4 with a hint from listModels', async () => {
    const url = 'http://no-such-host.invalid';
    const client = new OpenAiHttpClient({baseUrl: url, api: 'chat', model: 'm'});
    const {result} = await collect(client);
    await client.close();
    expect(result.error?.kind).toBe('dns');
    const error = await rejection(listModels(url));
    expect(error.exitCode).toBe(4);
    expect(error.hint).toMatch(/host name/);
  });

  it('a URL that is not http(s) is bad input', () => {
    expect(() => new OpenAiHttpClient({baseUrl: 'ftp://example.com', api: 'chat', model: 'm'})).toThrow(/Unsupported URL scheme/);
    expect(() => new OpenAiHttpClient({baseUrl: 'localhost:8000', api: 'chat', model: 'm'})).toThrow(DynamoPlanError);
  });
});
