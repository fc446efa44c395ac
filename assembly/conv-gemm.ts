// The convolution's three products with the im2col matrix never stored whole (Backend.convForward,
// convKernelGrad, convInputGrad): col is built a block of rows at a time in the per-thread
// workspace (COL_BYTES after sgemm's scratch), where it stays in cache for the sgemm that reads it,
// instead of a (batch outH outW) x (kh kw C) matrix written to memory and read back.
//
// Bits: every element is computed by the same sgemm arithmetic as im2col + one sgemm over the whole
// matrix. Forward and input-gradient rows are independent of the block they fall in. The kernel
// gradient sums over rows: its blocks are sgemm's own KC-blocks of k (KC rows; the first written
// with beta 0, the others added with beta 1, i.e. C + acc exactly as sgemm's mode 2), so
// dW = col^T Delta has the one-call bits whenever a KC-block of col fits (kh kw C <= 512); beyond
// that the blocks are smaller (other bits, as deterministic).
import { col2imAdd, im2col } from './conv';
import { forwardImplicit, implicitFits, kernelGradImplicit } from './conv-implicit';
import { forwardPixels, pixelsFit } from './conv-pixels';
import { COL_BYTES, COL_OFFSET, KC, sgemm } from './gemm';

/** Rows of col per block: about 96 KiB of it (in L2 with its operands), a multiple of 4, 4..512. */
@inline function blockRows(K: i32): i32 {
  return min(512, max(4, (96 * 1024 / max(1, K * 4)) & ~3));
}

/** z rows [r0, r1) (r = (n outH + oh) outW + ow) of z = col W: W is K x F (K = kh kw C). */
export function convForward(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                            strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                            w: usize, F: i32, z: usize, r0: i32, r1: i32, work: usize): void {
  const K = kernelH * kernelW * C, rb = blockRows(K), col = work + <usize>COL_OFFSET;
  if (pixelsFit(C, strideW, K) && forwardPixels(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, w, F, z, r0, r1, work)) return;
  if (implicitFits(K, F) && forwardImplicit(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, w, F, z, r0, r1, work)) return;
  for (let rs = r0; rs < r1; rs += rb) {
    const re = min(r1, rs + rb);
    im2col(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, col - (<usize>rs * <usize>K << 2), rs, re);
    sgemm(false, false, re - rs, F, K, 1, col, w, 0, z + (<usize>rs * <usize>F << 2), 0, re - rs, 0, F, work);
  }
}

/** Rows [p0, p1) of dW = col^T Delta (K x F; Delta is (batch outH outW) x F). */
export function convKernelGrad(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                               strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                               delta: usize, F: i32, dw: usize, p0: i32, p1: i32, work: usize): void {
  const K = kernelH * kernelW * C, rows = batch * outH * outW, col = work + <usize>COL_OFFSET;
  const rb = K * KC * 4 <= COL_BYTES ? KC : max(1, COL_BYTES / (K * 4));
  if (rows == 0) { sgemm(true, false, K, F, 0, 1, col, delta, 0, dw, p0, p1, 0, F, work); return; }
  if (implicitFits(K, F) && kernelGradImplicit(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, delta, F, dw, p0, p1, 0, 0, (rows + KC - 1) / KC, work)) return;
  for (let rs = 0; rs < rows; rs += rb) {
    const re = min(rows, rs + rb);
    im2col(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, col - (<usize>rs * <usize>K << 2), rs, re);
    sgemm(true, false, K, F, re - rs, 1, col, delta + (<usize>rs * <usize>F << 2), rs == 0 ? 0 : 1, dw, p0, p1, 0, F, work);
  }
}

/** Images [n0, n1) of dx = col2im(Delta W^T). */
export function convInputGrad(delta: usize, w: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                              strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                              F: i32, dx: usize, n0: i32, n1: i32, work: usize): void {
  const K = kernelH * kernelW * C, rb = blockRows(K), col = work + <usize>COL_OFFSET;
  const imageBytes = <usize>height * <usize>width * <usize>C << 2;
  memory.fill(dx + <usize>n0 * imageBytes, 0, <usize>(n1 - n0) * imageBytes);
  const r1 = n1 * outH * outW;
  for (let rs = n0 * outH * outW; rs < r1; rs += rb) {
    const re = min(r1, rs + rb);
    sgemm(false, true, re - rs, K, F, 1, delta + (<usize>rs * <usize>F << 2), w, 0, col, 0, re - rs, 0, K, work);
    col2imAdd(col - (<usize>rs * <usize>K << 2), height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, dx, rs, re);
  }
}
