// sgemm's zero-skipping path: op(A) blocks that are mostly zeros (a batch of MNIST images is ~81%
// zeros, its transpose in the weight gradient alike) are multiplied by visiting only their nonzeros,
// with results bit-identical to the dense micro-kernels of gemm.ts.
//
// Why the bits are the same. In the dense kernel every C element is, per KC block of the reduction
// index p (in order): acc = +0, then acc = madd(a[i,p], b[p,j], acc) for p in order (fma.ts: fused in
// the relaxed build, multiply then add in the plain one), then C written per `mode` (gemm-tile.ts).
// acc is never -0: it starts at +0, and a sum is -0 only when both addends are -0 (round to
// nearest). So for a FINITE b, a term with a = +0 or -0 leaves acc unchanged bit for bit: acc + (+-0)
// is acc when acc is not -0, and fma(+-0, b, acc) = acc likewise (a NaN or infinite acc stays
// itself). Skipping exactly those terms, keeping the p order, the KC blocking and the same final
// update (alpha, beta, mode, the same vector and scalar operations as storeTile), gives the same
// bits, as long as every b facing a skipped zero is finite (0 * inf = NaN). sgemm therefore takes
// this path for a KC block only when the op(B) rows of the block are finite over the columns the call
// computes (checked once per block on the packed panels with elementwise.ts's allFinite); otherwise the dense
// path. A NaN or an
// infinity in A is a nonzero, kept. Every element stays a function of its row, its column, alpha,
// beta and the KC blocking, so results do not depend on the thread split either.
//
// The path: {@link compressA} copies the block of op(A) (rows [ic, ic + mc), p in [pc, pc + kc)) into
// the packed-A area as compressed rows (row starts and ends, then each row's nonzeros in p order as
// B offsets and values), giving up when it is denser than MAX_DENSITY (first on a sample of 4 rows
// or 8 columns, so dense data pays almost nothing); {@link sparseKernel} then runs each row over its
// nonzeros with 6 f32x4 accumulators (24 columns of op(B)) at a time, reading op(B) from the
// micro-panels sgemm packs for its dense path anyway. Measurements: docs/notes/sparse.md.

import { madd } from './fma';
import { KC, MC, NR, storeTile, update } from './gemm-tile';

/** Bytes before the compressed entries: row starts (MC i32) at 0, row ends at ENDS, write cursors at CURSORS. */
const HEADER: i32 = 1536;
const ENDS: usize = 512;
const CURSORS: usize = 1024;
/** Bytes of the compressed block: sgemm's packed-A area. */
export const SPARSE_A_BYTES: i32 = MC * KC * 4;
/** Entries the block holds; their offsets start at HEADER, their values VALUES bytes after each offset. */
const CAP: i32 = (SPARSE_A_BYTES - HEADER) >> 3;
const VALUES: usize = <usize>CAP << 2;
/** Densest block (nonzeros / (mc kc)) the sparse path takes; measured (see docs/notes/sparse.md). */
const MAX_DENSITY: f32 = 0.45;
/** Least columns (of the call's region) and depth worth the path: below, the dense kernels win. */
const MIN_COLS: i32 = 32;
const MIN_DEPTH: i32 = 16;
/** Entries (8 bytes each) of a chunk of rows whose 24-column strips run one after the other. */
const CHUNK: i32 = 1536;

let enabled: bool = true;
let blocks: i32 = 0;

/**
 * Turns sgemm's zero-skipping path on (1, the default) or off (0) in this module instance (the
 * calling thread's; workers have their own). Results are the same bits either way: tests compare
 * the two, benchmarks time them. Returns the number of (KC x MC) blocks the path has run since the
 * previous call (tests check that it ran).
 */
export function setSparseGemm(on: i32): i32 {
  enabled = on != 0;
  const n = blocks;
  blocks = 0;
  return n;
}

/** Whether a region of `nc` columns with a reduction of `k` is worth trying the sparse path on. */
@inline export function sparseWanted(nc: i32, k: i32): bool {
  return enabled && nc >= MIN_COLS && k >= MIN_DEPTH;
}

