import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readLittleEndian,
  writeLittleEndian,
} from '../../src/io/safetensors.js';
import { ModelFileError } from '../../src/io/validate.js';

const PATH = '/tmp/runs/mnist/weights.safetensors';
const f32 = (values: number[], shape: number[] = [values.length]): Tensor => new Tensor(Float32Array.from(values), shape);
const f64 = (values: number[], shape: number[] = [values.length]): Tensor => new Tensor(Float64Array.from(values), shape);

/** Bit patterns, so -0 / NaN / denormals compare exactly. */
function bits(data: Float32Array | Float64Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// An independent minimal reader, written from the format description (Hugging Face's README),
// using none of nabla's code: u64 LE length by byte arithmetic, Buffer's LE float readers.
// ---------------------------------------------------------------------------------------------
interface RawTensor { dtype: string; shape: number[]; begin: number; end: number; values: number[] }
function independentRead(bytes: Uint8Array): { headerLength: number; headerText: string; header: Record<string, unknown>; tensors: Map<string, RawTensor>; dataLength: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + buf[i]!;
  const headerText = buf.subarray(8, 8 + n).toString('utf8');
  const header = JSON.parse(headerText) as Record<string, unknown>;
  const data = buf.subarray(8 + n);
  const tensors = new Map<string, RawTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [begin, end] } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = dtype === 'F64' ? 8 : 4;
    const values: number[] = [];
    for (let at = begin; at < end; at += width) values.push(width === 8 ? data.readDoubleLE(at) : data.readFloatLE(at));
    tensors.set(name, { dtype, shape, begin, end, values });
  }
  return { headerLength: n, headerText, header, tensors, dataLength: data.length };
}

