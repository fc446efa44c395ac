/**
 * Reverse-mode differentiation over the tape (src/ops/engine.ts): the vector-Jacobian products
 * of the recorded ops, applied from y back to the requested tensors, and the gradient-call scope
 * every public function runs in (docs/design.md, "Tensors made by ops").
 */
import { add } from '../ops/elementwise.js';
import { onesLike } from '../ops/creation.js';
import {
  blockedBy, forgetTape, gradientDepth, isFloat, nodeOf, withTape, withoutRecording, type AnyTensor,
} from '../ops/engine.js';
import { endScope, holdScopes, startScope } from '../tensor/scopes.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, type TensorData } from '../tensor/tensor.js';

/**
 * Runs `body` as a gradient call watching `watch`: its tensors are freed when it returns, except
 * what it returns (which leaves the tape as constants); nested in another gradient call, they go
 * to the outer call instead, taped, so the outer call can differentiate this one.
 */
export function gradientCall<T>(watch: readonly AnyTensor[], body: () => T): T {
  const nested = gradientDepth() > 0;
  const scope = startScope();
  let result: T;
  try {
    result = holdScopes(() => withTape(watch, body));
  } catch (e) {
    endScope(scope, undefined, nested);
    throw e;
  }
  endScope(scope, result, nested);
  if (!nested) forgetTape(tensorsIn(result));
  return result;
}

function tensorsIn(v: unknown): AnyTensor[] {
  if (v instanceof Tensor) return [v as AnyTensor];
  if (Array.isArray(v)) return v.flatMap(tensorsIn);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).flatMap(tensorsIn);
  return [];
}

/**
 * The tensors on a taped path from any of `targets` to `y`, inputs before outputs (an iterative
 * depth-first search, so deep graphs do not overflow the stack), and which tensors lie on one.
 */
function pathsTo(y: AnyTensor, targets: ReadonlySet<AnyTensor>): { order: AnyTensor[]; onPath: Map<AnyTensor, boolean> } {
  const onPath = new Map<AnyTensor, boolean>(), order: AnyTensor[] = [];
  const stack: { t: AnyTensor; i: number; rel: boolean }[] = [{ t: y, i: 0, rel: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const node = targets.has(top.t) ? undefined : nodeOf(top.t);
    if (node !== undefined && top.i < node.inputs.length) {
      const c = node.inputs[top.i++]!;
      const known = onPath.get(c);
      if (known === undefined) stack.push({ t: c, i: 0, rel: false });
      else if (known) top.rel = true;
      continue;
    }
    const rel = targets.has(top.t) || top.rel;
    onPath.set(top.t, rel);
    if (rel && node !== undefined) order.push(top.t);
    stack.pop();
    if (rel && stack.length > 0) stack[stack.length - 1]!.rel = true;
  }
  return { order, onPath };
}

/**
 * Gradients of y (seeded with dy, default ones: the gradient of sum(y)) with respect to `xs`;
 * null for an x that y does not depend on. The backward pass is itself taped when an outer
 * gradient call is running (so grad(grad(f)) works) and untaped otherwise.
 * @throws Error naming `who` when y is not a float tensor or dy's shape differs from y's.
 */
export function backprop(who: string, y: AnyTensor, xs: readonly AnyTensor[], dy?: Tensor): (Tensor | null)[] {
  if (!isFloat(y)) throw new TypeError(`${who}: f must return a float tensor, got ${y.dtype}${blockedBy(y) ? ` (from ${blockedBy(y)}, which has no gradient)` : ''}`);
  if (dy !== undefined && !shapesEqual(dy.shape, y.shape)) throw new RangeError(`${who}: dy has shape ${formatShape(dy.shape)} but y = f(x) has ${formatShape(y.shape)}`);
  const run = (): (Tensor | null)[] => {
    const targets = new Set(xs);
    const { order, onPath } = pathsTo(y, targets);
    const grads = new Map<AnyTensor, Tensor>();
    if (onPath.get(y)) grads.set(y, dy ?? onesLike(y));
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!, g = grads.get(t), node = nodeOf(t)!;
      if (g === undefined) continue;
      const needs = node.inputs.map((x) => onPath.get(x) === true);
      const parts = node.vjp(g, needs);
      node.inputs.forEach((x, j) => {
        const p = parts[j];
        if (!needs[j] || p === null || p === undefined) return;
        if (!shapesEqual(p.shape, x.shape)) throw new Error(`${who}: internal error: the gradient of ${node.op} for input ${j} has shape ${formatShape(p.shape)}, expected ${formatShape(x.shape)}`);
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? p : add(prev, p));
      });
    }
    return xs.map((x) => grads.get(x) ?? null);
  };
  return gradientDepth() > 1 ? run() : withoutRecording(run);
}

/** The message for an x that y does not depend on. */
export function notConnected(who: string, y: Tensor<TensorData>, what = 'x'): Error {
  const b = blockedBy(y as AnyTensor);
  return new Error(`${who}: y = f(${what}) does not depend on ${what}${b ? ` differentiably: the path goes through ${b}, which has no gradient` : ''}; make sure f computes y from ${what} with nabla's ops`);
}
