/**
 * Activations as functions (the `F.relu` of nabla): a = f(z) and BP2's dz = dC/da (.) f'(z)
 * (softmax: its full Jacobian over the last axis, a (.) (dy - <dy, a>) per row), both in the
 * kernels (Backend.activationForward / activationBackward). Any shape; softmax normalises over the
 * last axis. `alpha` is the parameter of the activations that take one (leakyRelu's slope,
 * elu's scale); it defaults to the registry entry's default (0.3, 1), and the others ignore it.
 */
import type { ActivationName, Backend } from '../../kernels/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { defaultAlpha } from '../activations.js';
import { scratchTensor, type Scratch } from './scratch.js';

/** [rows, cols] with cols the last axis (softmax's). */
function rowsCols(x: Tensor): [number, number] {
  const cols = x.shape[x.rank - 1]!;
  return [x.size / cols, cols];
}

/**
 * a = f(x), x's shape, written to scratch `out` (default 'a').
 * @example activationForward(getKernels(), ws, 'relu', z)
 */
export function activationForward(k: Backend, ws: Scratch, name: ActivationName, x: Tensor, alpha = defaultAlpha(name), out = 'a'): Tensor {
  const [rows, cols] = rowsCols(x);
  const a = scratchTensor(ws, out, x.shape);
  k.activationForward(name, x.data, a.data, rows, cols, alpha);
  return a;
}

/**
 * dx = dC/dx from dy = dC/da, given x and a = f(x) from activationForward; written to scratch
 * `out` (default 'dx'). Shapes: all x's.
 */
export function activationBackward(k: Backend, ws: Scratch, name: ActivationName, x: Tensor, a: Tensor, dy: Tensor, alpha = defaultAlpha(name), out = 'dx'): Tensor {
  const [rows, cols] = rowsCols(x);
  const dx = scratchTensor(ws, out, x.shape);
  k.activationBackward(name, x.data, a.data, dy.data, dx.data, rows, cols, alpha);
  return dx;
}

/** The activation fused at the end of Dense and Conv2D: a = f(z) in scratch 'a', or z itself for 'linear'. */
export function outputActivationForward(k: Backend, ws: Scratch, name: ActivationName, z: Tensor): Tensor {
  return name === 'linear' ? z : activationForward(k, ws, name, z);
}

/**
 * Delta = dC/dz for Dense and Conv2D (BP1 / BP2's Hadamard product) in scratch 'delta': dy itself
 * when dy is already dC/dz (a fused loss gave it) or the activation is 'linear'.
 */
export function outputActivationBackward(k: Backend, ws: Scratch, name: ActivationName, z: Tensor, a: Tensor, dy: Tensor, dyIsPreActivation: boolean): Tensor {
  return dyIsPreActivation || name === 'linear' ? dy : activationBackward(k, ws, name, z, a, dy, defaultAlpha(name), 'delta');
}
