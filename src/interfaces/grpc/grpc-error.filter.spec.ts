import { status } from '@grpc/grpc-js';
import { invalid } from '../../domain/shared/domain-error';
import { asciiJson, toGrpcError } from './grpc-error.filter';

describe('gRPC errors', () => {
  it('writes details as printable ASCII JSON that parses back to the same text', () => {
    const details = [{ field: 'publicKey', message: 'expected "ssh-ed25519 AAAA… comment", é, 😀,\nand a tab\t' }];
    const text = asciiJson(details);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual(details);
  });

  it('maps a refusal whose details are not ASCII, instead of failing to build its metadata', () => {
    const error = invalid('ValidationFailed', 'Request validation failed', [{ field: 'name', message: 'must not be “quoted”' }]);
    const { grpc } = toGrpcError(error, 'req-1');
    expect(grpc.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.parse(String(grpc.metadata.get('error-details')[0]))).toEqual([{ field: 'name', message: 'must not be “quoted”' }]);
  });
});
