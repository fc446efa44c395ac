// Elementwise kernels, reductions and the optimiser updates (Backend.axpy ... adagradUpdate).
// Pointers are byte offsets of f32 arrays (i32 for argmax output); n counts elements.
import { promoteLow, promoteHigh, hsumf64x2, loadLanes, storeLanes } from './math';

/** x[r, c] += bias[c]. Same rounding as the reference (one f32 add per element). */
export function biasAdd(x: usize, bias: usize, rows: i32, cols: i32, lo: i32, hi: i32): void {
  if (cols == 1 || cols == 2 || cols == 3 || cols == 6) { biasAddNarrow(x + (<usize>(lo * cols) << 2), bias, cols, (hi - lo) * cols); return; }
  for (let r = lo; r < hi; r++) {
    const xr = x + (<usize>r * <usize>cols << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) { const o = <usize>c << 2; v128.store(xr + o, f32x4.add(v128.load(xr + o), v128.load(bias + o))); }
    for (; c < cols; c++) { const o = <usize>c << 2; store<f32>(xr + o, load<f32>(xr + o) + load<f32>(bias + o)); }
  }
}

/** The bias values of the 4 floats from flat index e on (of rows of `cols` floats). */
@inline function biasLanes(bias: usize, cols: i32, e: i32): v128 {
  let v = f32x4.splat(load<f32>(bias + (<usize>(e % cols) << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(bias + (<usize>((e + 1) % cols) << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(bias + (<usize>((e + 2) % cols) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(bias + (<usize>((e + 3) % cols) << 2)));
}

/**
 * biasAdd on n floats of whole rows of 1, 2, 3 or 6 floats (a convolution with 6 filters) at x:
 * the bias pattern repeats every 4 or 12 floats, so the rows are one flat run with the pattern in
 * 1 or 3 vectors, instead of a loop per row that is mostly its scalar tail (50176 x 6: 89 -> 20
 * us). Each element gets the same f32 addition as in the row loop.
 */
function biasAddNarrow(x: usize, bias: usize, cols: i32, n: i32): void {
  const b0 = biasLanes(bias, cols, 0), b1 = biasLanes(bias, cols, 4), b2 = biasLanes(bias, cols, 8);
  let i = 0;
  if (cols <= 2) {
    for (; i + 4 <= n; i += 4) { const o = x + (<usize>i << 2); v128.store(o, f32x4.add(v128.load(o), b0)); }
  } else {
    for (; i + 12 <= n; i += 12) {
      const o = x + (<usize>i << 2);
      v128.store(o, f32x4.add(v128.load(o), b0));
      v128.store(o, f32x4.add(v128.load(o, 16), b1), 16);
      v128.store(o, f32x4.add(v128.load(o, 32), b2), 32);
    }
  }
  for (; i < n; i++) { const o = x + (<usize>i << 2); store<f32>(o, load<f32>(o) + load<f32>(bias + (<usize>(i % cols) << 2))); }
}

/**
 * db[c] = sum_r dy[r, c], accumulated in f32 in row order (bit-identical to the reference), with
 * the running sums in registers: blocks of 16 columns, then the rest in one pass.
 */
export function biasGrad(dy: usize, db: usize, rows: i32, cols: i32): void {
  const rs = <usize>cols << 2;
  let c = 0;
  for (; c + 16 <= cols; c += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let p = dy + (<usize>c << 2);
    for (let r = 0; r < rows; r++, p += rs) {
      a0 = f32x4.add(a0, v128.load(p)); a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32)); a3 = f32x4.add(a3, v128.load(p, 48));
    }
    const d = db + (<usize>c << 2);
    v128.store(d, a0); v128.store(d, a1, 16); v128.store(d, a2, 32); v128.store(d, a3, 48);
  }
  const rem = cols - c;
  if (rem == 0 || rows == 0) { for (; c < cols; c++) store<f32>(db + (<usize>c << 2), 0); return; }
  // The last < 16 columns in ONE pass (a pass per 4 columns and per single column read a narrow
  // matrix, such as a convolution's 6 channels, three times): whole vectors from each row, the
  // last reaching into the next row's first numbers (lanes never stored), and the last row's
  // numbers lane by lane, so nothing is read past the matrix.
  const nv = (rem + 3) >> 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let p = dy + (<usize>c << 2);
  for (let r = 0; r < rows - 1; r++, p += rs) {
    a0 = f32x4.add(a0, v128.load(p));
    if (nv > 1) a1 = f32x4.add(a1, v128.load(p, 16));
    if (nv > 2) a2 = f32x4.add(a2, v128.load(p, 32));
    if (nv > 3) a3 = f32x4.add(a3, v128.load(p, 48));
  }
  a0 = f32x4.add(a0, loadLanes(p, rem));
  if (nv > 1) a1 = f32x4.add(a1, loadLanes(p + 16, rem - 4));
  if (nv > 2) a2 = f32x4.add(a2, loadLanes(p + 32, rem - 8));
  if (nv > 3) a3 = f32x4.add(a3, loadLanes(p + 48, rem - 12));
  const d = db + (<usize>c << 2);
  storeLanes(a0, d, rem);
  if (nv > 1) storeLanes(a1, d + 16, rem - 4);
  if (nv > 2) storeLanes(a2, d + 32, rem - 8);
  if (nv > 3) storeLanes(a3, d + 48, rem - 12);
}

export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o)))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o)); }
}

