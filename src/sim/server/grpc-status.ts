import {type StatusObject, status as GrpcStatus} from '@grpc/grpc-js';
import {ProtocolError} from './openai-protocol.js';

export type CallStatus = Pick<StatusObject, 'code' | 'details'>;

// Request checks shared with the HTTP front (generation-core.ts, openai-protocol.ts) speak HTTP statuses; these are
// their gRPC equivalents.
const CODE_FOR_HTTP: Record<number, GrpcStatus> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  404: GrpcStatus.NOT_FOUND,
  503: GrpcStatus.UNAVAILABLE,
};

/** The gRPC status for an error thrown while parsing or planning a request. */
export function grpcStatusOf(error: unknown): CallStatus {
  if (error instanceof ProtocolError) return {code: CODE_FOR_HTTP[error.status] ?? GrpcStatus.INTERNAL, details: error.message};
  return {code: GrpcStatus.INTERNAL, details: `Internal error: ${(error as Error).message}`};
}

export const STARTING_UP: CallStatus = {code: GrpcStatus.UNAVAILABLE, details: 'The engine is starting up; retry when it reports ready.'};

export const CUT_STREAM: CallStatus = {code: GrpcStatus.CANCELLED, details: 'Injected fault: the stream was cut mid-way.'};
