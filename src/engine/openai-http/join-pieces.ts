/**
 * Where the pieces of one read are joined before decoding. Decoding copies what it keeps into a string at once, so one
 * buffer serves every request, and reads do not each allocate (and leave for the garbage collector) tens of KiB.
 */
let joinBuffer = Buffer.allocUnsafe(64 * 1024);

/** The pieces of one read as one buffer, valid until the next call. */
export function joinPieces(pieces: Buffer[]): Buffer {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  if (length > joinBuffer.length) joinBuffer = Buffer.allocUnsafe(Math.max(length, 2 * joinBuffer.length));
  let offset = 0;
  for (const piece of pieces) {
    joinBuffer.set(piece, offset);
    offset += piece.length;
  }
  return joinBuffer.subarray(0, length);
}
