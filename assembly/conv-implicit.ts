// Implicit-gemm convolution products (used by conv-gemm.ts when they apply): the im2col matrix is
// never built, not even a block of it. Row r = (n, oh, ow) of col is read in place from the image
// (zero-padded into the workspace first when the windows reach outside it): its entry
// p = i (kw C) + q is the number at the window's origin + i (row stride) + q. The micro-kernels
// are sgemm's (4 rows x 8 columns, the same multiply-adds in the same p order from 0, the same
// storeTile), so every element has the bits im2col + sgemm give it.
import { madd } from './fma';
import { COL_BYTES, COL_OFFSET, KC, NR, PACK_A_BYTES, microKernelRuns, packB, storeTile } from './gemm';

/** The source images' layout: padded copies in the workspace, or x itself. */
@unmanaged export class Src {
  base: usize = 0;       // image 0's first number (padded copies: image `first`)
  first: i32 = 0;        // the first image held (padded copies)
  imageBytes: usize = 0; // bytes per image
  rowBytes: usize = 0;   // bytes per image row
  pad: bool = false;     // whether copies are made
  hp: i32 = 0; wp: i32 = 0;
}

/**
 * Sets the layout of `s` (not its base): x's own when every window lies inside the image, else a
 * zero-padded copy's (hp x wp images).
 */
@inline function layout(s: Src, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                        strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32): void {
  const hp = (outH - 1) * strideH + kernelH, wp = (outW - 1) * strideW + kernelW;
  s.pad = padTop > 0 || padLeft > 0 || hp > height || wp > width;
  if (!s.pad) { s.rowBytes = <usize>width * <usize>C << 2; s.imageBytes = <usize>height * s.rowBytes; return; }
  s.hp = hp; s.wp = wp; s.rowBytes = <usize>wp * <usize>C << 2; s.imageBytes = <usize>hp * s.rowBytes;
}

/**
 * Sets `s` for images from `first`: x in place when every window lies inside the image, else a
 * zero-padded copy of as many images as fit in the workspace's col block (at least one; returns
 * how many, or 0 when not even one fits).
 */
export function prepare(s: Src, x: usize, first: i32, last: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                 strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, work: usize): i32 {
  layout(s, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW);
  if (!s.pad) { s.base = x; s.first = 0; return last - first; }
  const hp = s.hp, wp = s.wp;
  const fit = <i32>(<usize>COL_BYTES / s.imageBytes);
  if (fit < 1) return 0;
  const count = min(fit, last - first);
  s.base = work + <usize>COL_OFFSET; s.first = first;
  memory.fill(s.base, 0, <usize>count * s.imageBytes);
  const srcRow = <usize>width * <usize>C << 2;
  for (let n = 0; n < count; n++) {
    const xn = x + <usize>(first + n) * <usize>height * srcRow, dn = s.base + <usize>n * s.imageBytes;
    for (let h = 0; h < height; h++) {
      const ph = h + padTop;
      if (ph >= hp) break;
      const cols = min(width, wp - padLeft);
      if (cols > 0) memory.copy(dn + <usize>ph * s.rowBytes + (<usize>(padLeft * C) << 2), xn + <usize>h * srcRow, <usize>(cols * C) << 2);
    }
  }
  return count;
}

/**
 * Walks rows r = (n outH + oh) outW + ow in order, giving each one's window origin without a
 * division per row.
 */
@unmanaged class Cursor {
  ow: i32 = 0; oh: i32 = 0; n: i32 = 0;
  /** Starts at row r. */
  @inline seek(r: i32, outH: i32, outW: i32): void {
    const t = r / outW;
    this.ow = r - t * outW; this.oh = t % outH; this.n = t / outH;
  }
  /** The current row's window origin, then steps to the next row. */
  @inline next(s: Src, outH: i32, outW: i32, strideH: i32, strideW: i32, C: i32): usize {
    const o = s.base + <usize>(this.n - s.first) * s.imageBytes + <usize>(this.oh * strideH) * s.rowBytes + (<usize>(this.ow * strideW * C) << 2);
    if (++this.ow == outW) { this.ow = 0; if (++this.oh == outH) { this.oh = 0; this.n++; } }
    return o;
  }
}

/** True when convForward / convKernelGrad can run implicitly: one KC-block of p, W packed whole. */
export function implicitFits(K: i32, F: i32): bool {
  return K <= KC && K > 0 && F > 0 && <i64>K * <i64>((F + NR - 1) / NR * NR) * 4 <= <i64>(KC * 2048 * 4);
}

