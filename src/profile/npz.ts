import {decodeNpy, encodeNpy, type NdArray} from './npy.js';
import {readFileBytes, writeFileAtomic} from '../util/files.js';
import {readZip} from './zip-reader.js';
import {writeZip} from './zip-writer.js';

// A NumPy .npz is a zip archive with one NAME.npy entry per array; np.load drops the .npy suffix, and so do we.

const NPY_SUFFIX = '.npy';

export type NpzArrays = Record<string, NdArray>;

export function parseNpz(archive: Buffer, source: string): NpzArrays {
  const arrays: NpzArrays = {};
  for (const entry of readZip(archive, source)) {
    const name = entry.name.endsWith(NPY_SUFFIX) ? entry.name.slice(0, -NPY_SUFFIX.length) : entry.name;
    arrays[name] = decodeNpy(entry.data, `${source}:${entry.name}`);
  }
  return arrays;
}

/** The archive np.savez (stored entries) or, with `compress`, np.savez_compressed (deflated entries) would write. */
export function formatNpz(arrays: NpzArrays, options: {compress?: boolean} = {}): Buffer {
  const entries = Object.entries(arrays).map(([name, array]) => ({name: `${name}${NPY_SUFFIX}`, data: encodeNpy(array)}));
  return writeZip(entries, {compress: options.compress ?? false});
}

export function readNpz(path: string): NpzArrays {
  return parseNpz(readFileBytes(path), path);
}

export function writeNpz(path: string, arrays: NpzArrays, options: {compress?: boolean} = {}): void {
  writeFileAtomic(path, formatNpz(arrays, options));
}
