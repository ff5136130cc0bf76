import {errors} from 'undici';
import {describe, expect, it} from 'vitest';
import {httpStatusError, inBandError, transportError} from '../../../src/engine/openai-http/errors.js';

const context = {origin: 'http://engine:8000', requestTimeoutMs: 1000, stallTimeoutMs: 2000};

function systemError(code: string): Error {
  return Object.assign(new Error(code), {code});
}

describe('error classification', () => {
  it('maps undici and socket errors to kinds, looking inside AggregateError and causes', () => {
    const kinds = [
      new errors.ConnectTimeoutError(),
      new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]),
      new TypeError('fetch failed', {cause: systemError('EAI_AGAIN')}),
      new errors.HeadersTimeoutError(),
      new errors.BodyTimeoutError(),
      new errors.SocketError('other side closed'),
      systemError('EHOSTUNREACH'),
      new Error('something else'),
    ].map((error) => transportError(error, context).kind);
    expect(kinds).toEqual(['connect_timeout', 'connection_refused', 'dns', 'stalled', 'stalled', 'disconnected', 'connection_refused', 'other']);
    expect(transportError(new errors.BodyTimeoutError(), context).message).toMatch(/2000 ms/);
  });

  it('reads the message of every common error body shape', () => {
    expect(httpStatusError(422, JSON.stringify({detail: [{msg: 'field required'}, {msg: 'bad type'}]})).message).toBe('HTTP 422: field required; bad type');
    expect(httpStatusError(404, JSON.stringify({detail: 'Not Found'}))).toEqual({kind: 'http_4xx', status: 404, message: 'HTTP 404: Not Found'});
    expect(httpStatusError(503, JSON.stringify({error: 'overloaded'}))).toEqual({kind: 'http_5xx', status: 503, message: 'HTTP 503: overloaded'});
    expect(httpStatusError(500, '')).toEqual({kind: 'http_5xx', status: 500, message: 'HTTP 500.'});
  });

  it('recognises in-band errors in both vLLM shapes and nothing else', () => {
    expect(inBandError({object: 'error', message: 'boom', code: 400})).toEqual({kind: 'in_band_error', message: 'boom', status: 400});
    expect(inBandError({error: {message: 'died'}})).toEqual({kind: 'in_band_error', message: 'died'});
    expect(inBandError({object: 'text_completion', choices: []})).toBeUndefined();
  });
});
