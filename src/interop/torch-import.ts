/**
 * importTorchState: a PyTorch state_dict saved as safetensors, read into a nabla model of the same
 * architecture (a state_dict has no architecture, so the model comes first). Every tensor is
 * converted by its key and its layer's class (torch-layout.ts), never by its shape; a key or a
 * shape that does not match is refused, naming it. PyTorch's int64 `num_batches_tracked` counters
 * are dropped before decoding (nabla keeps no such counter).
 */
import { checkFinite } from '../io/model-format.js';
import { decodeSafetensors, SAFETENSORS_MAX_HEADER_BYTES } from '../io/safetensors.js';
import { checkJsonDepth, ModelFileError } from '../io/validate.js';
import { resolveLimits, type LimitsOverride } from '../limits.js';
import type { Tensor } from '../tensor/tensor.js';
import { nablaWeightName, viewModel, type ExportableModel } from './model-view.js';
import { fromTorch, torchEntries, torchModuleNames } from './torch-layout.js';

/** Options of {@link importTorchState}. */
export interface ImportTorchOptions {
  /** Limits in force (default `LIMITS`): `maxFileBytes.safetensors`, `maxJsonDepth`. */
  limits?: LimitsOverride;
  /** Accept NaN / Infinity in the weights (default false). */
  allowNonFinite?: boolean;
}

/**
 * The bytes without the `*.num_batches_tracked` int64 scalars (which nabla's decoder does not
 * read): the header rewritten, the other tensors' data copied with their offsets shifted.
 * @throws ModelFileError (E_CORRUPT) for a header that does not fit the file.
 */
function dropBatchCounters(bytes: Uint8Array, path: string, maxJsonDepth: number): Uint8Array {
  if (bytes.length < 8) throw new ModelFileError(path, `is ${bytes.length} bytes: too short for a safetensors file`, undefined, 'E_CORRUPT');
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > SAFETENSORS_MAX_HEADER_BYTES || 8 + n > bytes.length) return bytes; // the decoder reports it
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  if (!text.includes('num_batches_tracked')) return bytes;
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try { checkJsonDepth(text, path, maxJsonDepth); header = JSON.parse(text); } catch { return bytes; } // the decoder reports it
  const keep = Object.entries(header).filter(([k, v]) => k === '__metadata__' || !(k.endsWith('.num_batches_tracked') && v?.dtype === 'I64'));
  const tensors = keep.filter(([k]) => k !== '__metadata__').sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  const data = bytes.subarray(8 + n), chunks: Uint8Array[] = [];
  let offset = 0;
  const out: Record<string, unknown> = Object.fromEntries(keep.filter(([k]) => k === '__metadata__'));
  for (const [k, v] of tensors) {
    const [b, e] = v.data_offsets;
    if (!(b >= 0 && e >= b && e <= data.length)) return bytes; // the decoder reports it
    chunks.push(data.subarray(b, e));
    out[k] = { ...v, data_offsets: [offset, offset + e - b] };
    offset += e - b;
  }
  let head = new TextEncoder().encode(JSON.stringify(out));
  head = Uint8Array.from([...head, ...new Array((8 - (head.length % 8)) % 8).fill(0x20)]);
  const result = new Uint8Array(8 + head.length + offset);
  new DataView(result.buffer).setBigUint64(0, BigInt(head.length), true);
  result.set(head, 8);
  let at = 8 + head.length;
  for (const c of chunks) { result.set(c, at); at += c.length; }
  return result;
}

/**
 * Reads a PyTorch state_dict (safetensors: `safetensors.torch.save_file(net.state_dict(), path)`,
 * or model.py's `save_safetensors`) into `model`, whose architecture must be the one exportTorch
 * describes for it: the keys `<module>.weight`, `<module>.bias`, `<module>.running_mean`,
 * `<module>.running_var` (recurrent layers: `<module>.weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
 * `bias_hh_l0`, and `..._reverse` for a Bidirectional), with the module names of the generated
 * model.py. A recurrent layer's two biases are added into nabla's one (a GRU's go to its two rows).
 * @param fileOrBytes a file path, or the file's bytes.
 * @throws ModelFileError naming the file: a key the model lacks or lacks a key it needs
 *   (E_INVALID, naming the keys), a tensor of the wrong shape (E_INVALID, naming the key and both
 *   shapes), NaN / Infinity (E_NON_FINITE), and the safetensors decoder's errors (E_CORRUPT,
 *   E_UNSUPPORTED for a dtype other than F32 / F64, E_TOO_LARGE); the file readers' errors.
 */
export async function importTorchState(model: ExportableModel & { setWeights(weights: Tensor[]): void },
                                       fileOrBytes: string | Uint8Array | ArrayBuffer, options: ImportTorchOptions = {}): Promise<void> {
  const limits = resolveLimits(options.limits);
  let bytes: Uint8Array, path: string;
  if (typeof fileOrBytes === 'string') {
    const { readFileBytes } = await import('../io/files.js');
    path = fileOrBytes; bytes = await readFileBytes(path, { kind: 'safetensors', limits });
  } else {
    path = 'state_dict'; bytes = fileOrBytes instanceof ArrayBuffer ? new Uint8Array(fileOrBytes) : fileOrBytes;
  }
  const decoded = decodeSafetensors(dropBatchCounters(bytes, path, limits.maxJsonDepth), path, limits.maxJsonDepth);
  const views = viewModel(model), modules = torchModuleNames(views);
  const expected = views.flatMap((v, i) => torchEntries(v, modules[i]!).map((e) => ({ v, e })));
  const missing = expected.filter(({ e }) => !decoded.tensors.has(e.key)).map(({ e }) => e.key);
  const extra = decoded.order.filter((k) => !expected.some(({ e }) => e.key === k));
  if (missing.length || extra.length)
    throw new ModelFileError(path, `does not match the model's state_dict:${missing.length ? ` missing ${missing.join(', ')};` : ''}${extra.length ? ` unexpected ${extra.join(', ')}` : ''}`, undefined, 'E_INVALID');
  const byName = new Map<string, Tensor>();
  for (const { v, e } of expected) {
    const t = decoded.tensors.get(e.key)!;
    if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i]))
      throw new ModelFileError(path, `tensor '${e.key}' is [${t.shape.join(', ')}] but ${v.className} '${v.name}' needs [${e.shape.join(', ')}]`, e.key, 'E_INVALID');
    if (!options.allowNonFinite) checkFinite(e.key, t, path);
    if (e.short === null) {
      if (t.data.some((x) => x !== e.fixed))
        throw new ModelFileError(path, `tensor '${e.key}' must be all ${e.fixed}: ${v.className} '${v.name}' has no ${e.fixed === 1 ? 'scale' : 'center'}`, e.key, 'E_INVALID');
      continue;
    }
    const target = v.weights.get(e.short)!, name = nablaWeightName(v.name, e.short);
    const value = fromTorch(v, e, t.data, target.shape, target.dtype), before = byName.get(name);
    if (before) for (let i = 0; i < before.size; i++) before.data[i]! += value.data[i]!; // b_ih + b_hh (recurrent layers)
    else byName.set(name, value);
  }
  const names = model.weightNames(), current = model.getWeights();
  model.setWeights(names.map((n, i) => byName.get(n) ?? current[i]!));
}
