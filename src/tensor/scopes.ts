/**
 * Memory scopes for tracked tensors (the ones ops make): `tidy`, `keep`, `dispose`, `memory`, as
 * TensorFlow.js has them. The rules are in docs/design.md, "Tensors made by ops".
 */
import { Tensor, setTrackedHook, trackedMemory, type TensorData } from './tensor.js';

type AnyTensor = Tensor<TensorData>;

/** A scope: the tracked tensors made while it was the innermost one. */
interface Scope { made: AnyTensor[] }

const scopes: Scope[] = [];
/** Tensors kept by {@link keep} (never disposed by a scope). */
const kept = new WeakSet<AnyTensor>();
/** While > 0 (a gradient call is running) scopes hand their tensors to the enclosing one. */
let holding = 0;

setTrackedHook((t) => { scopes[scopes.length - 1]?.made.push(t); });

/** Opens a scope (see {@link endScope}). @internal */
export function startScope(): Scope {
  const s: Scope = { made: [] };
  scopes.push(s);
  return s;
}

/**
 * Closes `scope` (the innermost): disposes its tensors except those in `result` and kept ones;
 * with `handOver` true (by default: while {@link holdScopes} is in force) hands them all to the
 * enclosing scope instead. @internal
 */
export function endScope(scope: Scope, result: unknown, handOver = holding > 0): void {
  if (scopes[scopes.length - 1] !== scope) throw new Error('endScope: scopes closed out of order (a tidy() function must not return a Promise)');
  scopes.pop();
  const parent = scopes[scopes.length - 1];
  if (handOver) { if (parent) for (const t of scope.made) parent.made.push(t); return; }
  const keepSet = new Set<AnyTensor>();
  collectTensors(result, keepSet, 0);
  for (const t of scope.made) {
    if (keepSet.has(t) || kept.has(t) || t.isDisposed) continue;
    t.dispose();
  }
  if (parent) for (const t of keepSet) if (!t.isDisposed && t._storage !== null) parent.made.push(t);
}

/** Adds every tensor inside `v` (a tensor, or arrays/plain objects of them, 8 levels deep) to `out`. */
function collectTensors(v: unknown, out: Set<AnyTensor>, depth: number): void {
  if (v instanceof Tensor) { out.add(v as AnyTensor); return; }
  if (depth > 8 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) { for (const e of v) collectTensors(e, out, depth + 1); return; }
  if (Object.getPrototypeOf(v) === Object.prototype) for (const e of Object.values(v)) collectTensors(e, out, depth + 1);
}

/** Runs `fn` with scopes handing their tensors outwards (a gradient call's tape needs them). @internal */
export function holdScopes<T>(fn: () => T): T {
  holding++;
  try { return fn(); } finally { holding--; }
}

/**
 * Runs `fn` and disposes every tracked tensor it made, except the ones it returns (a tensor, or
 * arrays/plain objects holding tensors) and the ones passed to {@link keep}. Variables are never
 * disposed by it. Inside a gradient call the tensors go to the call's own scope instead (the tape
 * may still need them) and are freed when the call returns. As TF.js's `tf.tidy`.
 * @param fn a synchronous function (a Promise cannot be tracked).
 * @throws TypeError when fn returns a Promise.
 */
export function tidy<T>(fn: () => T): T {
  const scope = startScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    endScope(scope, undefined);
    throw e;
  }
  if (result instanceof Promise) { endScope(scope, undefined); throw new TypeError('tidy: fn must be synchronous (it returned a Promise)'); }
  endScope(scope, result);
  return result;
}

/** Marks `t` so no enclosing {@link tidy} disposes it; returns `t`. As TF.js's `tf.keep`. */
export function keep<T extends AnyTensor>(t: T): T {
  kept.add(t);
  return t;
}

/**
 * Disposes a tensor, or every tensor inside arrays / plain objects (a NamedTensorMap). Disposing
 * twice does nothing. As TF.js's `tf.dispose`.
 */
export function dispose(x: unknown): void {
  const all = new Set<AnyTensor>();
  collectTensors(x, all, 0);
  for (const t of all) t.dispose();
}

/**
 * Live tracked tensors (made by ops or `variable`, not yet disposed; views count) and the bytes
 * of their distinct buffers. Tensors made with `new Tensor`/`tensor()` live on the JavaScript heap
 * and are not counted. As TF.js's `tf.memory()` (its two main fields).
 */
export function memory(): { numTensors: number; numBytes: number } {
  return trackedMemory();
}
