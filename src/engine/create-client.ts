import {badInput, unreachable} from '../errors/errors.js';
import {KserveClient, VllmGrpcClient} from './grpc/index.js';
import {listModels, OpenAiHttpClient, tokenize} from './openai-http/index.js';
import type {ApiKind, EngineClient} from './types.js';

export interface TargetOptions {
  api: ApiKind;
  /** http(s)://host:port for the OpenAI APIs; host:port or grpc://host:port for gRPC. */
  url: string;
  /** Model to request; default: what the server says it serves. */
  model?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  requestTimeoutS: number;
  stallTimeoutS: number;
  /** An OpenAI-compatible server whose /tokenize counts prompt tokens for this target (gRPC servers have none). */
  tokenizeUrl?: string;
}

export interface ConnectedTarget {
  client: EngineClient;
  model: string;
  /** Counts a prompt's tokens as the engine will, when the target can tell; undefined otherwise. */
  tokenize?: (text: string) => Promise<number>;
}

/**
 * Check that the target answers, find the model it serves, and build the client for its transport. An unreachable
 * target fails here, fast, with exit code 4, rather than as a run of failed requests.
 */
export async function createEngineClient(target: TargetOptions): Promise<ConnectedTarget> {
  const http = {apiKey: target.apiKey, headers: target.headers, requestTimeoutMs: target.requestTimeoutS * 1000};
  if (target.api === 'completions' || target.api === 'chat') {
    const served = await listModels(target.url, http);
    const model = target.model ?? served[0]?.id;
    if (!model) throw badInput(`${target.url} serves no model.`, 'Check that the engine has finished loading.', 'E_NO_MODEL');
    if (!served.some((entry) => entry.id === model)) {
      throw badInput(`${target.url} does not serve "${model}"; it serves ${served.map((entry) => entry.id).join(', ')}.`, 'Pass one of those as --model.', 'E_UNKNOWN_MODEL');
    }
    const client = new OpenAiHttpClient({...http, baseUrl: target.url, api: target.api, model, stallTimeoutMs: target.stallTimeoutS * 1000});
    const api = target.api;
    // Count what the engine will see: chat prompts include the chat template's tokens.
    const count = (text: string) => tokenize(target.url, model, api === 'chat' ? [{role: 'user', content: text}] : text, http);
    return {client, model, tokenize: (await count('hello')) === undefined ? undefined : async (text) => (await count(text))!};
  }
  const grpcTarget = target.url.replace(/^grpcs?:\/\//, '');
  const tokenizer = target.tokenizeUrl;
  const tokenizeWith = (model: string) => (tokenizer ? async (text: string) => (await tokenize(tokenizer, model, text))! : undefined);
  if (target.api === 'vllm-grpc') {
    const client = new VllmGrpcClient({target: grpcTarget});
    const info = await client.modelInfo().catch((error: unknown) => {
      void client.close();
      throw unreachable(`Cannot reach vLLM gRPC at ${grpcTarget}: ${(error as Error).message}.`, 'Check the address and that the server runs with gRPC enabled (vllm.entrypoints.grpc_server).', error);
    });
    const model = target.model ?? info.model_path;
    return {client, model, tokenize: tokenizeWith(model)};
  }
  if (!target.model) throw badInput('KServe gRPC needs the model name.', 'Pass --model with the name the frontend serves.', 'E_NO_MODEL');
  const client = new KserveClient({target: grpcTarget, model: target.model});
  const ready = await client.modelReady().catch((error: unknown) => {
    void client.close();
    throw unreachable(`Cannot reach KServe gRPC at ${grpcTarget}: ${(error as Error).message}.`, 'Check the address and that the frontend runs with --kserve-grpc-server.', error);
  });
  if (!ready) {
    await client.close();
    throw unreachable(`${grpcTarget} says model "${target.model}" is not ready.`, 'Wait for the workers to register, or check --model.');
  }
  return {client, model: target.model, tokenize: tokenizeWith(target.model)};
}
