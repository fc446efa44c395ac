/**
 * The kernel table's rows for the tensor ops (src/ops/) (src/kernels/kernel-table.ts
 * describes a row and assembles the table).
 */
import { buf, i32buf, count, num, dims, opName, value, type KernelSection } from '../kernel-row.js';

// unaryOp, binaryOp, reduceOp, stridedCopy: float32 in assembly/ops.ts; wrappers in
// src/kernels/wasm/ops.ts (the js reference for float64, and for a broadcast that does not collapse
// to four axes). The others run the js reference on both backends ('js'). A TensorData buffer
// (`tsType: 'TensorData'`) is any of the dtypes' arrays (bool and int32 as well as float).
const DATA = { tsType: 'TensorData' };

/** The kernels of the tensor ops. */
export const TENSOR_OPS: KernelSection = { title: 'tensor ops (src/ops/): elementwise with broadcasting, reductions, shapes', rows: [
  { name: 'unaryOp', file: 'ops',
    doc: `out = f(x) elementwise (sigmoid stable for large |x|); \`out\` may alias \`x\`.`,
    args: [opName('name', 'UnaryOpName'), buf('x', 'x.length'), buf('out', 'x.length', 'out')], wasm: 'custom' },
  { name: 'binaryOp', file: 'ops',
    doc: `
      out[idx] = a[idx . aStrides] (op) b[idx . bStrides] for every index idx of \`shape\`, out
      row-major: NumPy broadcasting, stride 0 on a broadcast axis. a and b share a float dtype;
      comparisons write 1/0 into a Uint8Array. maximum/minimum propagate NaN.`,
    args: [opName('name', 'BinaryOpName'), buf('a', 'extent'), buf('b', 'extent'), buf('out', 'size', 'out', { tsType: 'TensorData' }), dims('shape'), dims('aStrides'), dims('bStrides')], wasm: 'custom' },
  { name: 'whereOp', file: 'ops',
    doc: `out[idx] = cond != 0 ? a : b, each broadcast by its strides as in {@link binaryOp}.`,
    args: [buf('cond', 'extent', 'in', DATA), buf('a', 'extent'), buf('b', 'extent'), buf('out', 'size', 'out'), dims('shape'), dims('condStrides'), dims('aStrides'), dims('bStrides')], wasm: 'js' },
  { name: 'castData', file: 'ops',
    doc: `out = x in out's dtype (int32: truncation toward zero; bool: non-zero -> 1).`,
    args: [buf('x', 'x.length', 'in', DATA), buf('out', 'x.length', 'out', DATA)], wasm: 'js' },
  { name: 'reduceOp', file: 'ops',
    doc: `out[o, i] = sum/prod/max/min over j of x[o, j, i] (x viewed as [outer, n, inner]); empty axis: 0, 1, -inf, +inf.`,
    args: [opName('name', 'ReduceOpName'), buf('x', 'outer * n * inner'), count('outer'), count('n'), count('inner'), buf('out', 'outer * inner', 'out')], wasm: 'custom' },
  { name: 'argReduceOp', file: 'ops',
    doc: `out[o, i] = index of the first maximum/minimum of x[o, :, i] (n >= 1).`,
    args: [opName('name', "'argMax' | 'argMin'"), buf('x', 'outer * n * inner', 'in', DATA), count('outer'), count('n'), count('inner'), i32buf('out', 'outer * inner', 'out')], wasm: 'js' },
  { name: 'stridedCopy', file: 'ops',
    doc: `dst[dstOffset + idx . dstStrides] = src[srcOffset + idx . srcStrides] for every index of \`shape\`.`,
    args: [buf('src', 'srcOffset + extent', 'in', DATA), num('srcOffset'), dims('srcStrides'), buf('dst', 'dstOffset + extent', 'inout', DATA), num('dstOffset'), dims('dstStrides'), dims('shape')], wasm: 'custom' },
  { name: 'fillValue', file: 'ops',
    doc: `out[:] = value.`,
    args: [buf('out', 'out.length', 'out', DATA), num('value')], wasm: 'js' },
  { name: 'gatherAxis', file: 'ops',
    doc: `out[o, j, i] = x[o, indices[j], i] (x as [outer, n, inner]). @throws RangeError for an index outside [0, n).`,
    args: [buf('x', 'outer * n * inner', 'in', DATA), count('outer'), count('n'), count('inner'), buf('indices', 'indices.length', 'in', DATA), buf('out', 'outer * indices.length * inner', 'out', DATA)], wasm: 'js' },
  { name: 'scatterAddAxis', file: 'ops',
    doc: `The adjoint of gatherAxis: out = 0; out[o, indices[j], i] += dy[o, j, i].`,
    args: [buf('dy', 'outer * indices.length * inner'), count('outer'), count('n'), count('inner'), buf('indices', 'indices.length', 'in', DATA), buf('out', 'outer * n * inner', 'out')], wasm: 'js' },
  { name: 'oneHotFill', file: 'ops',
    doc: `out[j, k] = k === indices[j] ? onValue : offValue, out \`[indices.length, depth]\`. @throws RangeError for an index not an integer in [0, depth).`,
    args: [buf('indices', 'indices.length', 'in', DATA), count('depth'), num('onValue'), num('offValue'), buf('out', 'indices.length * depth', 'out')], wasm: 'js' },
  { name: 'fillRandom', file: 'ops',
    doc: `Fills out with a + b N(0,1) ('normal', 'truncatedNormal': |N| <= 2) or U[a, b) ('uniform') from rng.`,
    args: [buf('out', 'out.length', 'out'), value('rng', 'RandomSource'), value('kind', "'normal' | 'truncatedNormal' | 'uniform'"), num('a'), num('b')], wasm: 'js' },
] };
