import {type ServiceError, status as GrpcStatus} from '@grpc/grpc-js';
import {badInput, type DynamoPlanError, unreachable} from '../../errors/errors.js';
import type {RequestError} from '../types.js';

/** What had happened on a call when it failed, which decides how the failure is classified. */
export interface CallProgress {
  /** At least one response message arrived. */
  responded: boolean;
  /** We cancelled the call because the caller's AbortSignal fired. */
  cancelledByUs: boolean;
  /** The channel held a connection when the call failed. */
  channelReady: boolean;
}

// grpc-js reports a failed DNS lookup as UNAVAILABLE; only its details tell it from a refused connection.
const NAME_RESOLUTION = /name resolution|ENOTFOUND|EAI_AGAIN/i;

/** Classify a failed streaming call with the same kinds the HTTP clients use. */
export function callError(error: ServiceError, progress: CallProgress): RequestError {
  const message = error.details || error.message;
  if (progress.cancelledByUs) return {kind: 'aborted', message: 'Cancelled by the caller.'};
  // grpc-js fails calls with UNAVAILABLE both when it cannot connect and when a server says so; only a channel
  // without a connection means the former.
  if (error.code === GrpcStatus.UNAVAILABLE && !progress.responded && !progress.channelReady) {
    return {kind: NAME_RESOLUTION.test(message) ? 'dns' : 'connection_refused', message, status: error.code};
  }
  // A stream reset by the server, or a connection lost, after output began: the request was cut short.
  if (progress.responded && (error.code === GrpcStatus.CANCELLED || error.code === GrpcStatus.UNAVAILABLE)) {
    return {kind: 'disconnected', message, status: error.code};
  }
  return {kind: 'grpc_status', message, status: error.code};
}

/** A failed unary call (health, metadata) as an error the user can act on. */
export function unaryCallError(operation: string, target: string, error: ServiceError): DynamoPlanError {
  const details = error.details || error.message;
  const name = GrpcStatus[error.code] ?? String(error.code);
  if (error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return unreachable(`Cannot reach the gRPC server at ${target} (${operation}: ${name}: ${details}).`, 'Check the address and that the server is up and serves gRPC on that port.', error);
  }
  if (error.code === GrpcStatus.UNIMPLEMENTED) {
    return badInput(`The gRPC server at ${target} does not implement ${operation}.`, 'It may speak the other protocol: KServe v2 (Dynamo, Triton) or vLLM\'s native gRPC.', 'E_GRPC_UNIMPLEMENTED');
  }
  if (error.code === GrpcStatus.NOT_FOUND) return badInput(`${operation} at ${target}: ${details}`, 'Check the model name the server serves.', 'E_GRPC_NOT_FOUND');
  return unreachable(`${operation} at ${target} failed with ${name}: ${details}`, undefined, error);
}
