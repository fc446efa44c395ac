/**
 * Reference kernels for the elementwise tensor ops (src/ops/elementwise.ts): unary math functions,
 * binary operations with NumPy broadcasting given as strides, `where`, and dtype conversion.
 */
import type { FloatArray, TensorData } from '../../tensor/tensor.js';
import type { BinaryOpName, UnaryOpName } from '../backend.js';

/** out = f(x) elementwise; `out` may alias `x`. */
export function unaryOp(name: UnaryOpName, x: FloatArray, out: FloatArray): void {
  const n = x.length;
  switch (name) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]!; return;
    case 'square': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * v; } return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); return;
    case 'log1p': for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!); return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); return;
    case 'sign': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? 1 : v < 0 ? -1 : v; } return;
    case 'reciprocal': for (let i = 0; i < n; i++) out[i] = 1 / x[i]!; return;
    case 'sigmoid': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); } return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); return;
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; } return;
  }
}

/** Applies one binary operation to a contiguous run: out[o + i] = f(a[ao + i as], b[bo + i bs]). */
function run(name: BinaryOpName, a: FloatArray, ao: number, as: number, b: FloatArray, bo: number, bs: number,
             out: TensorData, o: number, len: number): void {
  switch (name) {
    case 'add': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! + b[bo + i * bs]!; return;
    case 'sub': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! - b[bo + i * bs]!; return;
    case 'mul': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! * b[bo + i * bs]!; return;
    case 'div': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! / b[bo + i * bs]!; return;
    case 'pow': for (let i = 0; i < len; i++) out[o + i] = Math.pow(a[ao + i * as]!, b[bo + i * bs]!); return;
    case 'maximum': for (let i = 0; i < len; i++) { const x = a[ao + i * as]!, y = b[bo + i * bs]!; out[o + i] = x >= y || x !== x ? x : y; } return;
    case 'minimum': for (let i = 0; i < len; i++) { const x = a[ao + i * as]!, y = b[bo + i * bs]!; out[o + i] = x <= y || x !== x ? x : y; } return;
    case 'equal': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! === b[bo + i * bs]! ? 1 : 0; return;
    case 'greater': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! > b[bo + i * bs]! ? 1 : 0; return;
    case 'greaterEqual': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! >= b[bo + i * bs]! ? 1 : 0; return;
    case 'less': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! < b[bo + i * bs]! ? 1 : 0; return;
    case 'lessEqual': for (let i = 0; i < len; i++) out[o + i] = a[ao + i * as]! <= b[bo + i * bs]! ? 1 : 0; return;
  }
}

/**
 * Calls `visit(aOffset, bOffset, cOffset, outOffset)` for every run of the last axis of `shape`
 * (row-major), the offsets following the given strides (0 on a broadcast axis).
 */
function forEachRun(shape: readonly number[], sa: readonly number[], sb: readonly number[], sc: readonly number[] | null,
                    visit: (ao: number, bo: number, co: number, o: number) => void): void {
  const r = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (r === 0) { visit(0, 0, 0, 0); return; }
  const last = shape[r - 1]!, idx = new Array<number>(r).fill(0);
  let ao = 0, bo = 0, co = 0;
  for (let o = 0; o < total; o += last) {
    visit(ao, bo, co, o);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++; ao += sa[d]!; bo += sb[d]!; if (sc) co += sc[d]!;
      if (idx[d]! < shape[d]!) break;
      ao -= sa[d]! * shape[d]!; bo -= sb[d]! * shape[d]!; if (sc) co -= sc[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * out[idx] = a[idx . aStrides] (op) b[idx . bStrides] for every index of `shape` (row-major
 * output): NumPy broadcasting with stride 0 on a broadcast axis. Comparisons write 1/0 (out is
 * then a Uint8Array). maximum/minimum propagate NaN.
 */
export function binaryOp(name: BinaryOpName, a: FloatArray, b: FloatArray, out: TensorData,
                         shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const r = shape.length;
  const len = r === 0 ? 1 : shape[r - 1]!, as = r === 0 ? 0 : aStrides[r - 1]!, bs = r === 0 ? 0 : bStrides[r - 1]!;
  forEachRun(shape, aStrides, bStrides, null, (ao, bo, _co, o) => run(name, a, ao, as, b, bo, bs, out, o, len));
}

/** out[idx] = cond[idx] != 0 ? a[idx] : b[idx], each operand broadcast by its strides. */
export function whereOp(cond: TensorData, a: FloatArray, b: FloatArray, out: FloatArray, shape: readonly number[],
                        condStrides: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const r = shape.length;
  const len = r === 0 ? 1 : shape[r - 1]!;
  const cs = r === 0 ? 0 : condStrides[r - 1]!, as = r === 0 ? 0 : aStrides[r - 1]!, bs = r === 0 ? 0 : bStrides[r - 1]!;
  forEachRun(shape, aStrides, bStrides, condStrides, (ao, bo, co, o) => {
    for (let i = 0; i < len; i++) out[o + i] = cond[co + i * cs] !== 0 ? a[ao + i * as]! : b[bo + i * bs]!;
  });
}

/** out = x converted: to a Uint8Array (bool) every non-zero (NaN included) becomes 1; to int32 truncation toward zero. */
export function castData(x: TensorData, out: TensorData): void {
  if (out instanceof Uint8Array) { for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0; return; }
  out.set(x);
}
