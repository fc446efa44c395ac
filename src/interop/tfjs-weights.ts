/**
 * The weights of the TensorFlow.js Layers format (tfjs-core's io, "weights manifest"): model.json's
 * `weightsManifest` is a list of groups, each `{ paths: [shard files], weights: [{ name, shape,
 * dtype, quantization? }] }`; a group's weights lie back to back in the concatenation of its shards
 * (in `paths` order), each `size x bytes-per-number` long, little-endian. Quantised weights
 * (tensorflowjs_converter --quantize_*) store uint8 or uint16 numbers q, decoded as
 * `q scale + min`, or IEEE half floats (float16); all decode to float32, as tfjs-core's
 * `io.decodeWeights` does. Pure functions (no file system): the browser can use them too.
 */
import type { Limits } from '../limits.js';
import { ModelFileError } from '../io/validate.js';
import { expectArray, expectKeys, expectNumber, expectObject, expectOneOf, expectShape, expectString, fieldPath } from '../io/validate.js';

/** One weight of the manifest, validated. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** One group of the manifest: its shard files and weights. */
export interface TfjsWeightGroup { paths: string[]; weights: TfjsWeightSpec[] }

const QUANTIZED_BYTES = { uint8: 1, uint16: 2, float16: 2 } as const;
/** A shard file name: one path segment of safe characters (no directories, no URL, no '..'). */
const SHARD_NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]+$/;

/** Bytes one weight takes in its shards. */
export function specBytes(w: TfjsWeightSpec): number {
  return w.shape.reduce((a, b) => a * b, 1) * (w.quantization ? QUANTIZED_BYTES[w.quantization.dtype] : 4);
}

/**
 * Validates `weightsManifest`.
 * @throws ModelFileError naming model.json and the field: a malformed entry (E_INVALID), a shard
 *   path that is not a plain file name (E_INVALID), a dtype (or a quantised weight's
 *   original_dtype) other than float32 or a quantisation other than uint8/uint16/float16 (E_UNSUPPORTED), or more bytes than `LIMITS.maxFileBytes.safetensors` (E_TOO_LARGE).
 */
export function decodeManifest(value: unknown, p: string, limits: Limits): TfjsWeightGroup[] {
  let total = 0;
  const groups = expectArray(value, p, 'weightsManifest').map((g, gi) => {
    const gf = fieldPath('weightsManifest', gi);
    const group = expectObject(g, p, gf);
    expectKeys(group, p, gf, { required: ['paths', 'weights'] });
    const paths = expectArray(group.paths, p, `${gf}.paths`, { minLength: 1 }).map((s, si) => {
      const name = expectString(s, p, fieldPath(`${gf}.paths`, si));
      if (!SHARD_NAME.test(name)) throw new ModelFileError(p, `field '${gf}.paths[${si}]' must be a file name beside model.json (letters, digits, '_', '.', '-')`, `${gf}.paths[${si}]`);
      return name;
    });
    const weights = expectArray(group.weights, p, `${gf}.weights`).map((w, wi) => {
      const f = fieldPath(`${gf}.weights`, wi);
      const o = expectObject(w, p, f);
      expectKeys(o, p, f, { required: ['name', 'shape', 'dtype'], optional: ['quantization', 'group'] });
      const dtype = o.dtype;
      if (dtype !== 'float32') throw new ModelFileError(p, `field '${f}.dtype' is ${JSON.stringify(dtype)}: nabla reads float32 weights only`, `${f}.dtype`, 'E_UNSUPPORTED');
      const spec: TfjsWeightSpec = { name: expectString(o.name, p, `${f}.name`, { nonEmpty: true }), shape: expectShape(o.shape, p, `${f}.shape`), dtype };
      if (o.quantization !== undefined) {
        const q = expectObject(o.quantization, p, `${f}.quantization`);
        expectKeys(q, p, `${f}.quantization`, { required: ['dtype'], optional: ['scale', 'min', 'original_dtype'] });
        if (q.original_dtype !== undefined && q.original_dtype !== 'float32')
          throw new ModelFileError(p, `field '${f}.quantization.original_dtype' is ${JSON.stringify(q.original_dtype).slice(0, 40)}: nabla reads float32 weights only`, `${f}.quantization.original_dtype`, 'E_UNSUPPORTED');
        const qd = q.dtype;
        if (qd !== 'uint8' && qd !== 'uint16' && qd !== 'float16')
          throw new ModelFileError(p, `field '${f}.quantization.dtype' is ${JSON.stringify(qd)}: nabla reads uint8, uint16 and float16 quantisation`, `${f}.quantization.dtype`, 'E_UNSUPPORTED');
        spec.quantization = { dtype: expectOneOf(qd, ['uint8', 'uint16', 'float16'], p, `${f}.quantization.dtype`) };
        if (qd !== 'float16') {
          spec.quantization.scale = expectNumber(q.scale, p, `${f}.quantization.scale`);
          spec.quantization.min = expectNumber(q.min, p, `${f}.quantization.min`);
        }
      }
      total += specBytes(spec);
      return spec;
    });
    return { paths, weights };
  });
  if (total > limits.maxFileBytes.safetensors)
    throw new ModelFileError(p, `field 'weightsManifest' lists ${total} bytes of weights, which exceeds LIMITS.maxFileBytes.safetensors (${limits.maxFileBytes.safetensors}); raise it with { limits: { maxFileBytes: { safetensors: bytes } } }`, 'weightsManifest', 'E_TOO_LARGE');
  return groups;
}

