// sgemm: C = alpha op(A) op(B) + beta C, row-major, float32, 128-bit SIMD.
//
// The classic Goto/BLIS structure: the k dimension is cut into KC blocks, op(B) into NC column
// blocks packed as NR-wide micro-panels (KC x NR, contiguous), op(A) into MC row blocks packed as
// MR-tall micro-panels (KC x MR); a 4x8 register-blocked micro-kernel (8 f32x4 accumulators, two
// B vectors and a splatted A value: 11 of the 16 xmm registers V8 can use, so nothing spills)
// multiplies a micro-panel pair. The micro-kernels are inlined into the loop nest: as separate
// functions V8 ran them 20-30% slower (measured), and unrolling their k loop costs registers
// and is slower still. The B micro-panel (8 KiB) stays in L1, the packed A block
// (MC x KC x 4 = 128 KiB) in L2. Packing pads edges with zeros, so one micro-kernel serves every
// tile; edge tiles go through a small tile buffer and only their valid part is written.
//
// Every C element's value is a function of its row of op(A), its column of op(B), alpha, beta
// and the fixed KC blocking, never of the tile it falls in: sgemm on a sub-rectangle [i0, i1) x
// [j0, j1) of C writes bit-for-bit what the whole call writes there, which is how threads share
// the work with results independent of the thread count. The relaxed-SIMD build fuses the
// micro-kernels' multiply-adds (see fma.ts): its results differ from the plain build's in the last
// bits, and are as independent of the thread count.

import { madd } from './fma';
import { allFinite } from './elementwise';
import { compressA, sparseKernel, sparseWanted } from './gemm-sparse';
import { KC, MC, MR, NR, storeTile } from './gemm-tile';

export { KC, MC, MR, NR, storeTile };

export const NC: i32 = 2048;

export const PACK_A_BYTES: i32 = MC * KC * 4;
export const PACK_B_BYTES: i32 = KC * NC * 4;
const TILE_BYTES: i32 = MR * NR * 4;
/**
 * The fused convolution kernels' (conv-gemm.ts) block of im2col rows, after sgemm's scratch in the
 * same per-thread workspace: big enough for a KC-block of rows of a 5x5x20 (or 3x3x56) window.
 */
export const COL_BYTES: i32 = 512 * 1024;
export const COL_OFFSET: i32 = PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;

/** Bytes of per-thread scratch sgemm (and the fused convolutions) need at `work`. */
export function gemmWorkspaceBytes(): i32 {
  return COL_OFFSET + COL_BYTES;
}

@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<i32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<i32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<i32>(t2, t3, 2, 3, 6, 7));
}

/** Packs rows [ic, ic + mc) and columns [pc, pc + kc) of op(A) into MR-tall micro-panels. */
function packA(transA: bool, a: usize, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const i = ic + ir;
    if (!transA) {
      // A is m x k: row i is contiguous in p.
      if (rows == MR) {
        const r0 = a + ((<usize>i * <usize>k + <usize>pc) << 2);
        const rs = <usize>k << 2;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          transpose4(v128.load(r0 + o), v128.load(r0 + rs + o), v128.load(r0 + 2 * rs + o), v128.load(r0 + 3 * rs + o),
                     dst + (<usize>p << 4), 16);
        }
        for (; p < kc; p++) {
          const o = <usize>p << 2;
          const d = dst + (<usize>p << 4);
          store<f32>(d, load<f32>(r0 + o));
          store<f32>(d, load<f32>(r0 + rs + o), 4);
          store<f32>(d, load<f32>(r0 + 2 * rs + o), 8);
          store<f32>(d, load<f32>(r0 + 3 * rs + o), 12);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p << 4);
          for (let r = 0; r < MR; r++)
            store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(a + ((<usize>(i + r) * <usize>k + <usize>(pc + p)) << 2)) : 0);
        }
      }
    } else {
      // A is k x m: op(A)[i, p] = A[p, i], contiguous in i.
      if (rows == MR) {
        let s = a + ((<usize>pc * <usize>m + <usize>i) << 2);
        const ms = <usize>m << 2;
        for (let p = 0; p < kc; p++) {
          v128.store(dst + (<usize>p << 4), v128.load(s));
          s += ms;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p << 4);
          const s = a + ((<usize>(pc + p) * <usize>m + <usize>i) << 2);
          for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        }
      }
    }
    dst += <usize>(kc * MR) << 2;
  }
}

