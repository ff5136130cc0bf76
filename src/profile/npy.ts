import {badInput} from '../errors/errors.js';

// NumPy's .npy format (numpy/lib/format.py): magic "\x93NUMPY", a version, the length of a header that is a
// Python dict literal {'descr', 'fortran_order', 'shape'}, then the raw elements in C order.

export type NpyDtype = '<f8' | '<i8' | '<f4';

/** An n-dimensional array with its elements flattened in C order; int64 elements must be safe integers. */
export interface NdArray {
  dtype: NpyDtype;
  shape: number[];
  data: number[];
}

const MAGIC = Buffer.from('\x93NUMPY', 'latin1');
const ITEM_SIZE: Record<NpyDtype, number> = {'<f8': 8, '<i8': 8, '<f4': 4};
// NumPy aligns the data to 64 bytes and leaves room in the header for the first axis to grow to 21 digits (so an
// array can be appended to in place); we pad the same way, so equal arrays give byte-identical files.
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const V1_PREFIX = MAGIC.length + 2 + 2;

export function encodeNpy(array: NdArray): Buffer {
  const count = elementCount(array.shape);
  if (array.data.length !== count) throw new Error(`encodeNpy: ${array.data.length} elements for shape (${array.shape.join(', ')})`);
  let dict = `{'descr': '${array.dtype}', 'fortran_order': False, 'shape': ${pythonTuple(array.shape)}, }`;
  if (array.shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(array.shape[0]).length);
  // As NumPy: a full 64 bytes of padding when the header would already end on the boundary.
  const padding = ARRAY_ALIGN - ((V1_PREFIX + dict.length + 1) % ARRAY_ALIGN);
  const header = `${dict}${' '.repeat(padding)}\n`;
  const prefix = Buffer.alloc(V1_PREFIX);
  MAGIC.copy(prefix);
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), encodeElements(array.dtype, array.data)]);
}

/** Read a .npy of float64, int64 or float32 little-endian elements in C order; `source` names it in errors. */
export function decodeNpy(bytes: Buffer, source: string): NdArray {
  const malformed = (why: string) => badInput(`${source} is not a readable .npy array: ${why}.`, 'Save the array with numpy.save / numpy.savez as float64, int64 or float32.', 'E_FILE_MALFORMED');
  if (bytes.length < V1_PREFIX || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw malformed('no NUMPY magic string');
  const major = bytes.readUInt8(6);
  // Version 1.0 has a 2-byte header length; 2.0 a 4-byte one; 3.0 is 2.0 with a UTF-8 header.
  if (major < 1 || major > 3) throw malformed(`format version ${major} is not 1, 2 or 3`);
  const headerStart = major === 1 ? V1_PREFIX : V1_PREFIX + 2;
  if (bytes.length < headerStart) throw malformed('the header is truncated');
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw malformed('the header is truncated');
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', headerStart, dataStart);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortranOrder = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortranOrder === undefined || shapeText === undefined) throw malformed(`the header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape`);
  if (!isDtype(descr)) throw malformed(`element type ${descr} is not one of ${Object.keys(ITEM_SIZE).join(', ')}`);
  if (fortranOrder === 'True') throw malformed('Fortran-ordered arrays are not supported');
  const shape = shapeText.split(',').map((axis) => axis.trim()).filter((axis) => axis !== '').map((axis) => Number(axis.replace(/L$/, '')));
  if (shape.some((axis) => !Number.isSafeInteger(axis) || axis < 0)) throw malformed(`shape (${shapeText}) is not a tuple of sizes`);

  const count = elementCount(shape);
  const elements = bytes.subarray(dataStart);
  if (elements.length < count * ITEM_SIZE[descr]) throw malformed(`it holds ${elements.length} data bytes, shape (${shapeText}) needs ${count * ITEM_SIZE[descr]}`);
  const data = decodeElements(descr, elements, count);
  if (data.some((value) => value === undefined)) throw malformed('an int64 element is too large to be exact as a double');
  return {dtype: descr, shape, data: data as number[]};
}

function isDtype(descr: string): descr is NpyDtype {
  return Object.hasOwn(ITEM_SIZE, descr);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, axis) => product * axis, 1);
}

/** Python's repr of a tuple: (), (17,) or (2, 3). */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function encodeElements(dtype: NpyDtype, data: readonly number[]): Buffer {
  const bytes = Buffer.alloc(data.length * ITEM_SIZE[dtype]);
  data.forEach((value, index) => {
    if (dtype === '<f8') bytes.writeDoubleLE(value, index * 8);
    else if (dtype === '<f4') bytes.writeFloatLE(value, index * 4);
    else if (Number.isSafeInteger(value)) bytes.writeBigInt64LE(BigInt(value), index * 8);
    else throw new Error(`encodeNpy: int64 element ${value} is not a safe integer`);
  });
  return bytes;
}

/** The elements as doubles; an int64 beyond 2^53 (which a double cannot hold exactly) becomes undefined. */
function decodeElements(dtype: NpyDtype, bytes: Buffer, count: number): (number | undefined)[] {
  return Array.from({length: count}, (_, index) => {
    if (dtype === '<f8') return bytes.readDoubleLE(index * 8);
    if (dtype === '<f4') return bytes.readFloatLE(index * 4);
    const value = Number(bytes.readBigInt64LE(index * 8));
    return Number.isSafeInteger(value) ? value : undefined;
  });
}
