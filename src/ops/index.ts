/**
 * Tensor operations with TensorFlow.js's names and NumPy broadcasting, each a function and (once
 * this module is imported) a Tensor method. Differentiable by src/autograd/.
 */
import './methods.js';

export {
  add, sub, mul, div, pow, neg, square, sqrt, exp, log, log1p, abs, sign, reciprocal, maximum, minimum,
  clipByValue, where, equal, greater, greaterEqual, less, lessEqual, cast, clone,
} from './elementwise.js';
export { broadcastTo, broadcastShapes } from './broadcast.js';
export { matMul } from './matmul.js';
export { sum, mean, max, min, prod, logSumExp, argMax, argMin } from './reduce.js';
export { reshape } from './reshape.js';
export { transpose, expandDims, squeeze, concat, stack, slice, gather, oneHot, pad, tile } from './shape.js';
export { sigmoid, tanh, relu, leakyRelu, elu, softplus, softmax, logSoftmax, dropout } from './nn.js';
export { randomNormal, randomUniform, truncatedNormal } from './random.js';
export { zeros, ones, fill, scalar, zerosLike, onesLike } from './creation.js';
export type { TensorLike } from './engine.js';