/** Builds a file by hand: 8-byte LE length, header text (space-padded to 8 unless told), data. */
function craft(headerText: string, data: Uint8Array = new Uint8Array(0), options: { pad?: boolean; length?: bigint } = {}): Uint8Array {
  let header = Buffer.from(headerText, 'utf8');
  if (options.pad ?? true) header = Buffer.concat([header, Buffer.alloc((8 - (header.length % 8)) % 8, 0x20)]);
  const out = Buffer.alloc(8 + header.length + data.length);
  out.writeBigUInt64LE(options.length ?? BigInt(header.length), 0);
  header.copy(out, 8);
  Buffer.from(data).copy(out, 8 + header.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

test('float32 round-trips bit-exactly: -0, denormals, extremes, infinities, NaN', () => {
  const values = [
    0, -0, 1, -1, 1.5, Math.fround(Math.PI), Math.fround(0.1),
    3.4028234663852886e38, -3.4028234663852886e38, // largest float32
    1.1754943508222875e-38, // smallest normal
    1.1754942106924411e-38, // largest denormal
    1.401298464324817e-45, -1.401298464324817e-45, // smallest denormal
    Infinity, -Infinity, NaN,
  ];
  const t = f32(values, [4, 4]);
  const back = decodeSafetensors(encodeSafetensors([{ name: 'w', tensor: t }]), PATH).tensors.get('w')!;
  assert.ok(back.data instanceof Float32Array);
  assert.deepEqual(back.shape, [4, 4]);
  assert.equal(bits(back.data), bits(t.data));
  back.data.forEach((v, i) => assert.ok(Object.is(v, Math.fround(values[i]!)), `element ${i}: ${v} vs ${values[i]}`));
});

test('float64 round-trips bit-exactly: -0, denormals, extremes, infinities, NaN', () => {
  const values = [
    0, -0, Math.PI, 0.1, -1e-300, Number.MAX_VALUE, -Number.MAX_VALUE,
    2.2250738585072014e-308, // smallest normal
    2.225073858507201e-308, // largest denormal
    Number.MIN_VALUE, -Number.MIN_VALUE, // smallest denormal
    Infinity, -Infinity, NaN, 1 + Number.EPSILON,
  ];
  const t = f64(values, [3, 5]);
  const back = decodeSafetensors(encodeSafetensors([{ name: 'w', tensor: t }]), PATH).tensors.get('w')!;
  assert.ok(back.data instanceof Float64Array);
  assert.equal(bits(back.data), bits(t.data));
  back.data.forEach((v, i) => assert.ok(Object.is(v, values[i]), `element ${i}: ${v} vs ${values[i]}`));
});

test('many tensors: scalars, empty tensors, 4-D, mixed dtypes, odd sizes; order and metadata kept', () => {
  let seed = 12345;
  const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  const big = new Float32Array(37 * 101).map(() => rand() * 1e3);
  const entries = [
    { name: 'conv2d_1/kernel', tensor: new Tensor(Float32Array.from({ length: 3 * 3 * 1 * 5 }, rand), [3, 3, 1, 5]) },
    { name: 'conv2d_1/bias', tensor: f32([1, 2, 3, 4, 5]) }, // odd count: the next F64 starts at an offset that is 4 mod 8
    { name: 'bn/moving_mean', tensor: new Tensor(Float64Array.from({ length: 7 }, rand), [7]) },
    { name: 'empty', tensor: new Tensor(new Float32Array(0), [0, 3]) },
    { name: 'scalar', tensor: new Tensor(Float64Array.from([42.5]), []) },
    { name: '10', tensor: f32([10]) }, // integer-like names must not be reordered (JS objects would)
    { name: '2', tensor: f32([2]) },
    { name: 'dense/kernel', tensor: new Tensor(big, [37, 101]) },
    { name: 'ünïcødé ✓', tensor: f64([1, -1]) },
  ];
  const metadata = Object.fromEntries([['format', 'nabla'], ['__proto__', 'not a prototype'], ['step', '12']]) as Record<string, string>;
  const bytes = encodeSafetensors(entries, metadata);
  const out = decodeSafetensors(bytes, PATH);
  assert.deepEqual(out.order, entries.map((e) => e.name));
  assert.deepEqual(out.metadata, metadata);
  assert.equal(Object.getPrototypeOf(out.metadata), Object.prototype);
  for (const { name, tensor } of entries) {
    const got = out.tensors.get(name)!;
    assert.deepEqual(got.shape, tensor.shape, name);
    assert.equal(got.dtype, tensor.dtype, name);
    assert.equal(bits(got.data), bits(tensor.data), name);
  }
  assert.equal(out.tensors.get('scalar')!.toArray(), 42.5);
});

test('byte layout, checked by an independent reader: length, padding with spaces, offsets, LE data', () => {
  const kernel = f32([1, -2, 0.5, 3, -0, 6], [2, 3]);
  const bias = f32([0.25, -0.75, 1e-3]);
  const moments = f64([Math.E, -Math.SQRT2]);
  const bytes = encodeSafetensors(
    [{ name: 'dense_1/kernel', tensor: kernel }, { name: 'dense_1/bias', tensor: bias }, { name: 'adam/m', tensor: moments }],
    { format: 'nabla' },
  );
  const r = independentRead(bytes);
  assert.equal(r.headerLength % 8, 0, 'header length is a multiple of 8');
  assert.equal((8 + r.headerLength) % 8, 0, 'data start at a multiple of 8');
  const trimmed = r.headerText.replace(/ +$/, '');
  assert.ok(r.headerText.length - trimmed.length < 8, 'at most 7 padding bytes');
  assert.match(r.headerText.slice(trimmed.length), /^ *$/, 'padding is spaces (0x20)');
  assert.equal(trimmed[0], '{');
  // compact JSON, keys in a fixed order: __metadata__, then the tensors as given
  assert.equal(
    trimmed,
    '{"__metadata__":{"format":"nabla"},' +
      '"dense_1/kernel":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},' +
      '"dense_1/bias":{"dtype":"F32","shape":[3],"data_offsets":[24,36]},' +
      '"adam/m":{"dtype":"F64","shape":[2],"data_offsets":[36,52]}}',
  );
  assert.equal(r.dataLength, 52, 'data section holds exactly the tensors');
  assert.equal(bytes.length, 8 + r.headerLength + 52);
  assert.deepEqual(r.tensors.get('dense_1/kernel')!.values, Array.from(kernel.data));
  assert.ok(Object.is(r.tensors.get('dense_1/kernel')!.values[4], -0));
  assert.deepEqual(r.tensors.get('dense_1/bias')!.values, Array.from(bias.data));
  assert.deepEqual(r.tensors.get('adam/m')!.values, [Math.E, -Math.SQRT2]);
});

test('golden bytes of a minimal file, from the format description', () => {
  const bytes = encodeSafetensors([{ name: 'x', tensor: f32([1, -2]) }]);
  const json = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes -> padded to 56
  const expected = [
    56, 0, 0, 0, 0, 0, 0, 0,
    ...Buffer.from(json + '  ', 'ascii'),
    0x00, 0x00, 0x80, 0x3f, // 1.0f little-endian
    0x00, 0x00, 0x00, 0xc0, // -2.0f little-endian
  ];
  assert.equal(json.length, 54);
  assert.deepEqual(Array.from(bytes), expected);
});

test('an empty list of tensors gives a valid file with "{}" padded to 8', () => {
  const bytes = encodeSafetensors([]);
  assert.deepEqual(Array.from(bytes), [8, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{}      ')]);
  const out = decodeSafetensors(bytes, PATH);
  assert.equal(out.tensors.size, 0);
  assert.deepEqual(out.order, []);
  assert.deepEqual(out.metadata, {});
});

test('deterministic: the same input gives the same bytes; metadata key order does not matter', () => {
  const make = (): Uint8Array =>
    encodeSafetensors(
      [{ name: 'a', tensor: f32([1, 2, 3]) }, { name: 'b', tensor: f64([4]) }],
      { z: '1', a: '2' },
    );
  assert.deepEqual(make(), make());
  const reordered = encodeSafetensors([{ name: 'a', tensor: f32([1, 2, 3]) }, { name: 'b', tensor: f64([4]) }], { a: '2', z: '1' });
  assert.deepEqual(reordered, make());
});

test('decoded tensors own fresh, aligned arrays and never alias the input bytes', () => {
  const bytes = encodeSafetensors([{ name: 'a', tensor: f32([1, 2, 3]) }, { name: 'b', tensor: f64([4, 5]) }]);
  // put the file at an odd offset inside a larger buffer, as a network read might
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const view = shifted.subarray(3);
  const out = decodeSafetensors(view, PATH);
  const b = out.tensors.get('b')!;
  assert.equal(b.data.byteOffset, 0);
  assert.notEqual(b.data.buffer, shifted.buffer);
  view.fill(0xff, view.length - 16); // clobber the input: the tensor must not change
  assert.deepEqual(Array.from(b.data), [4, 5]);
  // an ArrayBuffer is accepted too
  assert.deepEqual(Array.from(decodeSafetensors(bytes.slice().buffer, PATH).tensors.get('a')!.data), [1, 2, 3]);
});

test('the portable (DataView, explicit little-endian) path agrees with the fast path', () => {
  const src32 = Float32Array.from({ length: 257 }, (_, i) => Math.sin(i) * 10 ** ((i % 20) - 10));
  src32[3] = -0; src32[4] = Infinity; src32[5] = 1.401298464324817e-45;
  const src64 = Float64Array.from({ length: 129 }, (_, i) => Math.cos(i) * 10 ** ((i % 60) - 30));
  src64[7] = -0; src64[8] = -Infinity; src64[9] = Number.MIN_VALUE;
  for (const src of [src32, src64]) {
    const fast = new Uint8Array(src.byteLength + 5);
    const slow = new Uint8Array(src.byteLength + 5);
    writeLittleEndian(src, fast, 5, false);
    writeLittleEndian(src, slow, 5, true);
    assert.deepEqual(slow, fast);
    const back1 = src instanceof Float64Array ? new Float64Array(src.length) : new Float32Array(src.length);
    const back2 = src instanceof Float64Array ? new Float64Array(src.length) : new Float32Array(src.length);
    readLittleEndian(fast, 5, back1, false);
    readLittleEndian(fast, 5, back2, true);
    assert.equal(bits(back1), bits(src));
    assert.equal(bits(back2), bits(src));
  }
});

test('reads files laid out by other writers: keys in any order, data order differing from key order', () => {
  // header keys b, __metadata__, a; data: a first, then b; no padding; leading whitespace
  const header = ' {"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a2":{"shape":[0],"dtype":"F32","data_offsets":[16,16],"extra":"ignored"}}';
  const data = new Uint8Array(16);
  new DataView(data.buffer).setFloat32(0, 1.5, true);
  new DataView(data.buffer).setFloat32(4, -2.5, true);
  new DataView(data.buffer).setFloat64(8, 1e-310, true);
  const out = decodeSafetensors(craft(header, data, { pad: false }), PATH);
  assert.deepEqual(out.order, ['a', 'b', 'a2']);
  assert.deepEqual(out.metadata, { format: 'pt' });
  assert.deepEqual(Array.from(out.tensors.get('a')!.data), [1.5, -2.5]);
  assert.deepEqual(Array.from(out.tensors.get('b')!.data), [1e-310]);
  assert.deepEqual(out.tensors.get('a2')!.shape, [0]);
});

/** Expects decodeSafetensors to refuse `bytes` with a ModelFileError matching `re` and naming PATH. */
function refuses(bytes: Uint8Array, re: RegExp): ModelFileError {
  let caught: unknown;
  try {
    decodeSafetensors(bytes, PATH);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ModelFileError, `expected a ModelFileError, got ${String(caught)}`);
  assert.equal(caught.path, PATH);
  assert.match(caught.message, /^weights\.safetensors: /);
  assert.match(caught.message, /\(in \/tmp\/runs\/mnist\/weights\.safetensors\)$/);
  assert.match(caught.message, re);
  return caught;
}

const T = (name: string, info: string): string => `"${name}":${info}`;
const good = (begin: number, end: number, shape = '[2]', dtype = 'F32'): string => `{"dtype":"${dtype}","shape":${shape},"data_offsets":[${begin},${end}]}`;

test('refuses files that are too short for the 8-byte header length', () => {
  refuses(new Uint8Array(0), /is 0 bytes long, too short/);
  refuses(new Uint8Array(7), /is 7 bytes long, too short.*truncated or not a safetensors file/);
});

test('refuses a header length that runs past the end of the file, or over the 100 MB limit', () => {
  const e = refuses(craft('{}', new Uint8Array(0), { length: 1000n }), /header length 1000 runs past the end of the file \(16 bytes/);
  assert.equal(e.field, 'header length');
  refuses(craft('{}', new Uint8Array(0), { length: 2n ** 64n - 1n }), /header length 18446744073709551615 exceeds the format's limit of 100000000 bytes/);
  // a text file (e.g. JSON saved under the wrong name): its first 8 bytes make a huge length
  refuses(new TextEncoder().encode('{"layers": [1, 2, 3], "name": "not weights"}'), /header length \d+ exceeds the format's limit/);
});

test('refuses a header that is not UTF-8, not JSON, or not an object', () => {
  const bad = craft('{"a":1}');
  bad[10] = 0xff;
  refuses(bad, /header is not valid UTF-8/);
  refuses(craft('{"x": {"dtype": "F32",'), /header is not valid JSON \(.+\)/);
  refuses(craft('[1, 2]'), /header must be a JSON object, got \[1,2\]/);
  refuses(craft('42'), /header must be a JSON object, got 42/);
});

test('refuses duplicate names (JSON.parse would silently keep the last one)', () => {
  const text = `{${T('x', good(0, 8))},${T('x', good(0, 8))}}`;
  refuses(craft(text, f32Bytes([1, 2])), /header lists 'x' twice/);
});

test('refuses a __metadata__ that is not an object of strings', () => {
  refuses(craft('{"__metadata__":["a"]}'), /'__metadata__' must be an object of strings, got \["a"\]/);
  const e = refuses(craft('{"__metadata__":{"epoch":3}}'), /'__metadata__' values must be strings, but 'epoch' is 3/);
  assert.equal(e.field, '__metadata__.epoch');
});

test('refuses tensor entries that are not objects, and unsupported or unknown dtypes, naming them', () => {
  refuses(craft('{"w":[1,2]}'), /tensor 'w' must be described by an object \{ dtype, shape, data_offsets \}, got \[1,2\]/);
  refuses(craft(`{${T('w', '{"shape":[2],"data_offsets":[0,8]}')}}`, f32Bytes([1, 2])), /tensor 'w': dtype must be a string such as "F32", got nothing/);
  const e = refuses(craft(`{${T('w', good(0, 4, '[2]', 'F16'))}}`, new Uint8Array(4)), /tensor 'w' has dtype F16, which nabla does not read \(it reads F32 and F64\)/);
  assert.equal(e.field, 'w.dtype');
  refuses(craft(`{${T('w', good(0, 8, '[2]', 'BF16'))}}`, new Uint8Array(8)), /dtype BF16, which nabla does not read/);
  refuses(craft(`{${T('w', good(0, 8, '[2]', 'I32'))}}`, new Uint8Array(8)), /dtype I32, which nabla does not read/);
  refuses(craft(`{${T('w', good(0, 8, '[2]', 'float32'))}}`, new Uint8Array(8)), /tensor 'w' has unknown dtype "float32" \(nabla reads F32 and F64\)/);
});

test('refuses shapes that are not lists of non-negative integers', () => {
  for (const [shape, shown] of [['3', '3'], ['[2,-1]', '\\[2,-1\\]'], ['[1.5]', '\\[1.5\\]'], ['["2"]', '\\["2"\\]'], ['null', 'null']] as const) {
    const e = refuses(craft(`{${T('w', good(0, 8, shape))}}`, new Uint8Array(8)), new RegExp(`tensor 'w': shape must be a list of non-negative integers, got ${shown}`));
    assert.equal(e.field, 'w.shape');
  }
});

test('refuses data_offsets that are not [begin, end] integers with begin <= end', () => {
  const info = (offsets: string): string => `{${T('w', `{"dtype":"F32","shape":[2],"data_offsets":${offsets}}`)}}`;
  refuses(craft(info('[0]'), new Uint8Array(8)), /tensor 'w': data_offsets must be \[begin, end\], two non-negative integers, got \[0\]/);
  refuses(craft(info('[0,8,16]'), new Uint8Array(8)), /data_offsets must be \[begin, end\]/);
  refuses(craft(info('["0","8"]'), new Uint8Array(8)), /data_offsets must be \[begin, end\].*got \["0","8"\]/);
  refuses(craft(info('[-8,0]'), new Uint8Array(8)), /data_offsets must be \[begin, end\]/);
  refuses(craft(info('[8,0]'), new Uint8Array(8)), /data_offsets \[8, 0\] end before they begin/);
  refuses(craft(`{${T('w', '{"dtype":"F32","shape":[2]}')}}`, new Uint8Array(8)), /data_offsets must be \[begin, end\].*got nothing/);
});

test('refuses a size mismatch between shape x dtype and the offsets', () => {
  const e = refuses(craft(`{${T('w', good(0, 12, '[2, 2]'))}}`, new Uint8Array(12)), /tensor 'w': shape \[2, 2\] of F32 needs 16 bytes, but data_offsets \[0, 12\] hold 12/);
  assert.equal(e.field, 'w.data_offsets');
  refuses(craft(`{${T('w', good(0, 8, '[2]', 'F64'))}}`, new Uint8Array(8)), /shape \[2\] of F64 needs 16 bytes, but data_offsets \[0, 8\] hold 8/);
});

test('refuses a truncated file (data cut short) and offsets past the end', () => {
  const whole = encodeSafetensors([{ name: 'dense/kernel', tensor: f32([1, 2, 3, 4], [2, 2]) }, { name: 'dense/bias', tensor: f32([5, 6]) }]);
  refuses(whole.subarray(0, whole.length - 4), /tensor 'dense\/bias': data_offsets \[16, 24\] run past the end of the file \(the data section has 20 bytes\): the file is truncated/);
  refuses(whole.subarray(0, 20), /header length \d+ runs past the end of the file \(20 bytes/);
  refuses(craft(`{${T('w', good(1000, 1008))}}`, new Uint8Array(8)), /data_offsets \[1000, 1008\] run past the end of the file/);
});

test('refuses overlapping data, holes, a first tensor not at 0, and trailing bytes', () => {
  refuses(
    craft(`{${T('a', good(0, 8))},${T('b', good(4, 12))}}`, new Uint8Array(12)),
    /the data of tensors 'a' \(bytes 0 to 8\) and 'b' \(bytes 4 to 12\) overlap/,
  );
  refuses(craft(`{${T('a', good(0, 8))},${T('b', good(0, 8))}}`, new Uint8Array(8)), /'a' \(bytes 0 to 8\) and 'b' \(bytes 0 to 8\) overlap/);
  refuses(craft(`{${T('a', good(0, 8))},${T('b', good(12, 20))}}`, new Uint8Array(20)), /bytes 8 to 12 of the data section belong to no tensor \(the format forbids holes\)/);
  refuses(craft(`{${T('a', good(4, 12))}}`, new Uint8Array(12)), /bytes 0 to 4 of the data section belong to no tensor/);
  const e = refuses(craft(`{${T('a', good(0, 8))}}`, new Uint8Array(11)), /the data section has 11 bytes but its tensors cover only 8: 3 trailing bytes belong to no tensor/);
  assert.equal(e.field, 'data');
  refuses(craft('{}', new Uint8Array(4)), /the data section has 4 bytes but its tensors cover only 0/);
});

test('encodeSafetensors refuses bad input before writing anything', () => {
  const t = f32([1]);
  assert.throws(() => encodeSafetensors([{ name: 'a', tensor: t }, { name: 'a', tensor: t }]), /the name 'a' appears twice/);
  assert.throws(() => encodeSafetensors([{ name: '__metadata__', tensor: t }]), /'__metadata__' is reserved/);
  assert.throws(() => encodeSafetensors([{ name: '', tensor: t }]), /empty name/);
  assert.throws(() => encodeSafetensors([{ name: 'bad\uD800', tensor: t }]), /lone UTF-16 surrogate/);
  assert.throws(() => encodeSafetensors([{ name: 'a', tensor: { data: new Float32Array(1), shape: [1] } as unknown as Tensor }]), /entry 0 must be \{ name: string, tensor: Tensor \}/);
  assert.throws(() => encodeSafetensors([], { epoch: 3 as unknown as string }), /metadata values must be strings.*'epoch' is 3/);
  assert.throws(() => encodeSafetensors('x' as unknown as []), TypeError);
});

test('decodeSafetensors refuses a non-byte argument with a TypeError', () => {
  assert.throws(() => decodeSafetensors('not bytes' as unknown as Uint8Array, PATH), /expected the file's bytes as a Uint8Array or ArrayBuffer/);
});

// ---------------------------------------------------------------------------------------------
// Cross-check with Python + NumPy (an independent reader and writer), when available.
// ---------------------------------------------------------------------------------------------
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../scripts/safetensors_numpy_check.py', import.meta.url));
function hasNumpy(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const parsePy = (s: string): number => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s));

test('Python/NumPy reads what nabla writes, and nabla reads what Python writes', { skip: hasNumpy() ? false : 'no /usr/bin/python3 with numpy' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-st-'));
  try {
    const file = join(dir, 'nabla.safetensors');
    const entries = [
      { name: 'dense_1/kernel', tensor: f32([1, -0, 1.401298464324817e-45, Infinity, -Infinity, 0.1], [3, 2]) },
      { name: 'dense_1/bias', tensor: f32([0.5]) },
      { name: 'bn/var', tensor: f64([Number.MIN_VALUE, -Math.PI, 1e300]) },
      { name: 'empty', tensor: new Tensor(new Float32Array(0), [2, 0]) },
      { name: 'scalar', tensor: new Tensor(Float64Array.from([-7]), []) },
    ];
    writeFileSync(file, encodeSafetensors(entries, { format: 'nabla', 'über': 'ü' }));
    const read = JSON.parse(execFileSync(PYTHON, [SCRIPT, 'read', file], { encoding: 'utf8' })) as {
      metadata: Record<string, string>; order: string[]; tensors: Record<string, { dtype: string; shape: number[]; values: string[] }>;
    };
    assert.deepEqual(read.metadata, { format: 'nabla', 'über': 'ü' });
    assert.deepEqual(read.order, entries.map((e) => e.name));
    for (const { name, tensor } of entries) {
      const py = read.tensors[name]!;
      assert.equal(py.dtype, tensor.dtype === 'float64' ? 'F64' : 'F32');
      assert.deepEqual(py.shape, tensor.shape);
      py.values.map(parsePy).forEach((v, i) => assert.ok(Object.is(v, tensor.data[i]), `${name}[${i}]: python ${v}, nabla ${tensor.data[i]}`));
    }

    const pyFile = join(dir, 'python.safetensors');
    const written = JSON.parse(execFileSync(PYTHON, [SCRIPT, 'write', pyFile], { encoding: 'utf8' })) as {
      metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; values: string[] }>;
    };
    const out = decodeSafetensors(readFileSync(pyFile), pyFile);
    assert.deepEqual(out.metadata, written.metadata);
    assert.deepEqual([...out.tensors.keys()].sort(), Object.keys(written.tensors).sort());
    for (const [name, py] of Object.entries(written.tensors)) {
      const t = out.tensors.get(name)!;
      assert.equal(t.dtype, py.dtype === 'F64' ? 'float64' : 'float32', name);
      assert.deepEqual(t.shape, py.shape, name);
      py.values.map(parsePy).forEach((v, i) => assert.ok(Object.is(t.data[i], v), `${name}[${i}]`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
