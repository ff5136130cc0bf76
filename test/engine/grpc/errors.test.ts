import {Metadata, type ServiceError, status} from '@grpc/grpc-js';
import {describe, expect, it} from 'vitest';
import {callError, unaryCallError} from '../../../src/engine/grpc/errors.js';
import {ExitCode} from '../../../src/errors/errors.js';

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), {code, details, metadata: new Metadata()});
}

const fresh = {responded: false, cancelledByUs: false, channelReady: false};

describe('gRPC call errors', () => {
  it('tells a connection that never happened from a server that answered UNAVAILABLE', () => {
    const refused = serviceError(status.UNAVAILABLE, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1');
    expect(callError(refused, fresh)).toMatchObject({kind: 'connection_refused', status: 14});
    expect(callError(refused, {...fresh, channelReady: true})).toMatchObject({kind: 'grpc_status', status: 14});
    const dns = serviceError(status.UNAVAILABLE, 'Name resolution failed for target dns:nowhere.invalid:50051');
    expect(callError(dns, fresh)).toMatchObject({kind: 'dns'});
  });

  it('calls a stream cut after output began disconnected, and our own cancel aborted', () => {
    expect(callError(serviceError(status.CANCELLED, 'cut'), {...fresh, responded: true, channelReady: true})).toMatchObject({kind: 'disconnected', status: 1});
    expect(callError(serviceError(status.UNAVAILABLE, 'Connection dropped'), {...fresh, responded: true})).toMatchObject({kind: 'disconnected', status: 14});
    expect(callError(serviceError(status.CANCELLED, 'Cancelled on client'), {...fresh, responded: true, cancelledByUs: true}).kind).toBe('aborted');
    expect(callError(serviceError(status.INTERNAL, 'boom'), {...fresh, responded: true})).toEqual({kind: 'grpc_status', message: 'boom', status: 13});
  });

  it('turns failed unary calls into errors with the documented exit codes', () => {
    expect(unaryCallError('HealthCheck', 'h:1', serviceError(status.UNAVAILABLE, 'down')).exitCode).toBe(ExitCode.unreachable);
    expect(unaryCallError('ModelMetadata', 'h:1', serviceError(status.NOT_FOUND, 'no model')).exitCode).toBe(ExitCode.badInput);
    expect(unaryCallError('GetModelInfo', 'h:1', serviceError(status.UNIMPLEMENTED, '')).message).toMatch(/does not implement GetModelInfo/);
  });
});
