import type {CallOptions, Client, ServiceError} from '@grpc/grpc-js';
import {unaryCallError} from './errors.js';

const UNARY_TIMEOUT_MS = 10_000;

type UnaryMethod<Request, Response> = (request: Request, options: CallOptions, callback: (error: ServiceError | null, response?: Response) => void) => void;

/** Call a unary RPC by name with a deadline; rejects with a DynamoPlanError that says what to check. */
export function unaryCall<Request, Response>(client: Client, method: string, request: Request, target: string): Promise<Response> {
  const rpc = (client as unknown as Record<string, UnaryMethod<Request, Response>>)[method]!;
  return new Promise((resolve, reject) => {
    rpc.call(client, request, {deadline: Date.now() + UNARY_TIMEOUT_MS}, (error, response) => {
      if (error) reject(unaryCallError(method, target, error));
      else resolve(response!);
    });
  });
}
