export { Tensor, tensor, allocArray, allocData, dtypeOf, inferShape } from './tensor.js';
export type { DType, DataType, FloatArray, TensorData, ArrayOf, DataTypeOf, NestedArray } from './tensor.js';
export { Rng } from './rng.js';
export type { RngState } from './rng.js';
export { sizeOf, formatShape, shapesEqual, assertValidShape } from './shape.js';
