import {describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../src/errors/errors.js';
import {crc32} from '../../src/profile/crc32.js';
import {readZip} from '../../src/profile/zip-reader.js';
import {writeZip} from '../../src/profile/zip-writer.js';
import {thrown} from '../loadgen/thrown.js';

const entries = [
  {name: 'a.npy', data: Buffer.from('first entry '.repeat(50))},
  {name: 'empty.npy', data: Buffer.alloc(0)},
  {name: 'b.npy', data: Buffer.from([0, 1, 2, 255, 254, 253])},
];

describe('crc32', () => {
  it('gives the standard check value and zip-compatible checksums', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('zip', () => {
  it.each([false, true])('round-trips entries (compress: %s)', (compress) => {
    const archive = writeZip(entries, {compress});
    expect(readZip(archive, 'test.zip')).toEqual(entries);
  });

  it('deflates when asked and stores otherwise', () => {
    expect(writeZip(entries, {compress: true}).length).toBeLessThan(writeZip(entries, {compress: false}).length);
    // stored: the payload appears verbatim
    expect(writeZip(entries, {compress: false}).includes(entries[0]!.data)).toBe(true);
  });

  it('reads past an archive comment after the end record', () => {
    const archive = writeZip(entries, {compress: false});
    archive.writeUInt16LE(7, archive.length - 2);
    expect(readZip(Buffer.concat([archive, Buffer.from('comment')]), 'test.zip').map((entry) => entry.name)).toEqual(['a.npy', 'empty.npy', 'b.npy']);
  });

  it('rejects a damaged entry (CRC-32 mismatch) as bad input, exit 3', () => {
    const archive = writeZip(entries, {compress: false});
    archive[archive.indexOf(Buffer.from([0, 1, 2, 255]))] = 9;
    const error = thrown(() => readZip(archive, 'damaged.npz')) as DynamoPlanError;
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.message).toMatch(/damaged\.npz.*b\.npy fails its size or CRC-32 check/);
  });

  it('rejects a damaged deflate stream as bad input rather than a zlib crash', () => {
    const archive = writeZip(entries, {compress: true});
    const name = archive.indexOf('a.npy');
    archive.fill(0xff, name + 5, name + 25);
    const error = thrown(() => readZip(archive, 'damaged.npz')) as DynamoPlanError;
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect(error.message).toMatch(/damaged\.npz is not a readable zip archive: a deflated entry is damaged/);
  });

  it('rejects a truncated archive and a file that is not a zip', () => {
    const archive = writeZip(entries, {compress: true});
    expect((thrown(() => readZip(archive.subarray(0, archive.length - 30), 'cut.npz')) as Error).message).toMatch(/cut\.npz is not a readable zip archive/);
    expect((thrown(() => readZip(Buffer.from('{"prefill_isl": []}'), 'x.npz')) as Error).message).toMatch(/no end-of-central-directory record/);
  });
});
