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

/**
 * The walk im2col and col2im share: for each output position (row r of col) and each window cell
 * (i, j), the run of C channel values at col[r rowLen + (i kernelW + j) C ...] meets the run of x
 * at the cell's pixel. `gather` copies x into col and writes zeros for cells in the padding;
 * otherwise (scatter) it adds col into x, the adjoint, skipping padding cells.
 */
function walkColumns(x: FloatArray, g: Window2D, col: FloatArray, gather: boolean): void {
  const { batch, height, width, channels: C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  const rowLen = kernelH * kernelW * C;
  let r = 0; // row of col: ((n outH + oh) outW + ow)
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++, r++) {
        const w0 = ow * strideW - padLeft;
        let o = r * rowLen;
        for (let i = 0; i < kernelH; i++) {
          const h = h0 + i;
          if (h < 0 || h >= height) { if (gather) col.fill(0, o, o + kernelW * C); o += kernelW * C; continue; }
          const xh = xn + h * width * C;
          for (let j = 0; j < kernelW; j++, o += C) {
            const w = w0 + j;
            if (w < 0 || w >= width) { if (gather) col.fill(0, o, o + C); continue; }
            const xi = xh + w * C;
            if (gather) for (let c = 0; c < C; c++) col[o + c] = x[xi + c]!;
            else for (let c = 0; c < C; c++) x[xi + c]! += col[o + c]!;
          }
        }
      }
    }
  }
}

export function im2col(x: FloatArray, g: Window2D, col: FloatArray): void {
  walkColumns(x, g, col, true);
}

export function col2im(col: FloatArray, g: Window2D, dx: FloatArray): void {
  dx.fill(0, 0, g.batch * g.height * g.width * g.channels);
  walkColumns(dx, g, col, false);
}
