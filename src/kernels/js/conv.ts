/**
 * Reference convolution kernels for NHWC images: im2col and its adjoint col2im (see
 * Backend.im2col). With them Conv2D is three gemms (forward Z = col W, dW = col^T Delta,
 * dcol = Delta W^T), the classic lowering of Chellapilla et al. (2006) used by Caffe.
 *
 * Speed over clarity, said here once: the loops copy one contiguous run of `channels` numbers per
 * (window row, window column) instead of calling a helper per element, and compute each run's
 * offsets once.
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { Window2D } from '../backend.js';
import { gemm } from './gemm.js';

/**
 * Visits the patch cells of every output cell of `g` in im2col's order: `visit(o, xi)` for the
 * `channels` numbers at col offset `o`, copied from x offset `xi`, or -1 for a padding cell.
 */
function eachPatchCell(g: Window2D, visit: (o: number, xi: number) => void): void {
  const { batch, height, width, channels: C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  let o = 0; // offset in col: row ((n outH + oh) outW + ow), column (i kernelW + j) C
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padLeft;
        for (let i = 0; i < kernelH; i++) {
          const h = h0 + i;
          for (let j = 0; j < kernelW; j++, o += C) {
            const w = w0 + j;
            visit(o, h < 0 || h >= height || w < 0 || w >= width ? -1 : xn + (h * width + w) * C);
          }
        }
      }
    }
  }
}

export function im2col(x: FloatArray, g: Window2D, col: FloatArray): void {
  const C = g.channels;
  eachPatchCell(g, (o, xi) => {
    if (xi < 0) col.fill(0, o, o + C);
    else for (let c = 0; c < C; c++) col[o + c] = x[xi + c]!;
  });
}

export function col2im(col: FloatArray, g: Window2D, dx: FloatArray): void {
  const C = g.channels;
  dx.fill(0, 0, g.batch * g.height * g.width * C);
  eachPatchCell(g, (o, xi) => {
    if (xi >= 0) for (let c = 0; c < C; c++) dx[xi + c]! += col[o + c]!;
  });
}

/**
 * The im2col matrix is built for at most this many numbers at a time (16 MB in float32) by the
 * fused products below: a large batch is processed in chunks of whole samples.
 */
export const COL_LIMIT = 1 << 22;

/** Per-dtype scratch for one chunk's im2col matrix, grown on demand. */
const scratch = { f32: new Float32Array(0), f64: new Float64Array(0) };
function colScratch(like: FloatArray, n: number): FloatArray {
  if (like instanceof Float64Array) return scratch.f64.length >= n ? scratch.f64 : (scratch.f64 = new Float64Array(n));
  return scratch.f32.length >= n ? scratch.f32 : (scratch.f32 = new Float32Array(n));
}

/** Runs `fn` over chunks of whole samples whose im2col matrix fits COL_LIMIT, with that chunk's geometry. */
function eachChunk(g: Window2D, fn: (cg: Window2D, s: number, inOff: number, rowOff: number, rows: number) => void): void {
  const K = g.kernelH * g.kernelW * g.channels, per = g.outH * g.outW;
  const samples = Math.max(1, Math.floor(COL_LIMIT / Math.max(1, per * K)));
  for (let s = 0; s < g.batch; s += samples) {
    const e = Math.min(g.batch, s + samples);
    fn({ ...g, batch: e - s }, s, s * g.height * g.width * g.channels, s * per, (e - s) * per);
  }
}

/** z = im2col(x) kernel, chunk by chunk (Backend.convForward). */
export function convForward(x: FloatArray, g: Window2D, kernel: FloatArray, filters: number, z: FloatArray): void {
  const K = g.kernelH * g.kernelW * g.channels;
  eachChunk(g, (cg, _s, x0, r0, rows) => {
    const col = colScratch(x, rows * K);
    im2col(x.subarray(x0), cg, col);
    gemm(false, false, rows, filters, K, 1, col, kernel, 0, z.subarray(r0 * filters, (r0 + rows) * filters));
  });
}

/** dw = im2col(x)^T delta, each chunk's product added to the previous ones (Backend.convKernelGrad). */
export function convKernelGrad(x: FloatArray, g: Window2D, delta: FloatArray, filters: number, dw: FloatArray): void {
  const K = g.kernelH * g.kernelW * g.channels;
  if (g.batch === 0) { dw.fill(0, 0, K * filters); return; }
  eachChunk(g, (cg, s, x0, r0, rows) => {
    const col = colScratch(x, rows * K);
    im2col(x.subarray(x0), cg, col);
    gemm(true, false, K, filters, rows, 1, col, delta.subarray(r0 * filters, (r0 + rows) * filters), s === 0 ? 0 : 1, dw);
  });
}

/** dx = col2im(delta kernel^T), chunk by chunk (Backend.convInputGrad). */
export function convInputGrad(delta: FloatArray, kernel: FloatArray, g: Window2D, filters: number, dx: FloatArray): void {
  const K = g.kernelH * g.kernelW * g.channels;
  eachChunk(g, (cg, _s, x0, r0, rows) => {
    const dcol = colScratch(dx, rows * K);
    gemm(false, true, rows, K, filters, 1, delta.subarray(r0 * filters, (r0 + rows) * filters), kernel, 0, dcol);
    col2im(dcol, cg, dx.subarray(x0));
  });
}
