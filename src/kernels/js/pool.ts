/**
 * Reference pooling kernels for NHWC images (see Backend.maxPoolForward and friends). Padding is
 * never read: max pooling ignores padded cells and average pooling leaves them out of the
 * divisor, as TensorFlow's 'same' pooling does (docs/design.md).
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { Window2D } from '../backend.js';

/** The inside part [lo, hi) of a window starting at `start` of `size` cells over [0, extent). */
function clampRange(start: number, size: number, extent: number): [number, number] {
  return [Math.max(start, 0), Math.min(start + size, extent)];
}

/**
 * Visits every output cell of pooling in order: `visit(o, xn, h0, h1, w0, w1, count)` for
 * output offset `o` (channels innermost), image offset `xn`, the window clipped to the image
 * ([h0, h1) x [w0, w1)) and its number of inside cells.
 */
function eachWindow(g: Window2D, visit: (o: number, c: number, xn: number, h0: number, h1: number, w0: number, w1: number, count: number) => void): void {
  const { batch, height, width, channels: C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = clampRange(oh * strideH - padTop, kernelH, height);
      for (let ow = 0; ow < outW; ow++) {
        const [w0, w1] = clampRange(ow * strideW - padLeft, kernelW, width);
        const count = Math.max(0, h1 - h0) * Math.max(0, w1 - w0);
        for (let c = 0; c < C; c++, o++) visit(o, c, xn, h0, h1, w0, w1, count);
      }
    }
  }
}

export function maxPoolForward(x: FloatArray, g: Window2D, y: FloatArray, argmax: Int32Array): void {
  const { width, channels: C } = g;
  eachWindow(g, (o, c, xn, h0, h1, w0, w1) => {
    let best = -1, max = -Infinity;
    // Row-major over the window; '>' keeps the first maximum on a tie (docs/design.md).
    for (let h = h0; h < h1; h++)
      for (let w = w0; w < w1; w++) {
        const i = xn + (h * width + w) * C + c, v = x[i]!;
        if (best < 0 || v > max) { max = v; best = i; }
      }
    y[o] = best < 0 ? 0 : max;
    argmax[o] = best;
  });
}

export function maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, dxLength: number): void {
  dx.fill(0, 0, dxLength);
  for (let o = 0; o < argmax.length; o++) { const i = argmax[o]!; if (i >= 0) dx[i]! += dy[o]!; }
}

export function avgPoolForward(x: FloatArray, g: Window2D, y: FloatArray): void {
  const { width, channels: C } = g;
  eachWindow(g, (o, c, xn, h0, h1, w0, w1, count) => {
    let s = 0;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x[xn + (h * width + w) * C + c]!;
    y[o] = count > 0 ? s / count : 0;
  });
}

export function avgPoolBackward(dy: FloatArray, g: Window2D, dx: FloatArray): void {
  const { width, channels: C } = g;
  dx.fill(0, 0, g.batch * g.height * width * C);
  eachWindow(g, (o, c, xn, h0, h1, w0, w1, count) => {
    if (count === 0) return;
    const share = dy[o]! / count;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[xn + (h * width + w) * C + c]! += share;
  });
}
