/**
 * The safetensors format (Hugging Face, https://github.com/huggingface/safetensors, README
 * "Format"), for float32 and float64 tensors:
 *
 * - 8 bytes: N, the header's length in bytes, an unsigned little-endian 64-bit integer;
 * - N bytes: the header, UTF-8 JSON: an object mapping each tensor's name to
 *   `{ "dtype": "F32" | "F64", "shape": [...], "data_offsets": [begin, end] }`, with the offsets
 *   relative to the start of the data section (`end` one past the last byte), plus an optional
 *   `"__metadata__"` object of string -> string. Writers pad the header with spaces (0x20) so
 *   that the data section starts at a multiple of 8;
 * - the rest: the data section, each tensor's numbers row-major ('C' order), little-endian,
 *   the tensors back to back: the offsets cover the section exactly, without holes or overlaps.
 *
 * Empty tensors (a zero dimension) and scalars (shape `[]`) are allowed; numbers are not checked
 * (NaN and infinities pass through). The header may be at most 100,000,000 bytes.
 *
 * This module has no Node.js imports: it runs in the browser too. Reading and writing files is
 * in `files.ts`.
 */
import { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/tensor.js';
import type { FileErrorCode } from '../errors.js';
import { LIMITS } from '../limits.js';
import { ModelFileError, checkJsonDepth, describeValue, fieldPath, jsonProblem } from './validate.js';

/** The largest header the format allows (the reference implementation refuses larger ones). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** The dtypes nabla reads and writes. */
export type SafetensorsDtype = 'F32' | 'F64';

/** Every dtype the safetensors format defines, for a precise "not supported" message. */
const KNOWN_DTYPES = new Set([
  'BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0',
  'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'C64', 'F64', 'I64', 'U64',
]);

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, F64: 8 };

/** One named tensor to write. */
export interface SafetensorsEntry {
  /** The tensor's name in the file; nabla uses `<layer>/<weight>` (`'dense_1/kernel'`). */
  name: string;
  tensor: Tensor;
}

/** What {@link decodeSafetensors} returns. */
export interface DecodedSafetensors {
  /** Every tensor by name; each owns a fresh, aligned Float32Array/Float64Array. */
  tensors: Map<string, Tensor>;
  /**
   * The names in the order of their data in the file. For a file nabla wrote this is the order
   * given to {@link encodeSafetensors}.
   */
  order: string[];
  /** The `__metadata__` map; `{}` when the file has none. */
  metadata: Record<string, string>;
}

/** True when this machine stores numbers little-endian (every platform Node.js runs on today). */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function dtypeOfTensor(t: Tensor): SafetensorsDtype {
  return t.data instanceof Float64Array ? 'F64' : 'F32';
}

/**
 * Writes tensors in the safetensors format.
 *
 * The layout is fixed by the input, so the same tensors, names and metadata always give the same
 * bytes: the header's keys are `__metadata__` first (when given, with its keys sorted), then the
 * tensors in the given order; the header is compact JSON (no spaces) padded with spaces to a
 * multiple of 8 bytes; the data follow in the given order, back to back, little-endian on every
 * platform.
 *
 * nabla does not reorder tensors. A float64 tensor that follows a float32 tensor with an odd
 * number of elements starts at an offset that is not a multiple of 8; this is valid safetensors
 * and every reader copes, but zero-copy readers prefer float64 tensors first.
 *
 * @param tensors  the tensors with their names, in the order to store them.
 * @param metadata optional free-form string -> string map, stored as `__metadata__`.
 * @returns the file's bytes.
 * @throws TypeError when an entry is not `{ name: string, tensor: Tensor }`, a name is empty,
 *   `'__metadata__'`, repeated, or holds a lone UTF-16 surrogate, or a metadata value is not a
 *   string.
 * @throws RangeError when the header would exceed 100,000,000 bytes.
 */
