/**
 * One-hot encoding of class labels, and its inverse: the tensor ops `oneHot` and `argMax`
 * (src/ops/), re-exported where the data helpers always had them. `oneHot(labels, k)` and
 * `oneHot(labels, k, dtype)` keep working; `argMax(x)` now returns int32 indices.
 */
export { oneHot } from '../ops/shape.js';
export { argMax } from '../ops/reduce.js';
