// Losses (Backend.lossSum / lossGradient / fusedLossGradient). The kinds are the loss registry's
// ids (src/kernels/loss-registry.ts), generated into loss-ids.generated.ts by scripts/activation-ids.mjs.
// Sums are accumulated in f64; per-element logs and exps are the f32x4 approximations of math.ts.
import { expv, expDiffv, logv, log1pv, promoteLow, promoteHigh, hsumf64x2, logf, rowMax } from './math';
import {
  MEAN_SQUARED_ERROR as MSE, QUADRATIC, CATEGORICAL_CROSSENTROPY as CCE, SPARSE_CATEGORICAL_CROSSENTROPY as SPARSE_CCE, HINGE, SQUARED_HINGE,
} from './loss-ids.generated';

const EPS: f32 = 1e-7;
const ONE_MINUS_EPS: f32 = 1 - 1e-7;

// The reference clips to the float64 bounds 1e-7 and 1 - 1e-7. For float32 p the comparisons
// agree with comparisons against the float32 bounds, but the clipped VALUES differ (f32(1 - 1e-7)
// is 1.19e-7 away from 1), so the logs of the bounds are constants computed in float64.
const LOG_EPS: f32 = <f32>-16.11809565095832; // log(1e-7)
const LOG_ONE_MINUS_EPS: f32 = <f32>-1.0000000494736474e-7; // log(1 - 1e-7)

/** log(clip(p)) (NaN stays NaN). */
@inline function logClipped(p: v128): v128 {
  const r = v128.bitselect(f32x4.splat(LOG_ONE_MINUS_EPS), logv(p), f32x4.gt(p, f32x4.splat(ONE_MINUS_EPS)));
  return v128.bitselect(f32x4.splat(LOG_EPS), r, f32x4.lt(p, f32x4.splat(EPS)));
}
/** log(1 - clip(p)). */
@inline function log1mClipped(p: v128): v128 {
  const r = v128.bitselect(f32x4.splat(LOG_EPS), logv(f32x4.sub(f32x4.splat(1), p)), f32x4.gt(p, f32x4.splat(ONE_MINUS_EPS)));
  return v128.bitselect(f32x4.splat(LOG_ONE_MINUS_EPS), r, f32x4.lt(p, f32x4.splat(EPS)));
}
@inline function logClippedS(p: f32): f32 { return f32x4.extract_lane(logClipped(f32x4.splat(p)), 0); }

/** The class index stored as a float in y[r], or -1 when it is not an integer in [0, cols). */
@inline function labelAt(y: usize, r: i32, cols: i32): i32 {
  const lf = load<f32>(y + (<usize>r << 2));
  const l = <i32>lf;
  return <f32>l == lf && l >= 0 && l < cols ? l : -1;
}

/** log sum_c exp(z[c]) over one row, by the log-sum-exp trick (sum in f64). */
function logSumExp(zr: usize, cols: i32): f32 {
  const mx = rowMax(zr, cols);
  const vm = f32x4.splat(mx);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let ss: f64 = 0;
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    const e = expDiffv(v128.load(zr + (<usize>c << 2)), vm);
    s0 = f64x2.add(s0, promoteLow(e)); s1 = f64x2.add(s1, promoteHigh(e));
  }
  for (; c < cols; c++) ss += <f64>f32x4.extract_lane(expDiffv(f32x4.splat(load<f32>(zr + (<usize>c << 2))), vm), 0);
  return mx + logf(<f32>(hsumf64x2(f64x2.add(s0, s1)) + ss));
}

// Per-element loss terms (before the final division), vector and scalar forms.
@inline function termBceProb(p: v128, y: v128): v128 {
  // -(y log p + (1 - y) log(1 - p)), p clipped
  return f32x4.neg(f32x4.add(f32x4.mul(y, logClipped(p)), f32x4.mul(f32x4.sub(f32x4.splat(1), y), log1mClipped(p))));
}
@inline function termBceLogit(x: v128, y: v128): v128 {
  // softplus(x) - y x, softplus(x) = max(x, 0) + log1p(exp(-|x|))
  const sp = f32x4.add(v128.and(x, f32x4.gt(x, f32x4.splat(0))), log1pv(expv(f32x4.neg(f32x4.abs(x)))));
  return f32x4.sub(sp, f32x4.mul(y, x));
}