/** z rows [r0, r1) = col W (see conv-gemm.ts convForward); implicitFits(K, F) must hold. */
export function forwardImplicit(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                                strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                                w: usize, F: i32, z: usize, r0: i32, r1: i32, work: usize): bool {
  const K = kernelH * kernelW * C, runLen = kernelW * C, P = outH * outW;
  const pb = work + <usize>PACK_A_BYTES, tile = work + <usize>COL_OFFSET - <usize>(4 * 8 * 4);
  // the Src record and a Cursor at the start of the (unused) pack-A area
  const s = changetype<Src>(work), cur = changetype<Cursor>(work + 48);
  const ldc = <usize>F << 2;
  let n = r0 / P;
  const nEnd = (r1 + P - 1) / P;
  const hp = (outH - 1) * strideH + kernelH, wp = (outW - 1) * strideW + kernelW;
  if (<i64>hp * <i64>wp * <i64>C * 4 > <i64>COL_BYTES) return false; // not even one padded image fits
  packB(false, w, F, K, 0, K, 0, F, pb);
  while (n < nEnd) {
    const count = prepare(s, x, n, nEnd, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, work);
    const ra = max(r0, n * P), rz = min(r1, (n + count) * P);
    const rowStep = s.rowBytes - (<usize>runLen << 2);
    cur.seek(ra, outH, outW);
    for (let r = ra; r < rz; r += 4) {
      const rows = min(4, rz - r);
      const o0 = cur.next(s, outH, outW, strideH, strideW, C);
      const o1 = rows > 1 ? cur.next(s, outH, outW, strideH, strideW, C) : o0;
      const o2 = rows > 2 ? cur.next(s, outH, outW, strideH, strideW, C) : o1;
      const o3 = rows > 3 ? cur.next(s, outH, outW, strideH, strideW, C) : o2;
      for (let jr = 0; jr < F; jr += NR) {
        microKernelRuns(o0, o1, o2, o3, kernelH, runLen, rowStep, pb + (<usize>(jr * K) << 2), 32,
                        z + <usize>r * ldc + (<usize>jr << 2), ldc, rows, min(NR, F - jr), 1, 0, 0, tile);
      }
    }
    n += count;
  }
  return true;
}

/**
 * Rows [p0, p1) of dW = col^T Delta (see conv-gemm.ts convKernelGrad), summed over KC-blocks of
 * rows as sgemm sums them; implicitFits(K, F) must hold and every image must fit the col block at
 * once when padded (else false, nothing written). Only the blocks [b0, b1) are computed: block 0
 * is stored in dW; a later block b is added to dW (scratch 0, the one-thread order) or stored in
 * its own slot scratch + (b - 1) K F floats, for addBlocks to add to dW in block order (the
 * thread pool's split of the reduction, threads.ts: the same bits for any chunking).
 */