export function addScaled(x: usize, alpha: f32, y: usize, beta: f32, out: usize, n: i32): void {
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(f32x4.mul(va, v128.load(x + o)), f32x4.mul(vb, v128.load(y + o))));
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, alpha * load<f32>(x + o) + beta * load<f32>(y + o)); }
}

export function scale(x: usize, alpha: f32, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(x + o, f32x4.mul(v128.load(x + o), va)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(x + o, load<f32>(x + o) * alpha); }
}

export function mul(x: usize, y: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, f32x4.mul(v128.load(x + o), v128.load(y + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, load<f32>(x + o) * load<f32>(y + o)); }
}

/** x = v < lo ? lo : v > hi ? hi : v (NaN stays NaN, as in the reference). */
export function clip(x: usize, lo: f32, hi: f32, n: i32): void {
  const vl = f32x4.splat(lo), vh = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(x + o, v128.bitselect(vl, v128.bitselect(vh, v, f32x4.gt(v, vh)), f32x4.lt(v, vl)));
  }
  for (; i < n; i++) { const o = <usize>i << 2; const v = load<f32>(x + o); store<f32>(x + o, v < lo ? lo : v > hi ? hi : v); }
}

/** sum x_i^2 in f64 (each square exact in f64; two interleaved f64x2 partial sums). */
export function sumSquares(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = promoteLow(v), hi = promoteHigh(v);
    s0 = f64x2.add(s0, f64x2.mul(lo, lo)); s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  let s = hsumf64x2(f64x2.add(s0, s1));
  for (; i < n; i++) { const v = <f64>load<f32>(x + (<usize>i << 2)); s += v * v; }
  return s;
}

/** sum |x_i - y_i| in f64. */
export function absDiffSum(x: usize, y: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(x + o), b = v128.load(y + o);
    s0 = f64x2.add(s0, f64x2.abs(f64x2.sub(promoteLow(a), promoteLow(b))));
    s1 = f64x2.add(s1, f64x2.abs(f64x2.sub(promoteHigh(a), promoteHigh(b))));
  }
  let s = hsumf64x2(f64x2.add(s0, s1));
  for (; i < n; i++) { const o = <usize>i << 2; s += abs(<f64>load<f32>(x + o) - <f64>load<f32>(y + o)); }
  return s;
}

/** 1 when no element is NaN or infinite (exponent bits all ones), else 0. */
export function allFinite(x: usize, n: i32): i32 {
  const mask = i32x4.splat(0x7f800000);
  let bad = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) bad = v128.or(bad, i32x4.eq(v128.and(v128.load(x + (<usize>i << 2)), mask), mask));
  if (v128.any_true(bad)) return 0;
  for (; i < n; i++) if ((load<u32>(x + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) return 0;
  return 1;
}

export function dropoutMask(u: usize, rate: f32, keep: f32, n: i32): void {
  const vr = f32x4.splat(rate), vk = f32x4.splat(keep);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(u + o, v128.andnot(vk, f32x4.lt(v128.load(u + o), vr))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(u + o, load<f32>(u + o) < rate ? 0 : keep); }
}

/** out[r] = index of the first maximum of row r (a NaN first element wins, as in the reference). */
export function argmaxRows(x: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>cols << 2);
    let best = 0;
    let mx = load<f32>(xr);
    for (let c = 1; c < cols; c++) { const v = load<f32>(xr + (<usize>c << 2)); if (v > mx) { mx = v; best = c; } }
    store<i32>(out + (<usize>r << 2), best);
  }
}

/**
 * dst row j = src row indices[j] for j in [lo, hi), rows of `cols` float32 (one memory.copy each).
 * The wrapper (src/kernels/wasm/backend.ts) has checked every index against src's rows.
 */
export function gatherRows(src: usize, cols: i32, indices: usize, dst: usize, lo: i32, hi: i32): void {
  const bytes = <usize>cols << 2;
  for (let j = lo; j < hi; j++) memory.copy(dst + <usize>j * bytes, src + <usize>load<u32>(indices + (<usize>j << 2)) * bytes, bytes);
}