export function lossSum(kind: i32, p: usize, y: usize, rows: i32, cols: i32, fromLogits: i32): f64 {
  const n = rows * cols;
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let total: f64 = 0;
  if (kind == MSE || kind == QUADRATIC) {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const a = v128.load(y + o), b = v128.load(p + o);
      const dl = f64x2.sub(promoteLow(a), promoteLow(b)), dh = f64x2.sub(promoteHigh(a), promoteHigh(b));
      s0 = f64x2.add(s0, f64x2.mul(dl, dl)); s1 = f64x2.add(s1, f64x2.mul(dh, dh));
    }
    total = hsumf64x2(f64x2.add(s0, s1));
    for (; i < n; i++) { const o = <usize>i << 2; const d = <f64>load<f32>(y + o) - <f64>load<f32>(p + o); total += d * d; }
    return kind == QUADRATIC ? total / 2 : total / <f64>cols;
  }
  if (kind == CCE) {
    if (fromLogits) {
      for (let r = 0; r < rows; r++) {
        const off = <usize>r * <usize>cols << 2;
        const lse = <f64>logSumExp(p + off, cols);
        for (let c = 0; c < cols; c++) {
          const o = off + (<usize>c << 2);
          const yc = <f64>load<f32>(y + o);
          if (yc != 0) total -= yc * (<f64>load<f32>(p + o) - lse);
        }
      }
      return total;
    }
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      const t = v128.andnot(f32x4.mul(yv, logClipped(v128.load(p + o))), f32x4.eq(yv, f32x4.splat(0)));
      s0 = f64x2.add(s0, promoteLow(t)); s1 = f64x2.add(s1, promoteHigh(t));
    }
    total = -hsumf64x2(f64x2.add(s0, s1));
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const yc = load<f32>(y + o);
      if (yc != 0) total -= <f64>(yc * logClippedS(load<f32>(p + o)));
    }
    return total;
  }
  if (kind == SPARSE_CCE) {
    for (let r = 0; r < rows; r++) {
      const l = labelAt(y, r, cols);
      if (l < 0) return NaN;
      const off = <usize>r * <usize>cols << 2;
      const pl = load<f32>(p + off + (<usize>l << 2));
      total -= fromLogits ? <f64>pl - <f64>logSumExp(p + off, cols) : <f64>logClippedS(pl);
    }
    return total;
  }
  if (kind == HINGE || kind == SQUARED_HINGE) return hingeSum(kind, p, y, n) / <f64>cols;
  // binary cross-entropy
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(p + o), b = v128.load(y + o);
    const t = fromLogits ? termBceLogit(a, b) : termBceProb(a, b);
    s0 = f64x2.add(s0, promoteLow(t)); s1 = f64x2.add(s1, promoteHigh(t));
  }
  total = hsumf64x2(f64x2.add(s0, s1));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = f32x4.splat(load<f32>(p + o)), b = f32x4.splat(load<f32>(y + o));
    total += <f64>f32x4.extract_lane(fromLogits ? termBceLogit(a, b) : termBceProb(a, b), 0);
  }
  return total / <f64>cols;
}

/** Keras's hinge label rule: true when every target is 0 or 1 (they are then read as 2y - 1). */
function zeroOneTargets(y: usize, n: i32): bool {
  for (let i = 0; i < n; i++) { const t = load<f32>(y + (<usize>i << 2)); if (t != 0 && t != 1) return false; }
  return true;
}

/** sum_i max(1 - t_i p_i, 0) (hinge) or its square (squaredHinge), t the (converted) targets; sum in f64. */
function hingeSum(kind: i32, p: usize, y: usize, n: i32): f64 {
  const convert = zeroOneTargets(y, n);
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let t = <f64>load<f32>(y + o);
    if (convert) t = 2 * t - 1;
    const h = max(1 - t * <f64>load<f32>(p + o), 0);
    total += kind == HINGE ? h : h * h;
  }
  return total;
}

/** grad = s d/dp of the hinge term: -s t (hinge) or -2 s h t (squared) where h = 1 - t p > 0, else 0. */
function hingeGradient(kind: i32, p: usize, y: usize, n: i32, s: f32, grad: usize): void {
  const convert = zeroOneTargets(y, n);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let t = <f64>load<f32>(y + o);
    if (convert) t = 2 * t - 1;
    const h: f64 = 1 - t * <f64>load<f32>(p + o); // in f64, as the reference: no cancellation near the kink
    store<f32>(grad + o, h > 0 ? <f32>(kind == HINGE ? -<f64>s * t : -2 * <f64>s * h * t) : 0);
  }
}

