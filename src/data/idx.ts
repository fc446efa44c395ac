/**
 * The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
 * `0x00 0x00 <type> <ndim>`, then `ndim` big-endian uint32 dimension sizes, then the values,
 * big-endian, row-major. Files may be gzip-compressed (detected by the magic bytes 1f 8b).
 */
import { resolveLimits } from '../limits.js';
import type { Limits, LimitsOverride } from '../limits.js';
import { DataFileError, dataFileError, gunzipData, isGzip, readDataFile } from './files.js';
import type { ReadDataFileOptions } from './files.js';
import { gunzipBounded, gunzipLeading, gunzipPrefix } from './read-bounded.js';

/** The element types IDX defines, by type code. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
/** The typed array each {@link IdxDType} decodes to. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: element type, shape (the header's dimensions) and values, row-major. */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxDType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};
const CODES: Record<IdxDType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;

/** An IDX header: element type, shape, and the byte counts it declares. */
interface IdxHeader { dtype: IdxDType; size: number; shape: number[]; count: number; headerBytes: number; dataBytes: number }

/**
 * Reads and checks an IDX header (the first `4 + 4 * ndim` bytes), including the declared item
 * count (the first dimension) against `limits.maxIdxItems`, before anything is allocated.
 * @throws DataFileError naming `source`: E_CORRUPT for a wrong magic number, an unknown type code
 *   or a truncated header; E_TOO_LARGE when the first dimension exceeds `LIMITS.maxIdxItems`.
 */
function readIdxHeader(bytes: Uint8Array, source: string, limits: Limits): IdxHeader {
  if (bytes.length < 4) throw new DataFileError(source, `too short for an IDX file: ${bytes.length} bytes, the header alone needs at least 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw new DataFileError(source, `wrong magic number ${hex(magic, 8)}: an IDX file starts with two zero bytes, a type code and the number of dimensions (MNIST images: 0x00000803)`);
  const type = TYPES[bytes[2]!];
  if (!type)
    throw new DataFileError(source, `wrong magic number ${hex(magic, 8)}: unknown IDX data type ${hex(bytes[2]!, 2)} (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)`);
  const ndim = bytes[3]!;
  if (ndim === 0) throw new DataFileError(source, `wrong magic number ${hex(magic, 8)}: zero dimensions`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes)
    throw new DataFileError(source, `truncated header: ${ndim} dimensions need ${headerBytes} header bytes, file has ${bytes.length}`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  if (shape[0]! > limits.maxIdxItems)
    throw new DataFileError(source, `header declares ${shape[0]} items, which exceeds LIMITS.maxIdxItems (${limits.maxIdxItems}); raise it with { limits: { maxIdxItems } }`, 'E_TOO_LARGE');
  const count = shape.reduce((a, b) => a * b, 1);
  return { dtype: type.dtype, size: type.bytes, shape, count, headerBytes, dataBytes: count * type.bytes };
}

/**
 * Decodes IDX bytes (already decompressed).
 * @param bytes the whole file.
 * @param source the file name used in error messages.
 * @param limits limits in force (default `LIMITS`): the header's first dimension is checked
 *   against `maxIdxItems` before anything is allocated.
 * @returns an {@link IdxArray}; for uint8 the data is a view on `bytes` (no copy).
 * @throws DataFileError naming `source` on a wrong magic number, an unknown type code, a
 *   truncated header, or a "length mismatch" between the header's dimensions and the data
 *   (E_CORRUPT); too many items (E_TOO_LARGE).
 */
export function parseIdx(bytes: Uint8Array, source = '<IDX bytes>', limits?: LimitsOverride | Limits): IdxArray {
  const h = readIdxHeader(bytes, source, resolveLimits(limits));
  const expected = h.dataBytes, actual = bytes.length - h.headerBytes;
  if (actual !== expected)
    throw new DataFileError(source, `length mismatch: header says ${expected} bytes of data (${h.shape.join('x')} ${h.dtype}), file has ${actual}${actual < expected ? ' (truncated)' : ' (trailing bytes)'}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { dtype: h.dtype, shape: h.shape, data: decode(h.dtype, view, h.headerBytes, h.count, bytes) };
}

function decode(dtype: IdxDType, view: DataView, offset: number, n: number, bytes: Uint8Array): IdxData {
  switch (dtype) {
    case 'uint8': return bytes.subarray(offset, offset + n);
    case 'int8': return new Int8Array(bytes.buffer, bytes.byteOffset + offset, n).slice();
    case 'int16': { const a = new Int16Array(n); for (let i = 0; i < n; i++) a[i] = view.getInt16(offset + 2 * i, false); return a; }
    case 'int32': { const a = new Int32Array(n); for (let i = 0; i < n; i++) a[i] = view.getInt32(offset + 4 * i, false); return a; }
    case 'float32': { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = view.getFloat32(offset + 4 * i, false); return a; }
    case 'float64': { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = view.getFloat64(offset + 8 * i, false); return a; }
  }
}

/**
 * Reads an IDX file, gzip-compressed (`.gz`, detected by its magic bytes) or raw. The file is
 * stat-checked first (a regular file of at most `LIMITS.maxFileBytes.idx` bytes, compressed).
 * A gzip file is decompressed in two steps: its first bytes, to read the IDX header, then the
 * whole with zlib's output bounded by the header's size plus the data size it declares, so a
 * gzip bomb fails as soon as it passes what its header claims.
 * @param path the file.
 * @param options checksum policy (default: verified when a `SHA256SUMS` beside it lists it),
 *   `limits` (`maxIdxItems`, `maxFileBytes.idx`, `maxFileBytes.gunzip`), and `maxItems`: only
 *   the first that many items (the result's first dimension), a gzip file decompressed only as
 *   far as they go, so its tail is neither decompressed nor checked.
 * @throws RangeError for a `maxItems` that is not a non-negative integer.
 * @throws DataFileError naming `path`: missing file (E_NOT_FOUND), not a regular file
 *   (E_NOT_REGULAR_FILE), too large or too many items (E_TOO_LARGE), checksum mismatch
 *   (E_CHECKSUM), truncated or corrupt gzip, or any error of {@link parseIdx}.
 */
export function readIdx(path: string, options: Omit<ReadDataFileOptions, 'gunzip' | 'kind'> & { maxItems?: number } = {}): IdxArray {
  const { maxItems, ...fileOptions } = options;
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 0)) throw new RangeError(`readIdx: maxItems must be a non-negative integer, got ${String(maxItems)}`);
  const limits = resolveLimits(options.limits);
  const raw = readDataFile(path, { ...fileOptions, limits, gunzip: false, kind: 'idx' });
  if (!isGzip(raw)) return firstItems(parseIdx(raw, path, limits), maxItems);
  const prefix = gunzipPrefix(raw, path, 4 + 4 * 255, dataFileError);
  if (prefix.length < 4 || prefix.length < 4 + 4 * prefix[3]!) return parseIdx(gunzipData(raw, path, limits), path, limits);
  const h = readIdxHeader(prefix, path, limits);
  const declared = h.headerBytes + h.dataBytes;
  if (declared > limits.maxFileBytes.gunzip)
    throw new DataFileError(path, `header declares ${declared} bytes, which exceeds LIMITS.maxFileBytes.gunzip (${limits.maxFileBytes.gunzip}); raise it with { limits: { maxFileBytes: { gunzip: bytes } } }`, 'E_TOO_LARGE');
  const bound = {
    maxBytes: declared, code: 'E_CORRUPT' as const,
    reason: `its IDX header declares ${declared} bytes (${h.shape.join('x')} ${h.dtype}): trailing data or a gzip bomb`,
  };
  if (maxItems !== undefined && maxItems < h.shape[0]!) {
    // Only the first items: decompress no further than they go (the tail is not checked).
    const want = h.headerBytes + (h.dataBytes / h.shape[0]!) * maxItems;
    const bytes = gunzipLeading(raw, path, want, bound, dataFileError);
    if (bytes.length < want) throw new DataFileError(path, `length mismatch: header says ${h.dataBytes} bytes of data (${h.shape.join('x')} ${h.dtype}), file has ${bytes.length - h.headerBytes} (truncated)`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), count = want - h.headerBytes;
    return { dtype: h.dtype, shape: [maxItems, ...h.shape.slice(1)], data: decode(h.dtype, view, h.headerBytes, count / h.size, bytes) };
  }
  return parseIdx(gunzipBounded(raw, path, bound, dataFileError), path, limits);
}