/** Packs rows [pc, pc + kc) and columns [jc, jc + nc) of op(B) into NR-wide micro-panels. */
export function packB(transB: bool, b: usize, n: i32, k: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const j = jc + jr;
    if (!transB) {
      // B is k x n: op(B) row p is contiguous in j.
      let s = b + ((<usize>pc * <usize>n + <usize>j) << 2);
      const ns = <usize>n << 2;
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p << 5);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += ns;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p << 5);
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(s + (<usize>c << 2)) : 0);
          s += ns;
        }
      }
    } else {
      // B is n x k: op(B)[p, j] = B[j, p], contiguous in p.
      const ks = <usize>k << 2;
      const r0 = b + ((<usize>j * <usize>k + <usize>pc) << 2);
      if (cols == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          const d = dst + (<usize>p << 5);
          transpose4(v128.load(r0 + o), v128.load(r0 + ks + o), v128.load(r0 + 2 * ks + o), v128.load(r0 + 3 * ks + o), d, 32);
          const r4 = r0 + 4 * ks;
          transpose4(v128.load(r4 + o), v128.load(r4 + ks + o), v128.load(r4 + 2 * ks + o), v128.load(r4 + 3 * ks + o), d + 16, 32);
        }
        for (; p < kc; p++) {
          const d = dst + (<usize>p << 5);
          const o = <usize>p << 2;
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(r0 + <usize>c * ks + o));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p << 5);
          const o = <usize>p << 2;
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(r0 + <usize>c * ks + o) : 0);
        }
      }
    }
    dst += <usize>(kc * NR) << 2;
  }
}

/**
 * The 4x8 micro-kernel: acc = A (MR x kc) B (kc x NR), then the C tile (rows x cols at cp, row
 * stride ldc bytes) updated per `mode`. A's four values for step p are the consecutive floats at
 * ap (a packed panel, as = 16, or op(A) = A^T read in place, as = 4 m); B's eight at bp (a packed
 * panel, bs = 32, or B read in place, bs = 4 n).
 */
@inline function microKernel(kc: i32, ap: usize, as: usize, bp: usize, bs: usize, cp: usize, ldc: usize, rows: i32, cols: i32,
                     alpha: f32, beta: f32, mode: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += as; bp += bs;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, cp, ldc, rows, cols, alpha, beta, mode, tile);
}

/**
 * The same micro-kernel reading four ROWS of A in place at a0..a3: `runs` runs of `runLength`
 * consecutive floats, each pointer moving on by `jump` bytes after a run. sgemm reads four rows of
 * a row-major A as one run of kc ({@link microKernelRows}); the implicit convolution
 * (conv-implicit.ts) reads a window as kernelH runs of kernelW C floats, jumping to the next image
 * row. B's eight floats are at bp, then every bs bytes.
 */
@inline export function microKernelRuns(a0: usize, a1: usize, a2: usize, a3: usize, runs: i32, runLength: i32, jump: usize,
                                        bp: usize, bs: usize, cp: usize, ldc: usize, rows: i32, cols: i32,
                                        alpha: f32, beta: f32, mode: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let i = 0; i < runs; i++) {
    for (let p = 0; p < runLength; p++) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      let a = v128.load32_splat(a0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(a1);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(a2);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(a3);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      a0 += 4; a1 += 4; a2 += 4; a3 += 4; bp += bs;
    }
    a0 += jump; a1 += jump; a2 += jump; a3 += jump;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, cp, ldc, rows, cols, alpha, beta, mode, tile);
}

/** {@link microKernelRuns} on four rows of a row-major A (row stride `lda` bytes), kc floats each: for skinny products where packing A would copy it once to read it once. */
@inline function microKernelRows(kc: i32, ap: usize, lda: usize, bp: usize, bs: usize, cp: usize, ldc: usize, rows: i32, cols: i32,
                         alpha: f32, beta: f32, mode: i32, tile: usize): void {
  microKernelRuns(ap, ap + lda, ap + 2 * lda, ap + 3 * lda, 1, kc, 0, bp, bs, cp, ldc, rows, cols, alpha, beta, mode, tile);
}

/** C[i0:i1, j0:j1] = beta C (0 when beta is 0, so NaN does not propagate). */
function scaleBlock(c: usize, n: i32, i0: i32, i1: i32, j0: i32, j1: i32, beta: f32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = i0; i < i1; i++) {
    const row = c + (<usize>i * <usize>n << 2);
    let j = j0;
    if (beta == 0) {
      for (; j + 4 <= j1; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(0));
      for (; j < j1; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= j1; j += 4) { const p = row + (<usize>j << 2); v128.store(p, f32x4.mul(vb, v128.load(p))); }
      for (; j < j1; j++) { const p = row + (<usize>j << 2); store<f32>(p, beta * load<f32>(p)); }
    }
  }
}

