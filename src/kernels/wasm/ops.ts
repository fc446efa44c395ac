/**
 * The wasm backend's tensor-op kernels (the kernel table's 'custom' rows unaryOp, binaryOp,
 * reduceOp and stridedCopy; assembly/ops.ts). float32 runs in WebAssembly; float64 (gradient checks) and a
 * broadcast that does not collapse to four axes run the js reference. Each wrapper checks every
 * length before WebAssembly runs and stages arrays from outside wasm memory (Stager), as the
 * generated wrappers do. A comparison's Uint8Array output (on the JavaScript heap) is written
 * through a temporary block.
 */
import type { FloatArray, TensorData } from '../../tensor/tensor.js';
import type { BinaryOpName, ReduceOpName, UnaryOpName } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { WasmExports } from './exports.generated.js';
import type { WasmHeap } from './heap.js';
import { IN, INOUT, OUT, type Stager } from './stager.js';

/** The kinds of assembly/ops.ts, in its order. */
const UNARY: Record<UnaryOpName, number> = { neg: 0, square: 1, sqrt: 2, exp: 3, log: 4, log1p: 5, abs: 6, sign: 7, reciprocal: 8, sigmoid: 9, tanh: 10, relu: 11 };
const BINARY: Record<BinaryOpName, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, equal: 7, greater: 8, greaterEqual: 9, less: 10, lessEqual: 11,
};
const REDUCE: Record<ReduceOpName, number> = { sum: 0, prod: 1, max: 2, min: 3 };

/** What the wrappers need of the backend. */
export interface OpContext { readonly exports: WasmExports; readonly heap: WasmHeap; readonly st: Stager }

/** out = f(x) elementwise (float32 in wasm). */
export function wasmUnaryOp(c: OpContext, name: UnaryOpName, x: FloatArray, out: FloatArray): void {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) { jsBackend.unaryOp(name, x, out); return; }
  const n = x.length;
  try {
    const px = c.st.ptr('unaryOp', 'x', x, n, IN), po = c.st.ptr('unaryOp', 'out', out, n, OUT);
    if (n > 0) c.exports.unaryOp(UNARY[name], px, po, n);
  } finally { c.st.finish(); }
}

/**
 * A broadcast collapsed: size-1 axes dropped, and neighbouring axes merged where both operands
 * step through them as one (stride[i] = stride[i + 1] shape[i + 1]). Null when more than four
 * axes remain.
 */
export function collapseBroadcast(shape: readonly number[], sa: readonly number[], sb: readonly number[]): { d: number[]; a: number[]; b: number[] } | null {
  const d: number[] = [], a: number[] = [], b: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i]!;
    if (n === 1) continue;
    const k = d.length - 1;
    if (k >= 0 && a[k] === sa[i]! * n && b[k] === sb[i]! * n) { d[k]! *= n; a[k] = sa[i]!; b[k] = sb[i]!; continue; }
    d.push(n); a.push(sa[i]!); b.push(sb[i]!);
  }
  if (d.length > 4) return null;
  while (d.length < 4) { d.unshift(1); a.unshift(0); b.unshift(0); }
  return { d, a, b };
}

/** The number of elements an operand read with strides `s` over dims `d` needs (0 when empty). */
function extent(d: readonly number[], s: readonly number[]): number {
  let e = 1;
  for (let i = 0; i < d.length; i++) { if (d[i] === 0) return 0; e += (d[i]! - 1) * s[i]!; }
  return e;
}

/** out = a (op) b with broadcasting by strides (float32 in wasm; comparisons write a Uint8Array). */
export function wasmBinaryOp(c: OpContext, name: BinaryOpName, a: FloatArray, b: FloatArray, out: TensorData,
                             shape: readonly number[], sa: readonly number[], sb: readonly number[]): void {
  const cmp = BINARY[name] >= 7;
  const g = a instanceof Float32Array && b instanceof Float32Array && (cmp ? out instanceof Uint8Array : out instanceof Float32Array)
    ? collapseBroadcast(shape, sa, sb) : null;
  if (g === null) { jsBackend.binaryOp(name, a, b, out, shape, sa, sb); return; }
  const total = g.d[0]! * g.d[1]! * g.d[2]! * g.d[3]!;
  if (out.length < total) throw new RangeError(`wasm binaryOp: out has ${out.length} elements but ${total} are needed`);
  const na = extent(g.d, g.a), nb = extent(g.d, g.b);
  let temp = 0;
  try {
    const pa = c.st.ptr('binaryOp', 'a', a as Float32Array, na, IN), pb = c.st.ptr('binaryOp', 'b', b as Float32Array, nb, IN);
    let po: number;
    if (cmp) po = temp = c.heap.allocBytes(Math.max(total, 1));
    else po = c.st.ptr('binaryOp', 'out', out as Float32Array, total, OUT);
    if (total > 0) c.exports.binaryOp(BINARY[name], pa, pb, po, g.d[0]!, g.d[1]!, g.d[2]!, g.d[3]!, g.a[0]!, g.a[1]!, g.a[2]!, g.a[3]!, g.b[0]!, g.b[1]!, g.b[2]!, g.b[3]!);
    if (cmp && total > 0) (out as Uint8Array).set(new Uint8Array(c.heap.memory.buffer, temp, total));
  } finally {
    c.st.finish();
    if (temp !== 0) c.heap.freeBytes(temp);
  }
}

/**
 * dst[dstOffset + i . dstStrides] = src[srcOffset + i . srcStrides] (float32 in wasm, collapsed
 * to four axes; other dtypes, negative strides or more axes run the js reference). dst is staged
 * read and written: the elements the copy skips keep their values.
 */
export function wasmStridedCopy(c: OpContext, src: TensorData, so: number, ss: readonly number[],
                                dst: TensorData, dof: number, ds: readonly number[], shape: readonly number[]): void {
  const g = src instanceof Float32Array && dst instanceof Float32Array && !ss.some((v) => v < 0) && !ds.some((v) => v < 0)
    ? collapseBroadcast(shape, ss, ds) : null;
  if (g === null) { jsBackend.stridedCopy(src, so, ss, dst, dof, ds, shape); return; }
  const ns = extent(g.d, g.a), nd = extent(g.d, g.b);
  if (ns === 0) return;
  try {
    const ps = c.st.ptr('stridedCopy', 'src', src as Float32Array, so + ns, IN), pd = c.st.ptr('stridedCopy', 'dst', dst as Float32Array, dof + nd, INOUT);
    c.exports.stridedCopy(ps + so * 4, pd + dof * 4, g.d[0]!, g.d[1]!, g.d[2]!, g.d[3]!, g.a[0]!, g.a[1]!, g.a[2]!, g.a[3]!, g.b[0]!, g.b[1]!, g.b[2]!, g.b[3]!);
  } finally { c.st.finish(); }
}

/** out[o, i] = reduce_j x[o, j, i] (float32 in wasm). */
export function wasmReduceOp(c: OpContext, name: ReduceOpName, x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) { jsBackend.reduceOp(name, x, outer, n, inner, out); return; }
  for (const [what, v] of [['outer', outer], ['n', n], ['inner', inner]] as const)
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`wasm reduceOp: ${what} must be an integer >= 0, got ${v}`);
  try {
    const px = c.st.ptr('reduceOp', 'x', x, outer * n * inner, IN), po = c.st.ptr('reduceOp', 'out', out, outer * inner, OUT);
    if (outer * inner > 0) c.exports.reduceOp(REDUCE[name], px, outer, n, inner, po);
  } finally { c.st.finish(); }
}