/** IEEE 754 half -> number (sign, 5-bit exponent, 10-bit fraction; subnormals, infinities and NaN). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes one weight's bytes to float32, as tfjs-core's io.decodeWeights.
 * @param bytes exactly specBytes(spec) bytes.
 */
export function decodeWeightBytes(spec: TfjsWeightSpec, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = spec.shape.reduce((a, b) => a * b, 1), out = new Float32Array(n), q = spec.quantization;
  if (!q) for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  else if (q.dtype === 'uint8') for (let i = 0; i < n; i++) out[i] = bytes[i]! * q.scale! + q.min!;
  else if (q.dtype === 'uint16') for (let i = 0; i < n; i++) out[i] = view.getUint16(i * 2, true) * q.scale! + q.min!;
  else for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  return out;
}

/**
 * Every weight of the manifest, decoded, by its manifest name.
 * @param shards the bytes of each group, its shards concatenated in `paths` order.
 * @param where the file (or files) the group's bytes came from, for messages.
 * @throws ModelFileError (E_CORRUPT) naming the group's shards when the manifest claims more bytes
 *   than they hold, or fewer (bytes nobody reads); E_INVALID for a name listed twice.
 */
export function decodeGroups(groups: TfjsWeightGroup[], shards: Uint8Array[], where: (gi: number) => string): Map<string, { spec: TfjsWeightSpec; data: Float32Array }> {
  const out = new Map<string, { spec: TfjsWeightSpec; data: Float32Array }>();
  groups.forEach((g, gi) => {
    const bytes = shards[gi]!, claimed = g.weights.reduce((s, w) => s + specBytes(w), 0);
    if (claimed !== bytes.length)
      throw new ModelFileError(where(gi), `the weights manifest claims ${claimed} bytes for weightsManifest[${gi}] but its shards hold ${bytes.length}`, undefined, 'E_CORRUPT');
    let offset = 0;
    for (const w of g.weights) {
      if (out.has(w.name)) throw new ModelFileError(where(gi), `the weights manifest lists '${w.name}' twice`, undefined, 'E_INVALID');
      const size = specBytes(w);
      out.set(w.name, { spec: w, data: decodeWeightBytes(w, bytes.subarray(offset, offset + size)) });
      offset += size;
    }
  });
  return out;
}
