import {dirname} from 'node:path';
import {makeGenericClientConstructor, type ServiceClientConstructor, type ServiceDefinition} from '@grpc/grpc-js';
import {loadSync} from '@grpc/proto-loader';
import {packagePath} from '../../util/paths.js';

export interface GrpcServices {
  /** KServe v2 `inference.GRPCInferenceService` (Triton, Dynamo's KServe frontend). */
  kserve: ServiceClientConstructor;
  /** vLLM's native `vllm.grpc.engine.VllmEngine`. */
  vllm: ServiceClientConstructor;
}

let services: GrpcServices | undefined;

/**
 * Both services, parsed once. Messages are plain objects with the proto's snake_case field names, int64 as
 * number, unset scalars as their defaults, and a virtual field naming the member set in each oneof.
 */
export function grpcServices(): GrpcServices {
  services ??= {
    kserve: loadService('kserve_grpc_predict_v2.proto', 'inference.GRPCInferenceService'),
    vllm: loadService('vllm_engine.proto', 'vllm.grpc.engine.VllmEngine'),
  };
  return services;
}

function loadService(file: string, qualifiedName: string): ServiceClientConstructor {
  // proto-loader resolves a relative path against includeDirs and fails; an absolute path plus its folder works.
  const path = packagePath('schemas', 'proto', file);
  const definition = loadSync(path, {keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [dirname(path)]});
  const service = definition[qualifiedName] as ServiceDefinition;
  return makeGenericClientConstructor(service, qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1));
}
