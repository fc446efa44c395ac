/**
 * Which models were compiled with each optimiser instance, so that a model's dispose() disposes
 * its optimiser only when no other live model still trains with it (Sequential.dispose).
 */
import { DisposedError } from '../errors.js';
import type { Optimizer } from '../optim/optimizer.js';

const users = new WeakMap<Optimizer, Set<object>>();

/**
 * Records that `model` now trains with `optimizer`.
 * @throws DisposedError naming the optimiser when it was disposed ("Adam optimizer was disposed; compile() ...").
 */
export function attachOptimizer(model: object, optimizer: Optimizer): void {
  if (optimizer.disposed === true) throw new DisposedError(`${(optimizer as { className?: string }).className ?? optimizer.name} optimizer`, 'compile()');
  let set = users.get(optimizer);
  if (set === undefined) { set = new Set(); users.set(optimizer, set); }
  set.add(model);
}

/**
 * Detaches `model` from `optimizer` and disposes the optimiser unless another model attached to
 * it is still live (an optimiser never attached, e.g. assigned to `model.optimizer` by hand, is
 * disposed).
 */
export function releaseOptimizer(model: object, optimizer: Optimizer | null): void {
  if (optimizer === null) return;
  const set = users.get(optimizer);
  set?.delete(model);
  if (set === undefined || set.size === 0) optimizer.dispose();
}