// Left-packing shuffles: entry `mask` (16 bytes) moves the lanes whose mask bit is set to the front.
const LEFT_PACK = memory.data<u8>([
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 255, 255, 255, 255, 255, 255, 255, 255,
  8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255, 255, 255, 255,
  12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 255, 255, 255, 255,
  8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Appends the nonzero lanes of v (values) and of offs (their entries' B offsets) at entry `pos` of
 * the idx and val arrays (writing 16 bytes each: up to 3 entries past the end, overwritten later
 * or ignored); returns the new end.
 */
@inline function leftPack(v: v128, offs: v128, idx: usize, val: usize, pos: i32): i32 {
  const mask = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0)));
  const sh = v128.load(LEFT_PACK + (<usize>mask << 4));
  v128.store(val + (<usize>pos << 2), v128.swizzle(v, sh));
  v128.store(idx + (<usize>pos << 2), v128.swizzle(offs, sh));
  return pos + <i32>popcnt(mask);
}

/** Appends one value (kept when nonzero) at entry pos; returns the new end. */
@inline function append(v: f32, off: i32, idx: usize, val: usize, pos: i32): i32 {
  store<i32>(idx + (<usize>pos << 2), off);
  store<f32>(val + (<usize>pos << 2), v);
  return pos + i32(v != 0);
}

/** Nonzeros (NaN counts) among the kc floats at row. */
function countRow(row: usize, kc: i32): i32 {
  let cnt = i32x4.splat(0);
  const z = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= kc; p += 4) cnt = i32x4.sub(cnt, f32x4.ne(v128.load(row + (<usize>p << 2)), z));
  let n = i32x4.extract_lane(cnt, 0) + i32x4.extract_lane(cnt, 1) + i32x4.extract_lane(cnt, 2) + i32x4.extract_lane(cnt, 3);
  for (; p < kc; p++) n += i32(load<f32>(row + (<usize>p << 2)) != 0);
  return n;
}

/** Any lane of the four vectors nonzero (NaN counts; -0 does not). */
@inline function anyNonzero(v0: v128, v1: v128, v2: v128, v3: v128): bool {
  const z = f32x4.splat(0);
  return v128.any_true(v128.or(v128.or(f32x4.ne(v0, z), f32x4.ne(v1, z)), v128.or(f32x4.ne(v2, z), f32x4.ne(v3, z))));
}

/** Compresses rows of a row-major A (m x k): true when the block is sparse enough (dst holds it). */
function compressRows(a: usize, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize, idx: usize, val: usize, limit: i32): bool {
  const rs = <usize>k << 2;
  let row = a + ((<usize>ic * <usize>k + <usize>pc) << 2);
  const sample = min(4, mc);
  let cnt = 0;
  for (let r = 0; r < sample; r++) cnt += countRow(row + <usize>r * rs, kc);
  if (<f32>cnt > MAX_DENSITY * <f32>(sample * kc)) return false;
  const step = i32x4.splat(4 * 32);
  let pos = 0;
  for (let r = 0; r < mc; r++) {
    store<i32>(dst + (<usize>r << 2), pos);
    let offs = i32x4(0, 32, 64, 96);
    let p = 0;
    // 16 floats at a time, skipped when all zero (images have long runs of zeros).
    for (; p + 16 <= kc; p += 16) {
      const s = row + (<usize>p << 2);
      const v0 = v128.load(s), v1 = v128.load(s, 16), v2 = v128.load(s, 32), v3 = v128.load(s, 48);
      if (anyNonzero(v0, v1, v2, v3)) {
        pos = leftPack(v0, offs, idx, val, pos); offs = i32x4.add(offs, step);
        pos = leftPack(v1, offs, idx, val, pos); offs = i32x4.add(offs, step);
        pos = leftPack(v2, offs, idx, val, pos); offs = i32x4.add(offs, step);
        pos = leftPack(v3, offs, idx, val, pos); offs = i32x4.add(offs, step);
      } else offs = i32x4.add(offs, i32x4.splat(16 * 32));
    }
    for (; p + 4 <= kc; p += 4) {
      pos = leftPack(v128.load(row + (<usize>p << 2)), offs, idx, val, pos);
      offs = i32x4.add(offs, step);
    }
    for (; p < kc; p++) pos = append(load<f32>(row + (<usize>p << 2)), p << 5, idx, val, pos);
    store<i32>(dst + ENDS + (<usize>r << 2), pos);
    if (pos > limit) return false;
    row += rs;
  }
  return true;
}