/** Lanes where the clip is active (NaN is not clipped, as in the reference). */
@inline function clipped(p: v128): v128 {
  return v128.or(f32x4.lt(p, f32x4.splat(EPS)), f32x4.gt(p, f32x4.splat(ONE_MINUS_EPS)));
}

export function lossGradient(kind: i32, p: usize, y: usize, rows: i32, cols: i32, scale: f32, grad: usize): void {
  const n = rows * cols;
  let i = 0;
  if (kind == MSE || kind == QUADRATIC) {
    // MSE: (-2 scale / cols) (y - p); quadratic: scale (p - y)
    const s: f32 = kind == MSE ? <f32>(-2.0 * <f64>scale / <f64>cols) : scale;
    const vs = f32x4.splat(s);
    if (kind == MSE) {
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(grad + o, f32x4.mul(vs, f32x4.sub(v128.load(y + o), v128.load(p + o)))); }
      for (; i < n; i++) { const o = <usize>i << 2; store<f32>(grad + o, s * (load<f32>(y + o) - load<f32>(p + o))); }
    } else {
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(grad + o, f32x4.mul(vs, f32x4.sub(v128.load(p + o), v128.load(y + o)))); }
      for (; i < n; i++) { const o = <usize>i << 2; store<f32>(grad + o, s * (load<f32>(p + o) - load<f32>(y + o))); }
    }
    return;
  }
  if (kind == CCE) {
    // -scale y / p inside the clip range, 0 where the clip is active
    const vs = f32x4.splat(-scale);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      v128.store(grad + o, v128.andnot(f32x4.div(f32x4.mul(vs, v128.load(y + o)), pv), clipped(pv)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const pv = load<f32>(p + o);
      store<f32>(grad + o, pv < EPS || pv > ONE_MINUS_EPS ? 0 : (-scale * load<f32>(y + o)) / pv);
    }
    return;
  }
  if (kind == SPARSE_CCE) {
    memory.fill(grad, 0, <usize>n << 2);
    for (let r = 0; r < rows; r++) {
      const l = labelAt(y, r, cols);
      if (l < 0) continue;
      const o = (<usize>r * <usize>cols + <usize>l) << 2;
      const pv = load<f32>(p + o);
      store<f32>(grad + o, pv < EPS || pv > ONE_MINUS_EPS ? 0 : -scale / pv);
    }
    return;
  }
  if (kind == HINGE || kind == SQUARED_HINGE) { hingeGradient(kind, p, y, n, <f32>(<f64>scale / <f64>cols), grad); return; }
  // binary cross-entropy: (scale / cols) ((1 - y) / (1 - p) - y / p)
  const s = <f32>(<f64>scale / <f64>cols);
  const vs = f32x4.splat(s), one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o), yv = v128.load(y + o);
    const g = f32x4.mul(vs, f32x4.sub(f32x4.div(f32x4.sub(one, yv), f32x4.sub(one, pv)), f32x4.div(yv, pv)));
    v128.store(grad + o, v128.andnot(g, clipped(pv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o), yv = load<f32>(y + o);
    store<f32>(grad + o, pv < EPS || pv > ONE_MINUS_EPS ? 0 : s * ((1 - yv) / (1 - pv) - yv / pv));
  }
}

/** dz = scale (a - y); for the sparse loss y holds class indices (rows with an invalid index get scale a). */
export function fusedLossGradient(kind: i32, a: usize, y: usize, rows: i32, cols: i32, scale: f32, dz: usize): void {
  const n = rows * cols;
  const vs = f32x4.splat(scale);
  let i = 0;
  if (kind == SPARSE_CCE) {
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(dz + o, f32x4.mul(vs, v128.load(a + o))); }
    for (; i < n; i++) { const o = <usize>i << 2; store<f32>(dz + o, scale * load<f32>(a + o)); }
    for (let r = 0; r < rows; r++) {
      const l = labelAt(y, r, cols);
      if (l < 0) continue;
      const o = (<usize>r * <usize>cols + <usize>l) << 2;
      store<f32>(dz + o, load<f32>(dz + o) - scale);
    }
    return;
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(dz + o, f32x4.mul(vs, f32x4.sub(v128.load(a + o), v128.load(y + o)))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(dz + o, scale * (load<f32>(a + o) - load<f32>(y + o))); }
}
