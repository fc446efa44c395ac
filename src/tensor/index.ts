export { Tensor, tensor, allocArray, dtypeOf } from './tensor.js';
export type { DType, FloatArray, NestedArray } from './tensor.js';
export { Rng } from './rng.js';
export type { RngState } from './rng.js';
export { sizeOf, formatShape, shapesEqual, assertValidShape } from './shape.js';
