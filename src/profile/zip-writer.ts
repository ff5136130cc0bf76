import {deflateRawSync} from 'node:zlib';
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
  type ZipEntry,
} from './zip-format.js';

// Zip 2.0 (deflate) is what every reader understands; "made by" Unix so the mode bits below mean something.
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const REGULAR_FILE_RW_R_R = 0o100644;
// 1980-01-01 00:00:00, the earliest DOS date, as np.savez stamps entries: the same arrays give the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1; // year 1980 + 0, month 1, day 1

/** A zip archive of the entries in order: stored as np.savez writes them, or deflated as np.savez_compressed. */
export function writeZip(entries: readonly ZipEntry[], options: {compress: boolean}): Buffer {
  const method = options.compress ? METHOD_DEFLATED : METHOD_STORED;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const {name, data} of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = options.compress ? deflateRawSync(data) : data;
    const crc = crc32(data);

    const local = Buffer.alloc(LOCAL_HEADER_SIZE);
    local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(CENTRAL_HEADER_SIZE);
    central.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    // Version needed through extra length repeat the local header; comment length, disk and internal attributes stay 0.
    local.copy(central, 6, 4, LOCAL_HEADER_SIZE);
    central.writeUInt32LE((REGULAR_FILE_RW_R_R << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(END_RECORD_SIZE);
  end.writeUInt32LE(END_RECORD_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
