import {badInput} from '../../errors/errors.js';
import type {EngineRole} from '../types.js';
import type {SimRequest} from './request.js';

export interface SchedulerConfig {
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  blockSize: number;
  /** As vLLM reports it; like vLLM, one block is reserved as the null block, so numGpuBlocks - 1 are usable. */
  numGpuBlocks: number;
  maxModelLen: number;
  enablePrefixCaching: boolean;
  /**
   * 'prefill': each request ends after its first token (reason 'length'), like Dynamo's max_tokens=1 prefill leg.
   * 'decode': the prompt's KV arrives from a prefill engine, see Scheduler.
   */
  role: EngineRole;
  /** Caps one request's prefill chunk per step (vLLM's long_prefill_token_threshold); 0 or undefined = no cap. */
  longPrefillTokenThreshold?: number;
}

export function validateSchedulerConfig(config: SchedulerConfig): void {
  for (const key of ['maxNumSeqs', 'maxNumBatchedTokens', 'blockSize', 'maxModelLen'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw badInput(`scheduler: ${key} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(config.numGpuBlocks) || config.numGpuBlocks < 2) {
    throw badInput(`scheduler: numGpuBlocks must be an integer >= 2 (one is vLLM's null block), got ${config.numGpuBlocks}`);
  }
  const threshold = config.longPrefillTokenThreshold ?? 0;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw badInput(`scheduler: longPrefillTokenThreshold must be a non-negative integer, got ${threshold}`);
  }
}

/**
 * Why the engine would refuse `request` outright (an HTTP 400 in vLLM), or undefined when it is acceptable.
 * Exported so a server can answer before submitting; submit() throws the same message.
 */
export function requestProblem(config: SchedulerConfig, request: SimRequest): string | undefined {
  const {promptTokens, maxTokens, minTokens = 0, eosAfter} = request;
  if (!Number.isInteger(promptTokens) || promptTokens < 1) return `promptTokens must be a positive integer, got ${promptTokens}`;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) return `maxTokens must be a positive integer, got ${maxTokens}`;
  if (!Number.isInteger(minTokens) || minTokens < 0 || minTokens > maxTokens) {
    return `minTokens must be an integer between 0 and maxTokens (${maxTokens}), got ${minTokens}`;
  }
  if (eosAfter !== undefined && (!Number.isInteger(eosAfter) || eosAfter < 1)) return `eosAfter must be a positive integer, got ${eosAfter}`;
  if (promptTokens + maxTokens > config.maxModelLen) {
    return (
      `This model's maximum context length is ${config.maxModelLen} tokens. However, you requested ` +
      `${promptTokens + maxTokens} tokens (${promptTokens} in the prompt, ${maxTokens} in the completion).`
    );
  }
  return undefined;
}
