/**
 * Reference activation kernels: forward a = f(z) and backward dz = dy (.) f'(z)
 * (Nielsen ch. 2, BP1 and BP2), derived from the activation registry: an elementwise entry's
 * float64 `forward` / `backward` applied to each number, a row entry's (softmax's) row functions.
 */
import type { FloatArray } from '../../tensor/tensor.js';
import { ACTIVATION_DEFS, type ActivationName } from '../activation-registry.js';

/** out = f(z) for rows x cols numbers (Backend.activationForward). */
export function activationForward(name: ActivationName, z: FloatArray, out: FloatArray, rows: number, cols: number, alpha: number): void {
  const def = ACTIVATION_DEFS[name];
  if (def.shape === 'row') return def.forwardRows(z, out, rows, cols);
  const n = rows * cols, f = def.forward;
  for (let i = 0; i < n; i++) out[i] = f(z[i]!, alpha);
}

/** dz = dy (.) f'(z) for rows x cols numbers (Backend.activationBackward). */
export function activationBackward(name: ActivationName, z: FloatArray, a: FloatArray, dy: FloatArray, dz: FloatArray,
                                   rows: number, cols: number, alpha: number): void {
  const def = ACTIVATION_DEFS[name];
  if (def.shape === 'row') return def.backwardRows(a, dy, dz, rows, cols);
  const n = rows * cols, b = def.backward;
  for (let i = 0; i < n; i++) dz[i] = b(dy[i]!, z[i]!, a[i]!, alpha);
}
