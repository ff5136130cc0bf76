import type {GenerationResult, RequestError, StreamEvent} from '../types.js';
import {ChunkTemplate} from './chunk-template.js';
import {inBandError} from './errors.js';
import {isJsonObject} from './json.js';
import type {OpenAiApi} from './request-body.js';

/** Turns the SSE data payloads of one completions or chat stream into StreamEvents and the request's outcome. */
export class OpenAiStreamReader {
  /** When the bytes now being parsed arrived; the transport sets it before feeding each read. */
  arrival = 0n;
  /** `data: [DONE]` arrived. */
  done = false;
  error: RequestError | undefined;
  usage: GenerationResult['usage'];
  finishReason: string | undefined;
  private readonly template = new ChunkTemplate();

  constructor(
    private readonly api: OpenAiApi,
    private readonly onEvent: (event: StreamEvent) => void,
  ) {}

  /** One data payload; anything after the terminator or an error is ignored. Bound, to be handed to the parser. */
  readonly accept = (data: string): void => {
    if (this.done || this.error !== undefined) return;
    const text = this.template.match(data);
    if (text !== undefined) {
      this.emitTemplated(text);
      return;
    }
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    this.acceptParsed(data);
  };

  /** The parser's shortcut: the run of whole events at `start` that match the template. Bound, for the parser. */
  readonly acceptEvents = (text: string, start: number): number =>
    this.done || this.error !== undefined ? -1 : this.template.matchEvents(text, start, this.emitTemplated);

  /** A chunk that is the template with another text: finish reason and usage are the template's, already recorded. */
  private readonly emitTemplated = (text: string): void => {
    if (text === '') this.onEvent({type: 'chunk', t: this.arrival});
    else this.onEvent({type: 'content', t: this.arrival, text, tokens: 1, reasoning: this.template.reasoning});
  };

  private acceptParsed(data: string): void {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      chunk = undefined;
    }
    if (!isJsonObject(chunk)) {
      this.error = {kind: 'malformed_stream', message: `The stream carried an event that is not a JSON object: ${data.slice(0, 200)}`};
      return;
    }
    this.error = inBandError(chunk);
    if (this.error !== undefined) return;
    let carriedOutput = false;
    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      // Only a single-choice chunk can serve as a template: with several, one slot cannot stand for the chunk.
      const templateSource = choices.length === 1 ? data : undefined;
      for (const choice of choices) {
        if (!isJsonObject(choice)) continue;
        if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
        if (this.emitOutput(choice, templateSource)) carriedOutput = true;
      }
    }
    const usage = chunk.usage;
    if (isJsonObject(usage) && typeof usage.completion_tokens === 'number') {
      // With continuous usage stats every chunk carries usage; the last one holds the totals.
      this.usage = {promptTokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0, completionTokens: usage.completion_tokens};
    }
    if (!carriedOutput) this.onEvent({type: 'chunk', t: this.arrival});
  }

  /** Emit a content event when the choice carries text; reasoning text counts as output (it is generated tokens). */
  private emitOutput(choice: Record<string, unknown>, templateSource: string | undefined): boolean {
    if (this.api === 'completions') return this.emit(choice.text, 'text', false, templateSource);
    const delta = choice.delta;
    if (!isJsonObject(delta)) return false;
    const content = nonEmptyString(delta.content);
    // vLLM's reasoning parsers used `reasoning_content`, newer versions `reasoning`.
    const reasoningKey = nonEmptyString(delta.reasoning_content) === undefined ? 'reasoning' : 'reasoning_content';
    const reasoning = nonEmptyString(delta[reasoningKey]);
    if (reasoning === undefined) return this.emit(content, 'content', false, templateSource);
    if (content === undefined) return this.emit(reasoning, reasoningKey, true, templateSource);
    // Both in one chunk (the switch from reasoning to answer): one event, and no template from it.
    return this.emit(reasoning + content, '', true, undefined);
  }

  private emit(text: unknown, key: string, reasoning: boolean, templateSource: string | undefined): boolean {
    if (typeof text !== 'string' || text === '') return false;
    this.onEvent({type: 'content', t: this.arrival, text, tokens: 1, reasoning});
    if (templateSource !== undefined) this.template.learn(templateSource, key, text, reasoning);
    return true;
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
