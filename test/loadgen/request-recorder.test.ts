import {describe, expect, it} from 'vitest';
import {RequestRecorder} from '../../src/loadgen/request-recorder.js';
import {schemaValidator} from '../../src/schema/validator.js';

const START = 5_000_000_000n;
const at = (seconds: number) => START + BigInt(Math.round(seconds * 1e9));

describe('RequestRecorder', () => {
  it('turns stream events into a record: times from the run start, the first chunk apart from the first token', () => {
    const recorder = new RequestRecorder({index: 4, intendedSendS: 1, runStartNs: START, sentNs: at(1.25), promptTokens: 100});
    recorder.onEvent({type: 'response', t: at(1.3)});
    recorder.onEvent({type: 'chunk', t: at(1.4)}); // role-only delta
    recorder.onEvent({type: 'content', t: at(1.5), text: ' a', tokens: 1, reasoning: false});
    recorder.onEvent({type: 'content', t: at(1.5250004), text: ' b c', tokens: 2, reasoning: false});
    recorder.onEvent({type: 'chunk', t: at(1.6)}); // usage
    const record = recorder.finish({usage: {promptTokens: 101, completionTokens: 3}, finishReason: 'length'}, at(1.7));
    expect(record).toEqual({
      index: 4,
      intended_send_s: 1,
      actual_send_s: 1.25,
      first_chunk_s: 1.4,
      first_token_s: 1.5,
      token_times_s: [1.5, 1.525],
      end_s: 1.525,
      prompt_tokens: 101,
      output_tokens: 3,
      output_tokens_source: 'usage',
      error_kind: null,
      error_message: null,
    });
    expect(schemaValidator('bench-record.schema.json')(record)).toBe(true);
  });

  it('counts tokens from the stream when the server gives no usage, and uses the builder prompt count', () => {
    const recorder = new RequestRecorder({index: 0, intendedSendS: 0, runStartNs: START, sentNs: START, promptTokens: 64});
    recorder.onEvent({type: 'content', t: at(0.1), text: 'x', tokens: 1, reasoning: true});
    recorder.onEvent({type: 'content', t: at(0.2), text: 'y', tokens: 4, reasoning: false});
    expect(recorder.finish({}, at(0.3))).toMatchObject({prompt_tokens: 64, output_tokens: 5, output_tokens_source: 'counted', first_token_s: 0.1, end_s: 0.2});
  });

  it('a failed request ends when it failed, with its error kind and message', () => {
    const recorder = new RequestRecorder({index: 1, intendedSendS: 0, runStartNs: START, sentNs: START});
    recorder.onEvent({type: 'content', t: at(0.1), text: 'x', tokens: 1, reasoning: false});
    const record = recorder.finish({error: {kind: 'stalled', message: 'no bytes for 30 s'}}, at(30.1));
    expect(record).toMatchObject({end_s: 30.1, prompt_tokens: null, error_kind: 'stalled', error_message: 'no bytes for 30 s', token_times_s: [0.1]});
    expect(schemaValidator('bench-record.schema.json')(record)).toBe(true);
  });
});