/** The first `n` items of an array (all when `n` is undefined or not smaller). */
function firstItems(a: IdxArray, n: number | undefined): IdxArray {
  if (n === undefined || n >= a.shape[0]!) return a;
  const per = a.data.length / a.shape[0]!;
  return { dtype: a.dtype, shape: [n, ...a.shape.slice(1)], data: a.data.subarray(0, n * per) };
}

/**
 * Encodes an array as IDX bytes (uncompressed; big-endian as the format requires), e.g. to
 * write a data set in MNIST's format.
 * @throws RangeError when the data length differs from the shape's size or a dimension does not
 *   fit in a uint32, or there are more than 255 dimensions.
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: shape [${shape.join(', ')}] holds ${count} values but data has ${data.length}`);
  if (shape.length === 0 || shape.length > 255) throw new RangeError(`encodeIdx: 1 to 255 dimensions, got ${shape.length}`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0 && d < 2 ** 32)) throw new RangeError(`encodeIdx: dimensions must be uint32, got [${shape.join(', ')}]`);
  const size = TYPES[CODES[dtype]]!.bytes, header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODES[dtype];
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const o = header + i * size, v = data[i]!;
    switch (dtype) {
      case 'uint8': view.setUint8(o, v); break;
      case 'int8': view.setInt8(o, v); break;
      case 'int16': view.setInt16(o, v, false); break;
      case 'int32': view.setInt32(o, v, false); break;
      case 'float32': view.setFloat32(o, v, false); break;
      case 'float64': view.setFloat64(o, v, false); break;
    }
  }
  return out;
}
