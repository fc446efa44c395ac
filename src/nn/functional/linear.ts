/**
 * The fully connected layer as functions (torch's F.linear under nn.Linear; nabla's Dense wraps
 * them): Nielsen ch. 1-2 in batch form with samples as rows,
 *   forward   Z = X W + b,  A = sigma(Z)              X [m, in], W [in, units] (Keras layout), b [units]
 *   backward  Delta = dC/dA (.) sigma'(Z)   (BP1 at the output, BP2 below it)
 *             dW = X^T Delta  (BP4)    db = column sums of Delta  (BP3)    dX = Delta W^T  (BP2's W^T delta)
 * All arithmetic runs in the kernels (gemm, biasAdd, biasGrad, activations). No hidden state: the
 * caller keeps the cache forward returns and passes it to backward.
 */
import type { ActivationName, Backend } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { outputActivationBackward, outputActivationForward } from './activation.js';
import { scratchTensor, type Scratch } from './scratch.js';

/** What backward needs from forward: the input X [m, in], Z = XW + b and A = sigma(Z), both [m, units]. */
export interface LinearCache { x: Tensor; z: Tensor; a: Tensor }

/** A weight's value and the buffer its gradient is written to (overwritten), same shape. */
export interface WeightGrad { value: Tensor; grad: Tensor }

/**
 * A = sigma(X W + b): X [m, in], W [in, units], b [units] or null -> A [m, units]. Writes scratch
 * 'z' (and 'a' unless the activation is linear, when A is Z). Shapes are the caller's to check.
 * @example const { a } = linearForward(getKernels(), ws, x, kernel, bias, 'relu')
 */
export function linearForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, bias: Tensor | null, activation: ActivationName): LinearCache {
  const m = x.shape[0]!, inputs = x.shape[1]!, units = kernel.shape[1]!;
  const z = scratchTensor(ws, 'z', [m, units]);
  k.gemm(false, false, m, units, inputs, 1, x.data, kernel.data, 0, z.data);
  if (bias) k.biasAdd(z.data, bias.data, m, units);
  return { x, z, a: outputActivationForward(k, ws, activation, z) };
}

/**
 * BP1/BP2 (Delta, scratch 'delta'), BP4 (dW into kernel.grad), BP3 (db into bias.grad); returns
 * dX = Delta W^T [m, in] in scratch 'dx', or null without `needsInputGradient`. With
 * `dyIsPreActivation`, dy is already dC/dZ (a fused loss gave it).
 * @throws Error naming `who` when dy is not [m, units].
 */
export function linearBackward(k: Backend, ws: Scratch, dy: Tensor, cache: LinearCache, kernel: WeightGrad, bias: WeightGrad | null,
                               activation: ActivationName, needsInputGradient: boolean, dyIsPreActivation = false, who = 'linearBackward'): Tensor | null {
  const { x, z, a } = cache;
  const m = x.shape[0]!, inputs = x.shape[1]!, units = kernel.value.shape[1]!;
  if (dy.size !== m * units) throw new Error(`${who}: expected gradient shape ${formatShape([m, units])}, got ${formatShape(dy.shape)}`);
  const delta = outputActivationBackward(k, ws, activation, z, a, dy, dyIsPreActivation);
  k.gemm(true, false, inputs, units, m, 1, x.data, delta.data, 0, kernel.grad.data);
  if (bias) k.biasGrad(delta.data, bias.grad.data, m, units);
  if (!needsInputGradient) return null;
  const dx = scratchTensor(ws, 'dx', [m, inputs]);
  k.gemm(false, true, m, inputs, units, 1, delta.data, kernel.value.data, 0, dx.data);
  return dx;
}