/**
 * C[i0:i1, j0:j1] of C = alpha op(A) op(B) + beta C (BLAS sgemm semantics, row-major, no
 * leading-dimension padding). `work` is per-thread scratch of gemmWorkspaceBytes() bytes.
 */
export function sgemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize,
                      beta: f32, c: usize, i0: i32, i1: i32, j0: i32, j1: i32, work: usize): void {
  if (i0 >= i1 || j0 >= j1) return;
  if (k == 0 || alpha == 0) { scaleBlock(c, n, i0, i1, j0, j1, beta); return; }
  const pa = work, pb = work + <usize>PACK_A_BYTES, tile = pb + <usize>PACK_B_BYTES;
  const ldc = <usize>n << 2;
  // Skinny products read operands in place instead of packing them (each element would be
  // packed once to be read once or twice): B when it is k x n with n <= 16 (its rows are at most
  // one cache line), A when op(B) has at most 16 panels (n <= 128: packing A costs 1/n of the
  // products, and threads that split C's columns would each pack all of it; inference at batch
  // 1000 through a 784 x 128 layer: 4.36 -> 4.30 ms on one thread, 2.38 -> 2.33 on two,
  // interleaved), when A is a short m x k (m <= 64: a mini-batch), or op(A) = A^T with m <= 32.
  // Only full micro-panels are read in place; edges are packed. The arithmetic per C element is
  // the same either way, so the choice never changes a bit.
  const directB = !transB && n <= 2 * NR;
  const directA = transA ? m <= 8 * MR : n <= 16 * NR || m <= 16 * MR;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    // Mostly-zero blocks of op(A) skip their zeros (gemm-sparse.ts: the same bits).
    const trySparse = sparseWanted(nc, k);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      let packedB = false, finiteB = -1;
      const mode = pc > 0 ? 2 : beta == 0 ? 0 : 1;
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        if (trySparse && finiteB != 0 && compressA(transA, a, m, k, ic, mc, pc, kc, pa)) {
          if (!packedB) { packB(transB, b, n, k, pc, kc, jc, nc, pb); packedB = true; }
          // The packed panels hold exactly the op(B) block, zero-padded to whole panels.
          if (finiteB < 0) finiteB = allFinite(pb, kc * ((nc + NR - 1) & ~(NR - 1)));
          if (finiteB > 0) {
            sparseKernel(pa, mc, pb, kc, nc, c + (<usize>jc << 2), ic, ldc, alpha, beta, mode, tile);
            continue;
          }
        }
        if (!directB && !packedB) { packB(transB, b, n, k, pc, kc, jc, nc, pb); packedB = true; }
        if (!directA) packA(transA, a, m, k, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          let bp: usize, bs: usize;
          if (!directB) { bp = pb + (<usize>(jr * kc) << 2); bs = 32; }
          else if (cols == NR) { bp = b + ((<usize>pc * <usize>n + <usize>(jc + jr)) << 2); bs = <usize>n << 2; }
          else { packB(transB, b, n, k, pc, kc, jc + jr, cols, pb); bp = pb; bs = 32; }
          const cj = c + (<usize>(jc + jr) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cp = cj + <usize>(ic + ir) * ldc;
            if (!directA) {
              microKernel(kc, pa + (<usize>(ir * kc) << 2), 16, bp, bs, cp, ldc, rows, cols, alpha, beta, mode, tile);
            } else if (rows < MR) {
              packA(transA, a, m, k, ic + ir, rows, pc, kc, pa);
              microKernel(kc, pa, 16, bp, bs, cp, ldc, rows, cols, alpha, beta, mode, tile);
            } else if (transA) {
              microKernel(kc, a + ((<usize>pc * <usize>m + <usize>(ic + ir)) << 2), <usize>m << 2, bp, bs, cp, ldc, rows, cols, alpha, beta, mode, tile);
            } else {
              microKernelRows(kc, a + ((<usize>(ic + ir) * <usize>k + <usize>pc) << 2), <usize>k << 2, bp, bs, cp, ldc, rows, cols, alpha, beta, mode, tile);
            }
          }
        }
      }
    }
  }
}