/** Nonzeros among `rows` rows (stride ms bytes) of mc floats at base. */
function countBlock(base: usize, ms: usize, rows: i32, mc: i32): i32 {
  let n = 0;
  for (let p = 0; p < rows; p++) n += countRow(base + <usize>p * ms, mc);
  return n;
}

/** Counts the nonzeros of each op(A) row (a column of the stored A) into the cursors. */
function countColumns(base: usize, ms: usize, mc: i32, kc: i32, cur: usize): void {
  const z = f32x4.splat(0), mv = mc & ~3;
  for (let r = 0; r < mc; r++) store<i32>(cur + (<usize>r << 2), 0);
  let row = base;
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < mv; r += 4) {
      const c = cur + (<usize>r << 2);
      v128.store(c, i32x4.sub(v128.load(c), f32x4.ne(v128.load(row + (<usize>r << 2)), z)));
    }
    for (let r = mv; r < mc; r++) {
      const c = cur + (<usize>r << 2);
      store<i32>(c, load<i32>(c) + i32(load<f32>(row + (<usize>r << 2)) != 0));
    }
    row += ms;
  }
}

/**
 * Fills the entries of op(A) = A^T's rows from their starts (at dst) on, writing their ends (at
 * dst + ENDS): every four rows at once, a 4 x 4 block of A transposed at a time (skipped when all
 * zero) and each of its rows left-packed at that row's cursor. Returns the entries written.
 */
function fillColumns(base: usize, ms: usize, mc: i32, kc: i32, dst: usize, idx: usize, val: usize): i32 {
  const step = i32x4.splat(4 * 32), kv = kc & ~3;
  let total = 0, r = 0;
  for (; r + 4 <= mc; r += 4) {
    const st = dst + (<usize>r << 2);
    let q0 = load<i32>(st), q1 = load<i32>(st, 4), q2 = load<i32>(st, 8), q3 = load<i32>(st, 12);
    let s = base + (<usize>r << 2);
    let offs = i32x4(0, 32, 64, 96);
    for (let p = 0; p < kv; p += 4) {
      const r0 = v128.load(s), r1 = v128.load(s + ms), r2 = v128.load(s + 2 * ms), r3 = v128.load(s + 3 * ms);
      if (anyNonzero(r0, r1, r2, r3)) {
        const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
        q0 = leftPack(v128.shuffle<i32>(t0, t1, 0, 1, 4, 5), offs, idx, val, q0);
        q1 = leftPack(v128.shuffle<i32>(t0, t1, 2, 3, 6, 7), offs, idx, val, q1);
        q2 = leftPack(v128.shuffle<i32>(t2, t3, 0, 1, 4, 5), offs, idx, val, q2);
        q3 = leftPack(v128.shuffle<i32>(t2, t3, 2, 3, 6, 7), offs, idx, val, q3);
      }
      offs = i32x4.add(offs, step);
      s += 4 * ms;
    }
    for (let p = kv; p < kc; p++) {
      q0 = append(load<f32>(s), p << 5, idx, val, q0); q1 = append(load<f32>(s, 4), p << 5, idx, val, q1);
      q2 = append(load<f32>(s, 8), p << 5, idx, val, q2); q3 = append(load<f32>(s, 12), p << 5, idx, val, q3);
      s += ms;
    }
    const en = dst + ENDS + (<usize>r << 2);
    store<i32>(en, q0); store<i32>(en, q1, 4); store<i32>(en, q2, 8); store<i32>(en, q3, 12);
    total += q0 + q1 + q2 + q3 - load<i32>(st) - load<i32>(st, 4) - load<i32>(st, 8) - load<i32>(st, 12);
  }
  for (; r < mc; r++) {
    const q0 = load<i32>(dst + (<usize>r << 2));
    let q = q0, s = base + (<usize>r << 2);
    for (let p = 0; p < kc; p++) { q = append(load<f32>(s), p << 5, idx, val, q); s += ms; }
    store<i32>(dst + ENDS + (<usize>r << 2), q);
    total += q - q0;
  }
  return total;
}