export function encodeSafetensors(
  tensors: readonly SafetensorsEntry[],
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  if (!Array.isArray(tensors)) throw new TypeError(`encodeSafetensors: expected an array of { name, tensor }, got ${describeValue(tensors)}`);
  const seen = new Set<string>();
  const parts: string[] = [];
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      throw new TypeError(`encodeSafetensors: metadata must be an object of strings, got ${describeValue(metadata)}`);
    const keys = Object.keys(metadata).sort();
    const fields = keys.map((k) => {
      const v = metadata[k];
      if (typeof v !== 'string')
        throw new TypeError(`encodeSafetensors: metadata values must be strings (the format allows nothing else), but '${k}' is ${describeValue(v)}`);
      if (LONE_SURROGATE.test(k) || LONE_SURROGATE.test(v))
        throw new TypeError(`encodeSafetensors: metadata entry '${k}' holds a lone UTF-16 surrogate, which is not valid UTF-8`);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`"__metadata__":{${fields.join(',')}}`);
  }
  let offset = 0;
  tensors.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string' || !(entry.tensor instanceof Tensor))
      throw new TypeError(`encodeSafetensors: entry ${i} must be { name: string, tensor: Tensor }, got ${describeValue(entry)}`);
    const { name, tensor } = entry;
    if (name === '') throw new TypeError(`encodeSafetensors: entry ${i} has an empty name`);
    if (name === '__metadata__') throw new TypeError(`encodeSafetensors: entry ${i}: '__metadata__' is reserved by the format and cannot name a tensor`);
    if (LONE_SURROGATE.test(name)) throw new TypeError(`encodeSafetensors: entry ${i}: name ${JSON.stringify(name)} holds a lone UTF-16 surrogate, which is not valid UTF-8`);
    if (seen.has(name)) throw new TypeError(`encodeSafetensors: the name '${name}' appears twice (entries must have unique names)`);
    seen.add(name);
    const dtype = dtypeOfTensor(tensor);
    const nbytes = tensor.data.length * BYTES_PER_ELEMENT[dtype];
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${tensor.shape.join(',')}],"data_offsets":[${offset},${offset + nbytes}]}`,
    );
    offset += nbytes;
  });
  const headerText = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(headerText.length / 8) * 8;
  if (headerLength > SAFETENSORS_MAX_HEADER_BYTES)
    throw new RangeError(`encodeSafetensors: the header would take ${headerLength} bytes, more than the format's limit of ${SAFETENSORS_MAX_HEADER_BYTES}`);

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(headerText, 8);
  out.fill(0x20, 8 + headerText.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const { tensor } of tensors) {
    writeLittleEndian(tensor.data, out, at);
    at += tensor.data.byteLength;
  }
  return out;
}

/**
 * Copies `src`'s numbers into `out` at `byteOffset`, little-endian.
 * @internal exported for tests; `portable` forces the DataView path used on big-endian hosts.
 */
export function writeLittleEndian(src: FloatArray, out: Uint8Array, byteOffset: number, portable = !HOST_IS_LITTLE_ENDIAN): void {
  if (!portable) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), byteOffset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + byteOffset, src.byteLength);
  if (src instanceof Float64Array) for (let i = 0; i < src.length; i++) view.setFloat64(i * 8, src[i]!, true);
  else for (let i = 0; i < src.length; i++) view.setFloat32(i * 4, src[i]!, true);
}

/**
 * Reads `out.length` little-endian numbers from `src` at `byteOffset` into `out`.
 * On a little-endian host this is a byte copy (bit-exact, NaN payloads included); the portable
 * DataView path is value-exact (a NaN may come back as the canonical NaN).
 * @internal exported for tests; `portable` forces the DataView path used on big-endian hosts.
 */
export function readLittleEndian(src: Uint8Array, byteOffset: number, out: FloatArray, portable = !HOST_IS_LITTLE_ENDIAN): void {
  if (!portable) {
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(src.subarray(byteOffset, byteOffset + out.byteLength));
    return;
  }
  const view = new DataView(src.buffer, src.byteOffset + byteOffset, out.byteLength);
  if (out instanceof Float64Array) for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  else for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
}

