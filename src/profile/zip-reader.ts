import {inflateRawSync} from 'node:zlib';
import {badInput} from '../errors/errors.js';
import {crc32} from './crc32.js';
import {
  CENTRAL_HEADER_SIGNATURE,
  CENTRAL_HEADER_SIZE,
  END_RECORD_SIGNATURE,
  END_RECORD_SIZE,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATED,
  METHOD_STORED,
  ZIP64_MARKER_16,
  ZIP64_MARKER_32,
  type ZipEntry,
} from './zip-format.js';

const MAX_COMMENT_LENGTH = 0xffff;

/**
 * The entries of a zip archive, found through its central directory (the authority on sizes: a local header may
 * carry ZIP64 placeholders instead, as np.savez writes them). Every entry's size and CRC-32 are checked.
 */
export function readZip(archive: Buffer, source: string): ZipEntry[] {
  const corrupt = (why: string) => badInput(`${source} is not a readable zip archive: ${why}.`, 'Check that the file is a complete .npz written by numpy.savez or savez_compressed.', 'E_FILE_MALFORMED');
  try {
    const end = findEndRecord(archive);
    if (end < 0) throw corrupt('no end-of-central-directory record');
    const count = archive.readUInt16LE(end + 10);
    const directoryOffset = archive.readUInt32LE(end + 16);
    if (count === ZIP64_MARKER_16 || directoryOffset === ZIP64_MARKER_32) throw corrupt('ZIP64 archives are not supported');
    const entries: ZipEntry[] = [];
    let at = directoryOffset;
    for (let index = 0; index < count; index++) {
      if (archive.readUInt32LE(at) !== CENTRAL_HEADER_SIGNATURE) throw corrupt(`central directory entry ${index} is damaged`);
      const flags = archive.readUInt16LE(at + 8);
      const method = archive.readUInt16LE(at + 10);
      const crc = archive.readUInt32LE(at + 16);
      const compressedSize = archive.readUInt32LE(at + 20);
      const size = archive.readUInt32LE(at + 24);
      const nameLength = archive.readUInt16LE(at + 28);
      const extraLength = archive.readUInt16LE(at + 30);
      const commentLength = archive.readUInt16LE(at + 32);
      const localOffset = archive.readUInt32LE(at + 42);
      const name = archive.toString('utf8', at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength);
      at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;

      if (flags & 1) throw corrupt(`${name} is encrypted`);
      if (compressedSize === ZIP64_MARKER_32 || size === ZIP64_MARKER_32 || localOffset === ZIP64_MARKER_32) throw corrupt('ZIP64 archives are not supported');
      if (archive.readUInt32LE(localOffset) !== LOCAL_HEADER_SIGNATURE) throw corrupt(`the local header of ${name} is damaged`);
      const start = localOffset + LOCAL_HEADER_SIZE + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
      const stored = archive.subarray(start, start + compressedSize);
      if (stored.length !== compressedSize) throw corrupt(`${name} is truncated`);
      let data: Buffer;
      if (method === METHOD_STORED) data = stored;
      else if (method === METHOD_DEFLATED) data = inflateRawSync(stored);
      else throw corrupt(`${name} uses compression method ${method} (only stored and deflated are supported)`);
      if (data.length !== size || crc32(data) !== crc) throw corrupt(`${name} fails its size or CRC-32 check`);
      entries.push({name, data});
    }
    return entries;
  } catch (error) {
    // A read past the end of the buffer (RangeError) or a bad deflate stream (zlib error) means a damaged archive.
    if (error instanceof RangeError) throw corrupt('it is truncated');
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw corrupt(`a deflated entry is damaged (${(error as Error).message})`);
    throw error;
  }
}

/** The end record sits in the last 22 bytes, unless an archive comment (up to 64 KiB) follows it. */
function findEndRecord(archive: Buffer): number {
  const lowest = Math.max(0, archive.length - END_RECORD_SIZE - MAX_COMMENT_LENGTH);
  for (let at = archive.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (archive.readUInt32LE(at) === END_RECORD_SIGNATURE) return at;
  }
  return -1;
}
