import {describe, expect, it} from 'vitest';
import {bytesElements, type InferTensor} from '../../../src/engine/grpc/kserve-messages.js';

function lengthPrefixed(...elements: string[]): Buffer {
  return Buffer.concat(elements.flatMap((element) => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(Buffer.byteLength(element));
    return [length, Buffer.from(element)];
  }));
}

describe('bytesElements', () => {
  const tensors: InferTensor[] = [
    {name: 'text_output', datatype: 'BYTES', shape: [2], contents: {bytes_contents: [Buffer.from('héllo'), Buffer.from(' world')]}},
    {name: 'finish_reason', datatype: 'BYTES', shape: [2], contents: {bytes_contents: []}},
  ];

  it('reads typed contents as UTF-8', () => {
    expect(bytesElements(tensors, undefined, 'text_output')).toEqual(['héllo', ' world']);
    expect(bytesElements(tensors, undefined, 'finish_reason')).toEqual([]);
    expect(bytesElements(tensors, undefined, 'missing')).toBeUndefined();
  });

  it('reads raw contents by tensor position, each element after its 4-byte little-endian length', () => {
    const raw = [lengthPrefixed('a'), lengthPrefixed('stop', '')];
    expect(bytesElements(tensors, raw, 'finish_reason')).toEqual(['stop', '']);
  });
});
