import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../../../src/engine/types.js';

export interface Collected {
  events: StreamEvent[];
  contents: Extract<StreamEvent, {type: 'content'}>[];
  result: GenerationResult;
}

/** Run one request and keep every event; `onEvent` sees each as it comes (to abort mid-stream, say). */
export async function collect(client: EngineClient, input: Partial<GenerationInput> = {}, signal?: AbortSignal, onEvent?: (event: StreamEvent, events: StreamEvent[]) => void): Promise<Collected> {
  const events: StreamEvent[] = [];
  const result = await client.generate({prompt: 'hello', maxTokens: 16, ...input}, (event) => {
    events.push(event);
    onEvent?.(event, events);
  }, signal);
  const contents = events.filter((event): event is Extract<StreamEvent, {type: 'content'}> => event.type === 'content');
  return {events, contents, result};
}

/** The arrival times never go backwards. */
export function isMonotonic(events: StreamEvent[]): boolean {
  return events.every((event, index) => index === 0 || event.t >= events[index - 1]!.t);
}
