// CRC-32 as zip stores it for every entry (IEEE 802.3: reflected polynomial 0xEDB88320, initial and final XOR
// 0xFFFFFFFF), one table lookup per byte.

const table = buildTable();

function buildTable(): Uint32Array {
  const entries = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    entries[byte] = crc >>> 0;
  }
  return entries;
}

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
