import {type ChatMessage, tokenize, tokenizeChat} from './tokenizer.js';

/** A completion or chat request, checked and tokenized. */
export interface GenerationRequest {
  kind: 'completion' | 'chat';
  model: string;
  promptTokenIds: number[];
  /** undefined: generate until the natural end or max_model_len, as vLLM does. */
  maxTokens: number | undefined;
  minTokens: number;
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
  continuousUsage: boolean;
  seed: number | undefined;
}

/** An OpenAI-style error response: status plus the body vLLM sends. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status === 404 ? 'NotFoundError' : 'BadRequestError',
    readonly param: string | null = null,
  ) {
    super(message);
  }

  body(): object {
    return {error: {message: this.message, type: this.type, param: this.param, code: this.status}};
  }
}

type Json = Record<string, unknown>;

export function parseGenerationRequest(kind: GenerationRequest['kind'], body: unknown, vocabSize: number): GenerationRequest {
  if (!isObject(body)) throw new ProtocolError(400, 'The request body must be a JSON object.');
  const model = body.model;
  if (typeof model !== 'string' || model === '') throw new ProtocolError(400, 'Field required: model.', 'BadRequestError', 'model');
  if (body.n !== undefined && body.n !== 1) throw new ProtocolError(400, 'Only n=1 is supported by the simulator.', 'BadRequestError', 'n');
  const promptTokenIds = kind === 'chat' ? chatPrompt(body.messages, vocabSize) : completionPrompt(body.prompt, vocabSize);
  const maxTokens = optionalInteger(body, kind === 'chat' && body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens', 1);
  const minTokens = optionalInteger(body, 'min_tokens', 0) ?? 0;
  if (maxTokens !== undefined && minTokens > maxTokens) {
    throw new ProtocolError(400, `min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`, 'BadRequestError', 'min_tokens');
  }
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  return {
    kind,
    model,
    promptTokenIds,
    maxTokens,
    minTokens,
    ignoreEos: body.ignore_eos === true,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    continuousUsage: streamOptions.continuous_usage_stats === true,
    seed: optionalInteger(body, 'seed', Number.MIN_SAFE_INTEGER),
  };
}

function completionPrompt(prompt: unknown, vocabSize: number): number[] {
  if (typeof prompt === 'string') return tokenize(prompt, vocabSize);
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((id) => Number.isInteger(id))) return prompt as number[];
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return tokenize(prompt[0], vocabSize);
  throw new ProtocolError(400, 'prompt must be a string or a list of token ids (one prompt per request).', 'BadRequestError', 'prompt');
}

function chatPrompt(messages: unknown, vocabSize: number): number[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ProtocolError(400, 'messages must be a non-empty list.', 'BadRequestError', 'messages');
  }
  const parsed: ChatMessage[] = messages.map((message, index) => {
    if (!isObject(message) || typeof message.role !== 'string') {
      throw new ProtocolError(400, `messages[${index}] needs a string role.`, 'BadRequestError', 'messages');
    }
    return {role: message.role, content: messageText(message.content, index)};
  });
  return tokenizeChat(parsed, vocabSize);
}

function messageText(content: unknown, index: number): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
  }
  throw new ProtocolError(400, `messages[${index}].content must be a string or a list of parts.`, 'BadRequestError', 'messages');
}

function optionalInteger(body: Json, field: string, min: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ProtocolError(400, `${field} must be an integer >= ${min}, got ${JSON.stringify(value)}.`, 'BadRequestError', field);
  }
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return {prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens};
}

/** Builds the JSON bodies vLLM sends, for one request. */
export class ResponseFormatter {
  private readonly object: string;
  private readonly head: string;

  constructor(
    readonly kind: GenerationRequest['kind'],
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
  ) {
    this.object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    // The id/object/created/model prefix is the same in every chunk: serialise it once.
    this.head = `{"id":${JSON.stringify(id)},"object":"${this.object}","created":${created},"model":${JSON.stringify(model)}`;
  }

  roleChunk(): string {
    return `${this.head},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`;
  }

  /** A chunk carrying one piece of output; `textJson` is the text already encoded as a JSON string. */
  tokenChunk(textJson: string, finishReason: string | null, chunkUsage?: Usage): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    const choice = this.kind === 'chat'
      ? `{"index":0,"delta":{"content":${textJson}},"logprobs":null,"finish_reason":${finish}}`
      : `{"index":0,"text":${textJson},"logprobs":null,"finish_reason":${finish},"stop_reason":null}`;
    const usageField = chunkUsage ? `,"usage":${JSON.stringify(chunkUsage)}` : '';
    return `${this.head},"choices":[${choice}]${usageField}}`;
  }

  usageChunk(final: Usage): string {
    return `${this.head},"choices":[],"usage":${JSON.stringify(final)}}`;
  }

  fullResponse(text: string, finishReason: string, final: Usage): object {
    const choice = this.kind === 'chat'
      ? {index: 0, message: {role: 'assistant', content: text}, logprobs: null, finish_reason: finishReason}
      : {index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null};
    const object = this.kind === 'chat' ? 'chat.completion' : 'text_completion';
    return {id: this.id, object, created: this.created, model: this.model, choices: [choice], usage: final};
  }
}
