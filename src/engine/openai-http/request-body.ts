import type {GenerationInput} from '../types.js';
import {isJsonObject} from './json.js';

export type OpenAiApi = 'completions' | 'chat';

/**
 * The JSON body of a streaming request, shaped as vLLM's `bench serve` sends it, so a run here and a run of the
 * reference benchmark ask the server for the same work. `extraBody` wins over the defaults, except that the request
 * always streams and always asks for the final usage chunk.
 */
export function generationBody(api: OpenAiApi, model: string, input: GenerationInput): string {
  const body: Record<string, unknown> = {model};
  if (api === 'chat') {
    // Chat takes text only: token ids have no place in a message.
    body.messages = [{role: 'user', content: input.prompt}];
    body.max_completion_tokens = input.maxTokens;
    // Servers that predate max_completion_tokens read max_tokens.
    body.max_tokens = input.maxTokens;
  } else {
    body.prompt = input.promptTokenIds ?? input.prompt;
    body.max_tokens = input.maxTokens;
  }
  if (input.minTokens !== undefined) body.min_tokens = input.minTokens;
  if (input.ignoreEos !== undefined) body.ignore_eos = input.ignoreEos;
  const extra = input.extraBody ?? {};
  const extraStreamOptions = isJsonObject(extra.stream_options) ? extra.stream_options : {};
  return JSON.stringify({...body, ...extra, stream: true, stream_options: {...extraStreamOptions, include_usage: true}});
}
