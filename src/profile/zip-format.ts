// The parts of the zip format (PKWARE APPNOTE) that NumPy's .npz files use: one local header per entry, a central
// directory, an end record; entries stored or deflated; no encryption, no ZIP64, no multi-disk archives.

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_RECORD_SIGNATURE = 0x06054b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_RECORD_SIZE = 22;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** A field that overflowed to ZIP64's extra record; our archives never hold 4 GiB or 65535 entries. */
export const ZIP64_MARKER_32 = 0xffffffff;
export const ZIP64_MARKER_16 = 0xffff;

export interface ZipEntry {
  name: string;
  data: Buffer;
}
