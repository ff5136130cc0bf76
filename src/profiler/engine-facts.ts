import {Pool} from 'undici';
import {unreachable} from '../errors/errors.js';

/** What an engine tells about itself over HTTP: max_model_len from /v1/models, KV capacity from /metrics. */
export interface DiscoveredFacts {
  maxModelLen?: number;
  /** vllm:cache_config_info num_gpu_blocks x block_size. */
  kvCapacityTokens?: number;
}

/** Read what the engine exposes; anything it does not expose stays undefined for flags or inference to fill. */
export async function discoverEngineFacts(baseUrl: string): Promise<DiscoveredFacts> {
  const origin = new URL(baseUrl).origin;
  const pool = new Pool(origin, {connections: 1});
  try {
    const facts: DiscoveredFacts = {};
    const models = await getText(pool, '/v1/models');
    const maxModelLen = /"max_model_len"\s*:\s*(\d+)/.exec(models ?? '')?.[1];
    if (maxModelLen) facts.maxModelLen = Number(maxModelLen);
    const metrics = await getText(pool, '/metrics');
    const info = /^vllm:cache_config_info\{([^}]*)\}/m.exec(metrics ?? '')?.[1] ?? '';
    const blocks = /num_gpu_blocks="(\d+)"/.exec(info)?.[1];
    const blockSize = /block_size="(\d+)"/.exec(info)?.[1];
    if (blocks && blockSize) facts.kvCapacityTokens = Number(blocks) * Number(blockSize);
    return facts;
  } catch (error) {
    throw unreachable(`Cannot read engine facts from ${origin}: ${(error as Error).message}.`, 'Check the endpoint URL, or pass --kv-capacity and --max-model-len.', error);
  } finally {
    await pool.close();
  }
}

async function getText(pool: Pool, path: string): Promise<string | undefined> {
  const response = await pool.request({method: 'GET', path});
  const text = await response.body.text();
  return response.statusCode === 200 ? text : undefined;
}
