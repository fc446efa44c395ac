/**
 * The differentiation API with TensorFlow.js's semantics: `grad grads valueAndGrad valueAndGrads
 * customGrad jacobian`. Each call runs f on a tape and differentiates it in reverse mode
 * (src/autograd/backprop.ts); the intermediates are freed when the call returns.
 */
import { clone } from '../ops/elementwise.js';
import { reshape } from '../ops/reshape.js';
import { oneHot, stack } from '../ops/shape.js';
import { zeros, zerosLike } from '../ops/creation.js';
import { gradientDepth, record, withoutRecording, type AnyTensor } from '../ops/engine.js';
import { endScope, startScope } from '../tensor/scopes.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import { backprop, gradientCall, notConnected } from './backprop.js';

function checkTensor(who: string, v: unknown, what: string): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${who}: ${what} must be a Tensor, got ${Object.prototype.toString.call(v)}`);
}

/**
 * The gradient function of f: `grad(f)(x, dy?)` is d(sum(dy * f(x)))/dx, with dy ones by default
 * (so for a scalar f, the ordinary gradient), shaped as x. As TF.js's `tf.grad`; nests
 * (`grad(grad(f))` is the second derivative of an elementwise f).
 * @throws Error when f(x) does not depend on x (naming the op without gradient that cut the path).
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => gradOf('grad', f, x, dy, false).grad;
}

/**
 * The gradient function of f with respect to each of its arguments, as TF.js's `tf.grads`:
 * `grads(f)([a, b], dy?)` returns [df/da, df/db]. An argument f does not use gets zeros.
 * @throws Error when f depends on none of its arguments.
 */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => gradsOf(f, xs, dy, false).grads;
}

/** Like {@link grad}, also returning f(x): `{ value, grad }`, as TF.js's `tf.valueAndGrad`. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => gradOf('grad', f, x, dy, true) as { value: Tensor; grad: Tensor };
}

/** f(x) and its gradient in one gradient call; without `keepValue` the value is freed with the tape. */
function gradOf(who: string, f: (x: Tensor) => Tensor, x: Tensor, dy: Tensor | undefined, keepValue: boolean): { value?: Tensor; grad: Tensor } {
  checkTensor(who, x, 'x');
  return gradientCall([x as AnyTensor], () => {
    const value = f(x);
    checkTensor(who, value, 'f(x)');
    const [g] = backprop(who, value as AnyTensor, [x as AnyTensor], dy);
    if (!g) throw notConnected(who, value);
    return keepValue ? { value, grad: g } : { grad: g };
  });
}

/** Like {@link grads}, also returning f(...xs): `{ value, grads }`, as TF.js's `tf.valueAndGrads`. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => gradsOf(f, xs, dy, true) as { value: Tensor; grads: Tensor[] };
}

/** f(...xs) and its gradients in one gradient call; without `keepValue` the value is freed with the tape. */
function gradsOf(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], dy: Tensor | undefined, keepValue: boolean): { value?: Tensor; grads: Tensor[] } {
  if (!Array.isArray(xs)) throw new TypeError('grads: the arguments must be an array of tensors');
  xs.forEach((x, i) => checkTensor('grads', x, `argument ${i}`));
  return gradientCall(xs as AnyTensor[], () => {
    const value = f(...xs);
    checkTensor('grads', value, 'f(...xs)');
    const gs = backprop('grads', value as AnyTensor, xs as AnyTensor[], dy);
    if (gs.every((g) => g === null)) throw notConnected('grads', value, 'xs');
    const out = gs.map((g, i) => g ?? zerosLike(xs[i]!) as Tensor);
    return keepValue ? { value, grads: out } : { grads: out };
  });
}

/** What a customGrad function returns: the value and the gradient function (dy, saved) -> one gradient per input. */
export interface CustomGradResult { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] }
/** Saves tensors for the gradient function (TF.js's `save`). */
export type GradSaveFunc = (tensors: Tensor[]) => void;

/**
 * An op with a user-written gradient, as TF.js's `tf.customGrad`: `f(...inputs, save)` returns
 * `{ value, gradFunc }`; the forward computation is not taped, and differentiating the result
 * calls `gradFunc(dy, saved)`, which returns one gradient per input (shaped as the input). A
 * gradFunc written with ops is itself differentiable.
 * @throws Error (when differentiated) when gradFunc returns the wrong number or shapes of gradients.
 */
export function customGrad(f: (...args: (Tensor | GradSaveFunc)[]) => CustomGradResult): (...inputs: Tensor[]) => Tensor {
  return (...inputs) => {
    let saved: Tensor[] = [];
    const save: GradSaveFunc = (ts) => { saved = ts; };
    const { value: raw, gradFunc } = withoutRecording(() => f(...inputs, save));
    checkTensor('customGrad', raw, 'the value f returns');
    const value = inputs.includes(raw) ? withoutRecording(() => clone(raw)) : raw;
    record('customGrad', value as AnyTensor, inputs as AnyTensor[], (dy) => {
      const g = gradFunc(dy, saved);
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== inputs.length) throw new Error(`customGrad: gradFunc returned ${list.length} gradients for ${inputs.length} inputs`);
      return list;
    });
    return value;
  };
}

/**
 * The Jacobian of f at x in reverse mode: J[i..., j...] = d f(x)[i...] / d x[j...], shape
 * `[...f(x).shape, ...x.shape]` (one backward pass per element of f(x), each seeded with a
 * one-hot dy). Differentiable inside an outer gradient call.
 * @throws Error when f(x) does not depend on x.
 */
export function jacobian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  checkTensor('jacobian', x, 'x');
  return gradientCall([x as AnyTensor], () => {
    const y = f(x);
    checkTensor('jacobian', y, 'f(x)');
    const m = y.size, rows: Tensor[] = [];
    for (let i = 0; i < m; i++) {
      const scope = startScope();
      const seed = reshape(oneHot([i], m, 1, 0, y.dtype as DType), y.shape);
      const [g] = backprop('jacobian', y as AnyTensor, [x as AnyTensor], seed);
      if (!g) { endScope(scope, undefined); throw notConnected('jacobian', y); }
      endScope(scope, g, gradientDepth() > 1); // untaped rows free their temporaries at once
      rows.push(g);
    }
    if (m === 0) return zeros([...y.shape, ...x.shape], x.dtype);
    return reshape(stack(rows), [...y.shape, ...x.shape]);
  });
}
