// im2col / col2im for NHWC images (Backend.im2col / col2im). Geometry as Window2D; pointers are
// byte offsets of f32 arrays. Each (window row) is one contiguous run of kernelW * channels
// numbers when the window lies inside the image horizontally, else runs of `channels`.

@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) { const o = <usize>i << 2; v128.store(dst + o, v128.load(src + o)); v128.store(dst + o, v128.load(src + o, 16), 16); }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(dst + o, v128.load(src + o)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(dst + o, load<f32>(src + o)); }
}

@inline function zeroRun(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o)); }
}

/** Rows [r0, r1) of the col matrix (r = (n outH + oh) outW + ow). */
export function im2col(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                       strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                       col: usize, r0: i32, r1: i32): void {
  if (r0 >= r1 || outW <= 0 || outH <= 0) return;
  const runLen = kernelW * C;
  const runBytes = <usize>runLen << 2;
  const rowBytes = <usize>width * <usize>C << 2, imageBytes = <usize>height * rowBytes;
  let ow = r0 % outW, t = r0 / outW;
  let oh = t % outH, n = t / outH;
  let o = col + (<usize>r0 * <usize>(kernelH * runLen) << 2);
  for (let r = r0; r < r1; r++) {
    const h0 = oh * strideH - padTop, w0 = ow * strideW - padLeft;
    const xn = x + <usize>n * imageBytes;
    const insideW = w0 >= 0 && w0 + kernelW <= width;
    if (insideW && h0 >= 0 && h0 + kernelH <= height) {
      // the whole window is inside: kernelH contiguous runs of kernelW * C numbers
      let src = xn + <usize>h0 * rowBytes + (<usize>(w0 * C) << 2);
      if (runLen == 5) {
        for (let i = 0; i < kernelH; i++, o += 20, src += rowBytes) { v128.store(o, v128.load(src)); store<f32>(o, load<f32>(src, 16), 16); }
      } else {
        for (let i = 0; i < kernelH; i++, o += runBytes, src += rowBytes) copyRun(o, src, runLen);
      }
    } else {
      for (let i = 0; i < kernelH; i++, o += runBytes) {
        const h = h0 + i;
        if (h < 0 || h >= height) { zeroRun(o, runLen); continue; }
        const xh = xn + <usize>h * rowBytes;
        if (insideW) { copyRun(o, xh + (<usize>(w0 * C) << 2), runLen); continue; }
        for (let j = 0; j < kernelW; j++) {
          const w = w0 + j;
          const d = o + (<usize>(j * C) << 2);
          if (w < 0 || w >= width) zeroRun(d, C);
          else copyRun(d, xh + (<usize>(w * C) << 2), C);
        }
      }
    }
    if (++ow == outW) { ow = 0; if (++oh == outH) { oh = 0; n++; } }
  }
}

/** dx = 0, then every col entry is added to the input cell it came from (images [n0, n1)). */
export function col2im(col: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                       strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                       dx: usize, n0: i32, n1: i32): void {
  const rowBytes = <usize>width * <usize>C << 2;
  memory.fill(dx + <usize>n0 * <usize>height * rowBytes, 0, <usize>(n1 - n0) * <usize>height * rowBytes);
  col2imAdd(col, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, dx, n0 * outH * outW, n1 * outH * outW);
}

/**
 * Adds col rows [r0, r1) (r = (n outH + oh) outW + ow; row r at col + 4 r kh kw C) to the input
 * cells they came from, in row order (col2im without the zeroing: rows in consecutive ranges add
 * exactly as one call over their union).
 */
export function col2imAdd(col: usize, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                          strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                          dx: usize, r0: i32, r1: i32): void {
  if (r0 >= r1 || outW <= 0 || outH <= 0) return;
  const rowLen = kernelH * kernelW * C, runLen = kernelW * C;
  const rowBytes = <usize>width * <usize>C << 2;
  let ow = r0 % outW, t = r0 / outW;
  let oh = t % outH, n = t / outH;
  for (let r = r0; r < r1; r++) {
    const xn = dx + (<usize>n * <usize>height * rowBytes);
    const h0 = oh * strideH - padTop, w0 = ow * strideW - padLeft;
    let o = col + (<usize>r * <usize>rowLen << 2);
    const inside = w0 >= 0 && w0 + kernelW <= width;
    for (let i = 0; i < kernelH; i++, o += <usize>runLen << 2) {
      const h = h0 + i;
      if (h < 0 || h >= height) continue;
      const xh = xn + <usize>h * rowBytes;
      if (inside) { addRun(xh + (<usize>(w0 * C) << 2), o, runLen); continue; }
      for (let j = 0; j < kernelW; j++) {
        const w = w0 + j;
        if (w < 0 || w >= width) continue;
        addRun(xh + (<usize>(w * C) << 2), o + (<usize>(j * C) << 2), C);
      }
    }
    if (++ow == outW) { ow = 0; if (++oh == outH) { oh = 0; n++; } }
  }
}
