// sgemm's blocking constants and the C update of its kernels (gemm.ts's micro-kernels, the implicit convolution's, the sparse
// path's in gemm-sparse.ts): one place, so every path writes C with the same f32 operations.

/** Rows of sgemm's micro-tile (and of a packed A micro-panel). */
export const MR: i32 = 4;
/** Columns of sgemm's micro-tile (and of a packed B micro-panel). */
export const NR: i32 = 8;
/** sgemm's block of the reduction index p (every C element sums its KC-blocks in order). */
export const KC: i32 = 256;
/** sgemm's block of rows of op(A) (packed together: MC KC floats). */
export const MC: i32 = 128;

// mode: 0 = C = alpha acc; 1 = C = alpha acc + beta C; 2 = C += alpha acc.
@inline export function update(acc: v128, cp: usize, valpha: v128, vbeta: v128, mode: i32, unitAlpha: bool): void {
  const s = unitAlpha ? acc : f32x4.mul(acc, valpha);
  if (mode == 0) v128.store(cp, s);
  else if (mode == 1) v128.store(cp, f32x4.add(s, f32x4.mul(vbeta, v128.load(cp))));
  else v128.store(cp, f32x4.add(v128.load(cp), s));
}

@inline export function updateScalar(acc: f32, cp: usize, alpha: f32, beta: f32, mode: i32, unitAlpha: bool): void {
  const s: f32 = unitAlpha ? acc : acc * alpha;
  if (mode == 0) store<f32>(cp, s);
  else if (mode == 1) store<f32>(cp, s + beta * load<f32>(cp));
  else store<f32>(cp, load<f32>(cp) + s);
}

// Accumulators of the micro-kernel, stored by storeTile (AssemblyScript has no multi-value returns
// for v128 locals across functions, so each kernel variant ends by calling it inline).
@inline export function storeTile(c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
                           cp: usize, ldc: usize, rows: i32, cols: i32, alpha: f32, beta: f32, mode: i32, tile: usize): void {
  const unitAlpha = alpha == 1;
  if (rows == MR && cols == NR) {
    const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
    update(c00, cp, va, vb, mode, unitAlpha); update(c01, cp + 16, va, vb, mode, unitAlpha); cp += ldc;
    update(c10, cp, va, vb, mode, unitAlpha); update(c11, cp + 16, va, vb, mode, unitAlpha); cp += ldc;
    update(c20, cp, va, vb, mode, unitAlpha); update(c21, cp + 16, va, vb, mode, unitAlpha); cp += ldc;
    update(c30, cp, va, vb, mode, unitAlpha); update(c31, cp + 16, va, vb, mode, unitAlpha);
    return;
  }
  // An edge tile: whole vectors where the tile row has them (cols >= 4), lanes one by one for
  // the rest (the same f32 operations either way, so the bits do not depend on the path).
  v128.store(tile, c00, 0); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  const vecs = cols >> 2;
  for (let r = 0; r < rows; r++) {
    const t = tile + (<usize>(r * NR) << 2);
    const c = cp + <usize>r * ldc;
    if (vecs > 0) update(v128.load(t), c, va, vb, mode, unitAlpha);
    if (vecs > 1) update(v128.load(t, 16), c + 16, va, vb, mode, unitAlpha);
    for (let j = vecs << 2; j < cols; j++) updateScalar(load<f32>(t + (<usize>j << 2)), c + (<usize>j << 2), alpha, beta, mode, unitAlpha);
  }
}

