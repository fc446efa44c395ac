/**
 * What the Keras <-> nabla layer translations share (tfjs-layers.ts, tfjs-sequence.ts): where a
 * layer is in model.json (for messages), refusing options nabla cannot represent, and Keras's
 * activation identifiers (snake_case: 'hard_sigmoid', 'gelu_new') by the file's Keras version.
 * Keras 2 and TF.js define hard_sigmoid as clip(0.2 x + 0.5, 0, 1), nabla's hardSigmoid; Keras 3
 * as relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1) (keras/src/activations/activations.py), which
 * nabla lacks: a Keras 3 file using it is refused.
 */
import { resolveActivationName, type ActivationName } from '../kernels/activation-registry.js';
import { ModelFileError } from '../io/validate.js';

/** nabla -> Keras activation identifiers (the rest are spelled alike). */
export const TO_KERAS: Partial<Record<ActivationName, string>> = { hardSigmoid: 'hard_sigmoid', geluTanh: 'gelu_new' };

/**
 * Where a layer of model.json is, for messages; `keras3` when the file comes from Keras 3,
 * `tfjsDefaults` when TF.js wrote it (its recurrent defaults differ: hard_sigmoid, no reset_after).
 */
export interface At { path: string; field: string; className: string; name: string; keras3?: boolean; tfjsDefaults?: boolean }

/** @throws ModelFileError naming the file, the field and the layer. */
export function fail(at: At, problem: string, code: 'E_INVALID' | 'E_UNSUPPORTED' = 'E_INVALID'): never {
  throw new ModelFileError(at.path, `${at.field} (${at.className} '${at.name}'): ${problem}`, at.field, code);
}

/** Refuses options nabla cannot represent: a value other than the accepted ones (default: absent or null). */
export function only(c: Record<string, unknown>, at: At, key: string, ...accepted: unknown[]): void {
  const v = c[key];
  if (v === undefined || v === null) return;
  if (!accepted.some((a) => JSON.stringify(a) === JSON.stringify(v)))
    fail(at, `${key} = ${JSON.stringify(v).slice(0, 40)} is not supported by nabla`, 'E_UNSUPPORTED');
}

/** Refuses a dtype other than float32: Keras 2's string, or Keras 3's DTypePolicy `{ config: { name } }`. */
export function onlyFloat32(c: Record<string, unknown>, at: At): void {
  const d = c.dtype as { config?: { name?: unknown } } | string | undefined | null;
  only({ dtype: typeof d === 'object' && d !== null ? d.config?.name ?? d : d }, at, 'dtype', 'float32');
}

/**
 * The Keras activation `c[key]` (default `fallback`) as nabla's name.
 * @throws ModelFileError (E_UNSUPPORTED) naming the layer for an activation nabla lacks, and for
 *   Keras 3's hard_sigmoid.
 */
export function kerasActivation(c: Record<string, unknown>, at: At, key = 'activation', fallback = 'linear'): ActivationName {
  const a = c[key] ?? fallback;
  if (a === 'hard_sigmoid' && at.keras3)
    fail(at, `${key} 'hard_sigmoid' is Keras 3's relu6(x + 3) / 6, which nabla lacks (nabla's hardSigmoid is Keras 2's clip(0.2 x + 0.5, 0, 1))`, 'E_UNSUPPORTED');
  const name = a === 'hard_sigmoid' ? 'hardSigmoid' : a === 'step' || a === 'leakyRelu' ? null : resolveActivationName(a);
  if (!name) fail(at, `${key} ${JSON.stringify(a).slice(0, 40)} has no nabla equivalent`, 'E_UNSUPPORTED');
  return name;
}
