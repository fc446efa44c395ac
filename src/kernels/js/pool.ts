/**
 * Reference pooling kernels for NHWC images (see Backend.maxPoolForward and friends). Padding is
 * never read: max pooling ignores padded cells and average pooling leaves them out of the
 * divisor, as TensorFlow's 'same' pooling does (DESIGN.md).
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { Window2D } from '../backend.js';

/** The inside part [lo, hi) of a window starting at `start` of `size` cells over [0, extent). */
function clampRange(start: number, size: number, extent: number): [number, number] {
  return [Math.max(start, 0), Math.min(start + size, extent)];
}

/**
 * Calls `visit` for each output position of `g` in output order, with the batch item's offset xn
 * into x, the window's inside rows [h0, h1) and columns [w0, w1), and the flat output index o of
 * the position's channel 0 (((n outH + oh) outW + ow) C). The channel loop and the window loops
 * stay inline in each kernel.
 */
function forEachWindow(g: Window2D, visit: (xn: number, h0: number, h1: number, w0: number, w1: number, o: number) => void): void {
  const { batch, height, width, channels: C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = clampRange(oh * strideH - padTop, kernelH, height);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [w0, w1] = clampRange(ow * strideW - padLeft, kernelW, width);
        visit(xn, h0, h1, w0, w1, o);
      }
    }
  }
}

export function maxPoolForward(x: FloatArray, g: Window2D, y: FloatArray, argmax: Int32Array): void {
  const { width, channels: C } = g;
  forEachWindow(g, (xn, h0, h1, w0, w1, o0) => {
    for (let c = 0, o = o0; c < C; c++, o++) {
      let best = -1, max = -Infinity;
      // Row-major over the window; '>' keeps the first maximum on a tie (DESIGN.md).
      for (let h = h0; h < h1; h++)
        for (let w = w0; w < w1; w++) {
          const i = xn + (h * width + w) * C + c, v = x[i]!;
          if (best < 0 || v > max) { max = v; best = i; }
        }
      y[o] = best < 0 ? 0 : max;
      argmax[o] = best;
    }
  });
}

export function maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, dxLength: number): void {
  dx.fill(0, 0, dxLength);
  for (let o = 0; o < argmax.length; o++) { const i = argmax[o]!; if (i >= 0) dx[i]! += dy[o]!; }
}

export function avgPoolForward(x: FloatArray, g: Window2D, y: FloatArray): void {
  const { width, channels: C } = g;
  forEachWindow(g, (xn, h0, h1, w0, w1, o) => {
    const count = Math.max(0, h1 - h0) * Math.max(0, w1 - w0);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x[xn + (h * width + w) * C + c]!;
      y[o + c] = count > 0 ? s / count : 0;
    }
  });
}

export function avgPoolBackward(dy: FloatArray, g: Window2D, dx: FloatArray): void {
  const { width, channels: C } = g;
  dx.fill(0, 0, g.batch * g.height * width * C);
  forEachWindow(g, (xn, h0, h1, w0, w1, o) => {
    const count = Math.max(0, h1 - h0) * Math.max(0, w1 - w0);
    if (count === 0) return;
    for (let c = 0; c < C; c++) {
      const share = dy[o + c]! / count;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[xn + (h * width + w) * C + c]! += share;
    }
  });
}
