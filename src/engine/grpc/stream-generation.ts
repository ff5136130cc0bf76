import {type Client, type ClientDuplexStream, type ClientReadableStream, connectivityState, type ServiceError} from '@grpc/grpc-js';
import type {GenerationResult, StreamEvent} from '../types.js';
import {callError} from './errors.js';

type ResponseStream<T> = ClientReadableStream<T> | ClientDuplexStream<unknown, T>;

/**
 * Reads one generation's response stream to its end. `handle` turns each message into events and returns a result
 * once the message completes the request. Resolves (never rejects) with that result, or with a classified error:
 * a non-OK status, a stream that ends without completing, or the caller's abort (which cancels the call).
 */
export function streamGeneration<T>(
  open: () => ResponseStream<T>,
  client: Client,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal | undefined,
  handle: (message: T, t: bigint) => GenerationResult | undefined,
): Promise<GenerationResult> {
  if (signal?.aborted) return Promise.resolve({error: {kind: 'aborted', message: 'Cancelled by the caller.'}});
  return new Promise((resolve) => {
    let call: ResponseStream<T>;
    try {
      call = open();
    } catch (error) {
      // grpc-js throws at once only for a client that was closed.
      resolve({error: {kind: 'other', message: (error as Error).message}});
      return;
    }
    let responded = false;
    let cancelledByUs = false;
    let done = false;
    const finish = (result: GenerationResult) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      cancelledByUs = true;
      call.cancel();
      finish({error: {kind: 'aborted', message: 'Cancelled by the caller.'}});
    };
    signal?.addEventListener('abort', onAbort, {once: true});

    call.on('data', (message: T) => {
      const t = process.hrtime.bigint();
      if (done) return;
      if (!responded) {
        responded = true;
        onEvent({type: 'response', t});
      }
      const result = handle(message, t);
      if (!result) return;
      finish(result);
      // A bidi stream stays open for further requests until we half-close it; the server then ends it.
      if ('write' in call) call.end();
    });
    call.on('error', (error: ServiceError) => {
      const channelReady = client.getChannel().getConnectivityState(false) === connectivityState.READY;
      finish({error: callError(error, {responded, cancelledByUs, channelReady})});
    });
    // 'end' follows every message and comes only after an OK status (a non-OK one raises 'error' first).
    call.on('end', () => finish({error: {kind: 'disconnected', message: 'The stream ended before the request completed.'}}));
  });
}
