// Convolution forward with the lanes over output PIXELS, for one input channel and a unit stride
// along the width: the first layer of a network on grayscale images (LeNet's 5x5, 6 filters on
// MNIST). The implicit gemm (conv-implicit.ts) puts the lanes over filters, eight at a time, so
// with 6 filters a quarter of its multiply-adds are padding; here four neighbouring output pixels
// of an image row are one vector (their windows' taps are four consecutive floats of the image).
// Eight pixels (two vectors) share each weight for groups of up to four filters: 8 accumulators,
// so V8 keeps everything in registers (12, for six filters at once, spilled: 650 us against 447
// for LeNet's conv1 on a batch of 64, where the implicit gemm takes 640); a row's last pixels go
// four at a time with groups of up to eight filters.
//
// Bits: each output element is the sum over the taps p = 0..K-1 in order of x[p] w[p, f],
// accumulated from +0 with the same multiply-add (assembly/fma.ts: fused in the relaxed build) and
// stored as it is (alpha 1, beta 0), exactly what the implicit gemm and im2col + sgemm compute; so
// this path changes the speed, never a bit.
import { madd } from './fma';
import { loadLanes } from './math';
import { KC } from './gemm';
import { Src, prepare } from './conv-implicit';

/** Whether {@link forwardPixels} applies: one channel, unit stride along the width, K in one KC-block. */
@inline export function pixelsFit(C: i32, strideW: i32, K: i32): bool {
  return C == 1 && strideW == 1 && K > 0 && K <= KC;
}

/**
 * Four pixels (`valid` of them stored) x `nf` filters from f0: taps at origin + i rowBytes + j*4
 * for i < kernelH, j < kernelW; weights w[p F + f]. nf is a constant at every call, so each inlined
 * copy keeps only its own accumulators.
 */
@inline function tile(nf: i32, o: usize, rowBytes: usize, kernelH: i32, kernelW: i32, w: usize, F: i32, f0: i32,
                      zp: usize, valid: i32): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  const fs = <usize>F << 2;
  let wp = w + (<usize>f0 << 2);
  for (let i = 0; i < kernelH; i++) {
    let xp = o + <usize>i * rowBytes;
    for (let j = 0; j < kernelW; j++) {
      const xv = loadLanes(xp, valid);
      a0 = madd(xv, v128.load32_splat(wp), a0);
      if (nf > 1) a1 = madd(xv, v128.load32_splat(wp, 4), a1);
      if (nf > 2) a2 = madd(xv, v128.load32_splat(wp, 8), a2);
      if (nf > 3) a3 = madd(xv, v128.load32_splat(wp, 12), a3);
      if (nf > 4) a4 = madd(xv, v128.load32_splat(wp, 16), a4);
      if (nf > 5) a5 = madd(xv, v128.load32_splat(wp, 20), a5);
      if (nf > 6) a6 = madd(xv, v128.load32_splat(wp, 24), a6);
      if (nf > 7) a7 = madd(xv, v128.load32_splat(wp, 28), a7);
      xp += 4; wp += fs;
    }
  }
  // pixel k's filters f0.. are at zp + k F floats
  store4(a0, zp, fs, valid);
  if (nf > 1) store4(a1, zp + 4, fs, valid);
  if (nf > 2) store4(a2, zp + 8, fs, valid);
  if (nf > 3) store4(a3, zp + 12, fs, valid);
  if (nf > 4) store4(a4, zp + 16, fs, valid);
  if (nf > 5) store4(a5, zp + 20, fs, valid);
  if (nf > 6) store4(a6, zp + 24, fs, valid);
  if (nf > 7) store4(a7, zp + 28, fs, valid);
}

/** Eight pixels x `nf` <= 4 filters from f0 (all stored): two pixel vectors share each weight. */
@inline function tile8(nf: i32, o: usize, rowBytes: usize, kernelH: i32, kernelW: i32, w: usize, F: i32, f0: i32, zp: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  const fs = <usize>F << 2;
  let wp = w + (<usize>f0 << 2);
  for (let i = 0; i < kernelH; i++) {
    let xp = o + <usize>i * rowBytes;
    for (let j = 0; j < kernelW; j++) {
      const xv = v128.load(xp), yv = v128.load(xp, 16);
      let wv = v128.load32_splat(wp);
      a0 = madd(xv, wv, a0); b0 = madd(yv, wv, b0);
      if (nf > 1) { wv = v128.load32_splat(wp, 4); a1 = madd(xv, wv, a1); b1 = madd(yv, wv, b1); }
      if (nf > 2) { wv = v128.load32_splat(wp, 8); a2 = madd(xv, wv, a2); b2 = madd(yv, wv, b2); }
      if (nf > 3) { wv = v128.load32_splat(wp, 12); a3 = madd(xv, wv, a3); b3 = madd(yv, wv, b3); }
      xp += 4; wp += fs;
    }
  }
  const zq = zp + (fs << 2);
  store4(a0, zp, fs, 4); store4(b0, zq, fs, 4);
  if (nf > 1) { store4(a1, zp + 4, fs, 4); store4(b1, zq + 4, fs, 4); }
  if (nf > 2) { store4(a2, zp + 8, fs, 4); store4(b2, zq + 8, fs, 4); }
  if (nf > 3) { store4(a3, zp + 12, fs, 4); store4(b3, zq + 12, fs, 4); }
}

