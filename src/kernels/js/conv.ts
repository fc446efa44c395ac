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