/**
 * Compresses op(A) = A^T (A stored k x m; op(A) row i is column i of A). Each row gets a slot of
 * kc + 4 entries when mc such slots fit (a weight gradient's k is a batch: kc is small), else
 * exactly its count (a counting pass first) plus 4: leftPack writes 16 bytes at a row's cursor.
 */
function compressColumns(a: usize, m: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize, idx: usize, val: usize, limit: i32): bool {
  const ms = <usize>m << 2;
  const base = a + ((<usize>pc * <usize>m + <usize>ic) << 2);
  const sample = min(8, kc);
  if (<f32>countBlock(base, ms, sample, mc) > MAX_DENSITY * <f32>(sample * mc)) return false;
  if (mc * (kc + 4) <= CAP) {
    for (let r = 0; r < mc; r++) store<i32>(dst + (<usize>r << 2), r * (kc + 4));
  } else {
    const cur = dst + CURSORS;
    countColumns(base, ms, mc, kc, cur);
    let pos = 0, total = 0;
    for (let r = 0; r < mc; r++) {
      const n = load<i32>(cur + (<usize>r << 2));
      store<i32>(dst + (<usize>r << 2), pos);
      pos += n + 4;
      total += n;
    }
    if (total > limit || pos > CAP) return false;
  }
  return fillColumns(base, ms, mc, kc, dst, idx, val) <= limit;
}

/**
 * Compresses rows [ic, ic + mc) and columns [pc, pc + kc) of op(A) (mc <= MC, kc <= KC) into dst
 * (sgemm's packed-A area, SPARSE_A_BYTES): i32 row starts at dst and row ends at dst + ENDS (mc
 * of each, counting entries), then from dst + HEADER the entries' B offsets (i32: 32 (p - pc),
 * the byte offset of op(B) row p in a packed micro-panel), each entry's value (f32) VALUES bytes
 * after its offset, each row's nonzeros in p order. False (dst garbage) when more than
 * MAX_DENSITY of the block is nonzero: sgemm then runs it dense.
 */
export function compressA(transA: bool, a: usize, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): bool {
  const idx = dst + <usize>HEADER, val = idx + VALUES;
  // compressRows: a row adds at most kc entries (and writes 3 past them) before it checks the limit.
  const limit = min(<i32>(MAX_DENSITY * <f32>(mc * kc)), CAP - kc - 4);
  return transA ? compressColumns(a, m, ic, mc, pc, kc, dst, idx, val, limit) : compressRows(a, k, ic, mc, pc, kc, dst, idx, val, limit);
}

/**
 * One row's 24 columns: `cnt` entries (B offsets at ip, values VALUES bytes on) against the three
 * packed micro-panels at pb, pb + gs, pb + 2 gs (gs = 32 kc bytes); then C (cp) updated as storeTile
 * updates a full tile. Six accumulators, not eight: V8 loads all of an iteration's B vectors before
 * its multiply-adds, and 8 accumulators + 8 B vectors + the splat do not fit its 15 xmm registers
 * (an accumulator spilled to the stack put a store-to-load round trip on its chain, measured ~2x
 * slower); 6 + 6 + 1 do.
 */
@inline function strip24(ip: usize, cnt: i32, pb: usize, gs: usize, cp: usize,
                         alpha: f32, beta: f32, mode: i32, unitAlpha: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  for (const end = ip + (<usize>cnt << 2); ip < end; ip += 4) {
    const a = v128.load32_splat(ip, VALUES);
    let bp = pb + <usize>load<i32>(ip);
    c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1); bp += gs;
    c2 = madd(a, v128.load(bp), c2); c3 = madd(a, v128.load(bp, 16), c3); bp += gs;
    c4 = madd(a, v128.load(bp), c4); c5 = madd(a, v128.load(bp, 16), c5);
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  update(c0, cp, va, vb, mode, unitAlpha); update(c1, cp + 16, va, vb, mode, unitAlpha);
  update(c2, cp + 32, va, vb, mode, unitAlpha); update(c3, cp + 48, va, vb, mode, unitAlpha);
  update(c4, cp + 64, va, vb, mode, unitAlpha); update(c5, cp + 80, va, vb, mode, unitAlpha);
}