/** All F filters for eight pixels whose first window starts at o; z row at zp. */
@inline function pixelOct(o: usize, rowBytes: usize, kernelH: i32, kernelW: i32, w: usize, F: i32, zp: usize): void {
  let f0 = 0;
  for (; f0 + 4 <= F; f0 += 4) tile8(4, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2));
  const rest = F - f0;
  if (rest == 3) tile8(3, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2));
  else if (rest == 2) tile8(2, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2));
  else if (rest == 1) tile8(1, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2));
}

/** Lane k of v to p + k stride, for the first `valid` lanes. */
@inline function store4(v: v128, p: usize, stride: usize, valid: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (valid > 1) store<f32>(p + stride, f32x4.extract_lane(v, 1));
  if (valid > 2) store<f32>(p + 2 * stride, f32x4.extract_lane(v, 2));
  if (valid > 3) store<f32>(p + 3 * stride, f32x4.extract_lane(v, 3));
}

/** All F filters for four pixels (`valid` stored) whose first window starts at o; z row at zp. */
@inline function pixelQuad(o: usize, rowBytes: usize, kernelH: i32, kernelW: i32, w: usize, F: i32, zp: usize, valid: i32): void {
  let f0 = 0;
  for (; f0 + 8 <= F; f0 += 8) tile(8, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2), valid);
  const rest = F - f0;
  if (rest >= 6) { tile(6, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2), valid); f0 += 6; }
  else if (rest >= 4) { tile(4, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2), valid); f0 += 4; }
  if (F - f0 >= 2) { tile(2, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2), valid); f0 += 2; }
  if (F - f0 >= 1) tile(1, o, rowBytes, kernelH, kernelW, w, F, f0, zp + (<usize>f0 << 2), valid);
}

/**
 * z rows [r0, r1) (r = (n outH + oh) outW + ow) of the convolution, as convForward (conv-gemm.ts);
 * pixelsFit(C, strideW, K) must hold. False (nothing written) when not even one zero-padded image
 * fits the workspace's col block.
 */
export function forwardPixels(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                              strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                              w: usize, F: i32, z: usize, r0: i32, r1: i32, work: usize): bool {
  const P = outH * outW;
  const s = changetype<Src>(work);
  let n = r0 / P;
  const nEnd = (r1 + P - 1) / P;
  while (n < nEnd) {
    const count = prepare(s, x, n, nEnd, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, work);
    if (count == 0) return false;
    const ra = max(r0, n * P), rz = min(r1, (n + count) * P);
    let r = ra;
    while (r < rz) {
      // one output row segment: image m, row oh, pixels [ow, owEnd)
      const m = r / P, q = r - m * P, oh = q / outW, ow = q - oh * outW;
      const owEnd = min(outW, ow + (rz - r));
      const rowOrigin = s.base + <usize>(m - s.first) * s.imageBytes + <usize>(oh * strideH) * s.rowBytes;
      let c = ow;
      for (; c + 8 <= owEnd; c += 8)
        pixelOct(rowOrigin + (<usize>c << 2), s.rowBytes, kernelH, kernelW, w, F, z + (<usize>(r + c - ow) * <usize>F << 2));
      for (; c + 4 <= owEnd; c += 4)
        pixelQuad(rowOrigin + (<usize>c << 2), s.rowBytes, kernelH, kernelW, w, F, z + (<usize>(r + c - ow) * <usize>F << 2), 4);
      if (c < owEnd)
        pixelQuad(rowOrigin + (<usize>c << 2), s.rowBytes, kernelH, kernelW, w, F, z + (<usize>(r + c - ow) * <usize>F << 2), owEnd - c);
      r += owEnd - ow;
    }
    n += count;
  }
  return true;
}
