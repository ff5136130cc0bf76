export {callError, type CallProgress, unaryCallError} from './errors.js';
export {KserveClient, type KserveClientOptions} from './kserve-client.js';
export type {ModelMetadataResponse} from './kserve-messages.js';
export {grpcServices, type GrpcServices} from './proto.js';
export {VllmGrpcClient, type VllmGrpcClientOptions} from './vllm-grpc-client.js';
export type {GetModelInfoResponse, HealthCheckResponse} from './vllm-messages.js';
