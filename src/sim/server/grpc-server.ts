import {Server, ServerCredentials} from '@grpc/grpc-js';
import {badInput} from '../../errors/errors.js';
import {grpcServices} from '../../engine/grpc/proto.js';
import type {FrontOptions} from './front-options.js';
import {kserveService} from './grpc-kserve-service.js';
import {vllmService} from './grpc-vllm-service.js';

export interface GrpcFrontOptions extends FrontOptions {
  /** Resolves once the engine is ready (after the startup-delay fault); until then health RPCs say not ready. */
  ready: Promise<void>;
}

/** What the service implementations see. */
export interface GrpcFrontContext extends Omit<GrpcFrontOptions, 'host' | 'port' | 'ready'> {
  isReady(): boolean;
}

export interface GrpcFront {
  /** host:port, as gRPC clients take it. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The gRPC face of a simulated engine: KServe v2 (as Dynamo serves it) and vLLM's native API on one port. */
export async function startGrpcFront(options: GrpcFrontOptions): Promise<GrpcFront> {
  let ready = false;
  void options.ready.then(() => (ready = true));
  const context: GrpcFrontContext = {...options, isReady: () => ready};
  const {kserve, vllm} = grpcServices();
  const server = new Server();
  server.addService(kserve.service, kserveService(context));
  server.addService(vllm.service, vllmService(context));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(bindError(error, `${host}:${options.port}`)) : resolve(boundPort)));
  });
  return {
    url: `${host}:${port}`,
    server,
    async close() {
      // Cancels calls in flight; their handlers abort the engine requests.
      server.forceShutdown();
    },
  };
}

function bindError(error: Error, where: string): Error {
  if (/EADDRINUSE/.test(error.message)) return badInput(`gRPC port ${where} is already in use.`, 'Stop what is using it, or pass --grpc-port 0 to pick a free port.', 'E_PORT_IN_USE');
  if (/EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(error.message)) return badInput(`Cannot listen for gRPC on ${where}: no such local address.`, 'Use --host 127.0.0.1, 0.0.0.0 or an address of this machine.', 'E_BAD_HOST');
  if (/EACCES/.test(error.message)) return badInput(`Not allowed to listen for gRPC on ${where}.`, 'Ports below 1024 need privileges; pick a higher --grpc-port.', 'E_PORT_FORBIDDEN');
  return error;
}