export function kernelGradImplicit(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                                   strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                                   delta: usize, F: i32, dw: usize, p0: i32, p1: i32, scratch: usize, b0: i32, b1: i32, work: usize): bool {
  const K = kernelH * kernelW * C, runLen = kernelW * C, rows = batch * outH * outW, P = outH * outW;
  const r0 = b0 * KC, r1 = <i32>min(<i64>rows, <i64>b1 * KC);
  if (r0 >= r1) return true;
  const s = changetype<Src>(work), cur = changetype<Cursor>(work + 48);
  const n0 = r0 / P, n1 = (r1 - 1) / P + 1; // the images the blocks' rows lie in
  if (prepare(s, x, n0, n1, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, work) < n1 - n0) return false;
  // pack-A area: the Src record and the Cursor (64 bytes), p's offsets (K i32), the block's row origins (KC u32)
  const offs = work + 64, origins = offs + (<usize>K << 2);
  const pb = work + <usize>PACK_A_BYTES, tile = work + <usize>COL_OFFSET - <usize>(4 * 8 * 4);
  for (let p = 0; p < K; p++) store<u32>(offs + (<usize>p << 2), <u32>(<usize>(p / runLen) * s.rowBytes + (<usize>(p % runLen) << 2)));
  const ldc = <usize>F << 2;
  const slot = <usize>K * <usize>F << 2;
  cur.seek(r0, outH, outW);
  for (let rs = r0; rs < r1; rs += KC) {
    const kc = min(KC, rows - rs);
    for (let r = 0; r < kc; r++) store<u32>(origins + (<usize>r << 2), <u32>cur.next(s, outH, outW, strideH, strideW, C));
    // Delta's rows are read in place when F <= NR (the lanes past F hold the next row's numbers,
    // which storeTile never writes out), except in the block holding the last row (whose eight
    // floats could run past the end of memory): packing those rows cost a quarter of LeNet's
    // conv1 dW (6 filters).
    const direct = F <= NR && rs + kc < rows;
    if (!direct) packB(false, delta, F, rows, rs, kc, 0, F, pb);
    const bBase = direct ? delta + (<usize>rs * <usize>F << 2) : pb, bStep: usize = direct ? <usize>F << 2 : 32;
    const mode = rs == 0 || scratch != 0 ? 0 : 2;
    const out = rs == 0 || scratch == 0 ? dw : scratch + <usize>(rs / KC - 1) * slot;
    for (let ir = p0; ir < p1; ir += 4) {
      const prow = min(4, p1 - ir);
      const q0 = <usize>load<u32>(offs + (<usize>ir << 2));
      const q1 = <usize>load<u32>(offs + (<usize>(ir + min(1, prow - 1)) << 2));
      const q2 = <usize>load<u32>(offs + (<usize>(ir + min(2, prow - 1)) << 2));
      const q3 = <usize>load<u32>(offs + (<usize>(ir + min(3, prow - 1)) << 2));
      for (let jr = 0; jr < F; jr += NR) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let bp = direct ? bBase : pb + (<usize>(jr * kc) << 2), op = origins;
        if (prow == 1) { // one tap (the last of K = 25): two multiply-adds a row, not eight
          let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
          for (let r = 0; r < kc; r++) {
            const a = v128.load32_splat(<usize>load<u32>(op) + q0);
            c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1);
            bp += bStep; op += 4;
          }
          storeTile(c0, c1, c0, c1, c0, c1, c0, c1, out + <usize>ir * ldc + (<usize>jr << 2), ldc, 1, min(NR, F - jr), 1, 0, mode, tile);
          continue;
        }
        for (let r = 0; r < kc; r++) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const o = <usize>load<u32>(op);
          let a = v128.load32_splat(o + q0);
          c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
          a = v128.load32_splat(o + q1);
          c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
          a = v128.load32_splat(o + q2);
          c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
          a = v128.load32_splat(o + q3);
          c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
          bp += bStep; op += 4;
        }
        storeTile(c00, c01, c10, c11, c20, c21, c30, c31, out + <usize>ir * ldc + (<usize>jr << 2), ldc, prow, min(NR, F - jr), 1, 0, mode, tile);
      }
    }
  }
  return true;
}

/**
 * How many KC-blocks of rows convKernelGrad's implicit path sums for this geometry (the thread
 * pool cuts its reduction split at them), or 0 when it would not run implicitly.
 */
export function kernelGradBlocks(batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
                                 padTop: i32, padLeft: i32, outH: i32, outW: i32, F: i32, work: usize): i32 {
  const K = kernelH * kernelW * C, rows = batch * outH * outW;
  if (rows <= 0 || !implicitFits(K, F)) return 0;
  // as prepare lays the images out (in this thread's workspace), and as kernelGradImplicit needs them: all at once
  const s = changetype<Src>(work);
  layout(s, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW);
  if (s.pad && <u64>batch * <u64>s.imageBytes > <u64>COL_BYTES) return 0;
  return (rows + KC - 1) / KC;
}

/**
 * A chunk of the thread pool's reduction split of convKernelGrad (kernelGradImplicit with all of
 * dW's rows): the KC-blocks [b0, b1) of rows, block 0 into dw, block b > 0 into its slot of scratch.
 * kernelGradBlocks must have been nonzero for the geometry.
 */
export function convKernelGradBlocks(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                                     strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                                     delta: usize, F: i32, dw: usize, scratch: usize, b0: i32, b1: i32, work: usize): void {
  const K = kernelH * kernelW * C;
  if (!kernelGradImplicit(x, batch, height, width, C, kernelH, kernelW, strideH, strideW, padTop, padLeft, outH, outW, delta, F, dw, 0, K, scratch, b0, b1, work)) unreachable();
}

/**
 * dst[i] += slot 0 [i], then slot 1 [i], ... for the `count` slots of n floats at scratch (in slot
 * order, element by element: the additions the one-thread kernel makes, so the same bits).
 */
export function addBlocks(dst: usize, scratch: usize, n: i32, count: i32): void {
  const stride = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let v = v128.load(dst + o), p = scratch + o;
    for (let b = 0; b < count; b++, p += stride) v = f32x4.add(v, v128.load(p));
    v128.store(dst + o, v);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let v = load<f32>(dst + o), p = scratch + o;
    for (let b = 0; b < count; b++, p += stride) v += load<f32>(p);
    store<f32>(dst + o, v);
  }
}