/** {@link strip24} on two full micro-panels (16 columns). */
@inline function strip16(ip: usize, cnt: i32, pb: usize, gs: usize, cp: usize,
                         alpha: f32, beta: f32, mode: i32, unitAlpha: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (const end = ip + (<usize>cnt << 2); ip < end; ip += 4) {
    const a = v128.load32_splat(ip, VALUES);
    const bp = pb + <usize>load<i32>(ip);
    c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1);
    c2 = madd(a, v128.load(bp + gs), c2); c3 = madd(a, v128.load(bp + gs, 16), c3);
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  update(c0, cp, va, vb, mode, unitAlpha); update(c1, cp + 16, va, vb, mode, unitAlpha);
  update(c2, cp + 32, va, vb, mode, unitAlpha); update(c3, cp + 48, va, vb, mode, unitAlpha);
}

/** One row's micro-panel at pb (`cols` <= 8 of its columns valid), written through storeTile's edge path. */
@inline function strip8(ip: usize, cnt: i32, pb: usize, cp: usize, cols: i32,
                        alpha: f32, beta: f32, mode: i32, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (const end = ip + (<usize>cnt << 2); ip < end; ip += 4) {
    const a = v128.load32_splat(ip, VALUES);
    const bp = pb + <usize>load<i32>(ip);
    c0 = madd(a, v128.load(bp), c0); c1 = madd(a, v128.load(bp, 16), c1);
  }
  const z = f32x4.splat(0);
  storeTile(c0, c1, z, z, z, z, z, z, cp, 0, 1, cols, alpha, beta, mode, tile);
}

/**
 * C rows [ic, ic + mc), columns [jc, jc + nc) (row stride ldc bytes; c points at C[0, jc]) updated
 * per `mode` from the compressed op(A) block at pa ({@link compressA}, `capacityBytes` as given
 * there) and op(B) rows [pc, pc + kc) packed as micro-panels at pb (gemm.ts's packB). Rows run in
 * chunks of about CHUNK entries; in a chunk, each 32 columns (a 32 KiB slice of the packed panels
 * for kc = 256, kept in L1) for every row before the next 32.
 */
export function sparseKernel(pa: usize, mc: i32, pb: usize, kc: i32, nc: i32,
                             c: usize, ic: i32, ldc: usize, alpha: f32, beta: f32, mode: i32, tile: usize): void {
  const unitAlpha = alpha == 1;
  const idx = pa + <usize>HEADER;
  const gs = <usize>kc << 5;
  blocks++;
  let r0 = 0;
  while (r0 < mc) {
    const e0 = load<i32>(pa + (<usize>r0 << 2));
    let r1 = r0 + 1;
    while (r1 < mc && load<i32>(pa + ENDS + (<usize>r1 << 2)) - e0 <= CHUNK) r1++;
    let j = 0, g: usize = pb;
    for (; j + 24 <= nc; j += 24) {
      for (let r = r0; r < r1; r++) {
        const e = load<i32>(pa + (<usize>r << 2)), cnt = load<i32>(pa + ENDS + (<usize>r << 2)) - e;
        strip24(idx + (<usize>e << 2), cnt, g, gs, c + <usize>(ic + r) * ldc + (<usize>j << 2), alpha, beta, mode, unitAlpha);
      }
      g += 3 * gs;
    }
    if (j + 16 <= nc) {
      for (let r = r0; r < r1; r++) {
        const e = load<i32>(pa + (<usize>r << 2)), cnt = load<i32>(pa + ENDS + (<usize>r << 2)) - e;
        strip16(idx + (<usize>e << 2), cnt, g, gs, c + <usize>(ic + r) * ldc + (<usize>j << 2), alpha, beta, mode, unitAlpha);
      }
      g += 2 * gs;
      j += 16;
    }
    for (; j < nc; j += NR) {
      const cols = min(NR, nc - j);
      for (let r = r0; r < r1; r++) {
        const e = load<i32>(pa + (<usize>r << 2)), cnt = load<i32>(pa + ENDS + (<usize>r << 2)) - e;
        strip8(idx + (<usize>e << 2), cnt, g, c + <usize>(ic + r) * ldc + (<usize>j << 2), cols, alpha, beta, mode, tile);
      }
      g += gs;
    }
    r0 = r1;
  }
}