// ---- optimiser updates (docs/design.md's formulas), in place, on the elements [lo, hi): any split
// of the elements gives the same bits (the scalar tail does each element's arithmetic as a lane does) ----

export function sgdUpdate(w: usize, g: usize, lr: f32, lo: i32, hi: i32): void {
  const vl = f32x4.splat(lr);
  let i = lo;
  for (; i + 4 <= hi; i += 4) { const o = <usize>i << 2; v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vl, v128.load(g + o)))); }
  for (; i < hi; i++) { const o = <usize>i << 2; store<f32>(w + o, load<f32>(w + o) - lr * load<f32>(g + o)); }
}

export function momentumUpdate(w: usize, g: usize, v: usize, lr: f32, momentum: f32, nesterov: i32, lo: i32, hi: i32): void {
  const vl = f32x4.splat(lr), vm = f32x4.splat(momentum);
  let i = lo;
  if (nesterov) {
    for (; i + 4 <= hi; i += 4) {
      const o = <usize>i << 2;
      const lg = f32x4.mul(vl, v128.load(g + o));
      const vi = f32x4.sub(f32x4.mul(vm, v128.load(v + o)), lg);
      v128.store(v + o, vi);
      v128.store(w + o, f32x4.add(v128.load(w + o), f32x4.sub(f32x4.mul(vm, vi), lg)));
    }
    for (; i < hi; i++) {
      const o = <usize>i << 2;
      const lg = lr * load<f32>(g + o);
      const vi = momentum * load<f32>(v + o) - lg;
      store<f32>(v + o, vi);
      store<f32>(w + o, load<f32>(w + o) + (momentum * vi - lg));
    }
  } else {
    for (; i + 4 <= hi; i += 4) {
      const o = <usize>i << 2;
      const vi = f32x4.sub(f32x4.mul(vm, v128.load(v + o)), f32x4.mul(vl, v128.load(g + o)));
      v128.store(v + o, vi);
      v128.store(w + o, f32x4.add(v128.load(w + o), vi));
    }
    for (; i < hi; i++) {
      const o = <usize>i << 2;
      const vi = momentum * load<f32>(v + o) - lr * load<f32>(g + o);
      store<f32>(v + o, vi);
      store<f32>(w + o, load<f32>(w + o) + vi);
    }
  }
}

/** Adam; the caller passes ob1 = 1 - beta1, ob2 = 1 - beta2 and the bias corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t (computed in f64). */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, ob1: f32, ob2: f32,
                           epsilon: f32, c1: f32, c2: f32, lo: i32, hi: i32): void {
  const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), vo1 = f32x4.splat(ob1), vo2 = f32x4.splat(ob2);
  const vl = f32x4.splat(lr), ve = f32x4.splat(epsilon), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vo1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vo2, gi), gi));
    v128.store(m + o, mi); v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(vl, f32x4.div(mi, vc1)), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), ve));
    v128.store(w + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < hi; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = beta1 * load<f32>(m + o) + ob1 * gi;
    const vi = beta2 * load<f32>(v + o) + ob2 * gi * gi;
    store<f32>(m + o, mi); store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (lr * (mi / c1)) / (sqrt<f32>(vi / c2) + epsilon));
  }
}

export function rmspropUpdate(w: usize, g: usize, s: usize, lr: f32, rho: f32, orho: f32, epsilon: f32, lo: i32, hi: i32): void {
  const vr = f32x4.splat(rho), vo = f32x4.splat(orho), vl = f32x4.splat(lr), ve = f32x4.splat(epsilon);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const si = f32x4.add(f32x4.mul(vr, v128.load(s + o)), f32x4.mul(f32x4.mul(vo, gi), gi));
    v128.store(s + o, si);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(vl, gi), f32x4.add(f32x4.sqrt(si), ve))));
  }
  for (; i < hi; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const si = rho * load<f32>(s + o) + orho * gi * gi;
    store<f32>(s + o, si);
    store<f32>(w + o, load<f32>(w + o) - (lr * gi) / (sqrt<f32>(si) + epsilon));
  }
}

export function adagradUpdate(w: usize, g: usize, s: usize, lr: f32, epsilon: f32, lo: i32, hi: i32): void {
  const vl = f32x4.splat(lr), ve = f32x4.splat(epsilon);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const si = f32x4.add(v128.load(s + o), f32x4.mul(gi, gi));
    v128.store(s + o, si);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(vl, gi), f32x4.add(f32x4.sqrt(si), ve))));
  }
  for (; i < hi; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const si = load<f32>(s + o) + gi * gi;
    store<f32>(s + o, si);
    store<f32>(w + o, load<f32>(w + o) - (lr * gi) / (sqrt<f32>(si) + epsilon));
  }
}