/**
 * The keys of the top-level object of a valid JSON text, in file order, duplicates included
 * (JSON.parse keeps only the last of duplicated keys and reorders integer-like keys).
 */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(text.slice(i, j + 1)) as string);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    } else if (c === 0x2c /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
  index: number;
}

function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Reads a safetensors file, validating all of it before trusting any of it.
 *
 * Refused, each with a {@link ModelFileError} naming `path` and what was wrong: a file shorter
 * than 8 bytes; a header length past the end of the file or over 100,000,000 bytes; a header
 * that is not UTF-8, not JSON, or not a JSON object; a repeated name; a `__metadata__` that is
 * not an object of strings; a tensor entry that is not an object; a dtype other than F32 and F64
 * (other dtypes of the format are named as unsupported, unknown ones as unknown); a shape that is
 * not a list of non-negative integers; `data_offsets` that are not `[begin, end]` integers with
 * begin <= end; `end - begin` different from the shape's size times the dtype's bytes; offsets
 * past the end of the file (a truncated file); tensors whose data overlap, holes between them,
 * and bytes after the last tensor (the format requires the data section to be covered exactly).
 * Keys of a tensor entry other than dtype, shape and data_offsets are ignored, as the reference
 * implementation does; leading whitespace before the header's `{` is accepted, as it does too.
 *
 * Numbers are read little-endian whatever the platform, into fresh, aligned arrays (a tensor
 * never aliases `bytes`).
 *
 * @param bytes the whole file.
 * @param path  the file's path or URL, named in errors.
 * @param maxJsonDepth the deepest nesting the header may have (default `LIMITS.maxJsonDepth`).
 * @returns the tensors by name, their order in the file, and the metadata.
 * @throws ModelFileError when the file is not a valid safetensors file of F32/F64 tensors: code
 *   E_CORRUPT for bytes that do not parse (lengths, offsets, overlaps, holes), E_INVALID for a
 *   wrong field (a shape, a dtype's type), E_UNSUPPORTED for a dtype nabla does not read,
 *   E_TOO_LARGE for a header nested deeper than `LIMITS.maxJsonDepth`.
 * @throws TypeError when `bytes` is not a Uint8Array or ArrayBuffer.
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, path: string, maxJsonDepth: number = LIMITS.maxJsonDepth): DecodedSafetensors {
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`decodeSafetensors: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describeValue(bytes)}`);
  function fail(problem: string, field?: string, code: FileErrorCode = 'E_CORRUPT'): never {
    throw new ModelFileError(path, problem, field, code);
  }
  const fileLength = bytes.length;
  if (fileLength < 8)
    fail(`is ${fileLength} byte${fileLength === 1 ? '' : 's'} long, too short for a safetensors file (it starts with an 8-byte header length): truncated or not a safetensors file`, 'header length');

  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(SAFETENSORS_MAX_HEADER_BYTES))
    fail(`header length ${n} exceeds the format's limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes: corrupt or not a safetensors file`, 'header length');
  const headerLength = Number(n);
  if (8 + headerLength > fileLength)
    fail(`header length ${headerLength} runs past the end of the file (${fileLength} bytes, so at most ${fileLength - 8} for the header): truncated or not a safetensors file`, 'header length');

  let text: string;
  try {
    text = strictUtf8.decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('header is not valid UTF-8: corrupt or not a safetensors file', 'header');
  }
  checkJsonDepth(text, path, maxJsonDepth);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${jsonProblem(e)}): corrupt or not a safetensors file`, 'header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail(`header must be a JSON object, got ${describeValue(header)}`, 'header');
  const record = header as Record<string, unknown>;

  const keys = topLevelKeys(text);
  const names = new Set<string>();
  for (const k of keys) {
    if (names.has(k)) fail(`header lists '${k}' twice (the format forbids duplicate keys)`, k);
    names.add(k);
  }

  const dataStart = 8 + headerLength;
  const dataLength = fileLength - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const name of keys) {
    const value = record[name];
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail(`'__metadata__' must be an object of strings, got ${describeValue(value)}`, name, 'E_INVALID');
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        if (typeof v !== 'string') fail(`'__metadata__' values must be strings, but '${k}' is ${describeValue(v)}`, fieldPath(name, k), 'E_INVALID');
      metadata = Object.fromEntries(Object.entries(value as Record<string, string>));
      continue;
    }
    const t = `tensor '${name}'`;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(`${t} must be described by an object { dtype, shape, data_offsets }, got ${describeValue(value)}`, name, 'E_INVALID');
    const info = value as Record<string, unknown>;

    const dtype = info['dtype'];
    if (typeof dtype !== 'string') fail(`${t}: dtype must be a string such as "F32", got ${describeValue(dtype)}`, `${name}.dtype`, 'E_INVALID');
    if (dtype !== 'F32' && dtype !== 'F64') {
      if (KNOWN_DTYPES.has(dtype as string))
        fail(`${t} has dtype ${dtype}, which nabla does not read (it reads F32 and F64); convert the tensor to float32 first`, `${name}.dtype`, 'E_UNSUPPORTED');
      fail(`${t} has unknown dtype ${describeValue(dtype)} (nabla reads F32 and F64)`, `${name}.dtype`, 'E_UNSUPPORTED');
    }
    const dt = dtype as SafetensorsDtype;

    const shape = info['shape'];
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
      fail(`${t}: shape must be a list of non-negative integers, got ${describeValue(shape)}`, `${name}.shape`, 'E_INVALID');
    const dims = shape as number[];
    let count = 1;
    for (const d of dims) count *= d;
    const expectedBytes = count * BYTES_PER_ELEMENT[dt];
    if (!Number.isSafeInteger(expectedBytes))
      fail(`${t}: shape ${fmtShape(dims)} is too large (${count} elements)`, `${name}.shape`);

    const offsets = info['data_offsets'];
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
    )
      fail(`${t}: data_offsets must be [begin, end], two non-negative integers, got ${describeValue(offsets)}`, `${name}.data_offsets`, 'E_INVALID');
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${t}: data_offsets [${begin}, ${end}] end before they begin`, `${name}.data_offsets`);
    if (end - begin !== expectedBytes)
      fail(
        `${t}: shape ${fmtShape(dims)} of ${dt} needs ${expectedBytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
        `${name}.data_offsets`,
      );
    if (end > dataLength)
      fail(
        `${t}: data_offsets [${begin}, ${end}] run past the end of the file (the data section has ${dataLength} bytes): the file is truncated`,
        `${name}.data_offsets`,
      );
    entries.push({ name, dtype: dt, shape: dims, begin, end, index: entries.length });
  }

  // The data section must be covered exactly: sorted by offset, each tensor starts where the
  // previous one ended (empty tensors take no room), and the last one ends at the end of the file.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end || a.index - b.index);
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < cursor)
      fail(
        `the data of tensors '${previous!.name}' (bytes ${previous!.begin} to ${previous!.end}) and '${e.name}' (bytes ${e.begin} to ${e.end}) overlap`,
        `${e.name}.data_offsets`,
      );
    if (e.begin > cursor)
      fail(`bytes ${cursor} to ${e.begin} of the data section belong to no tensor (the format forbids holes)`, `${e.name}.data_offsets`);
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength)
    fail(
      `the data section has ${dataLength} bytes but its tensors cover only ${cursor}: ${dataLength - cursor} trailing bytes belong to no tensor`,
      'data',
    );

  const tensors = new Map<string, Tensor>();
  for (const e of sorted) {
    const count = (e.end - e.begin) / BYTES_PER_ELEMENT[e.dtype];
    const data = e.dtype === 'F64' ? new Float64Array(count) : new Float32Array(count);
    readLittleEndian(bytes, dataStart + e.begin, data);
    tensors.set(e.name, new Tensor(data, e.shape));
  }
  return { tensors, order: sorted.map((e) => e.name), metadata };
}
