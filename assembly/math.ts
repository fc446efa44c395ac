// Vector transcendental functions for f32x4 (WebAssembly has no exp, log or tanh instruction).
//
// expv: Cody-Waite range reduction x = n ln2 + r, |r| <= ln2 / 2, then the Cephes expf
//   polynomial (degree 6) for e^r and a two-step scale by 2^n (so n = 128 and the gradual
//   underflow below -87.3 need no special case). Relative error about 1-2 ulp for
//   x in [-87.3, 88.72]; 0 below about -103.97, +Infinity above 88.7228; NaN gives NaN.
// logv: the Cephes logf scheme (mantissa in [sqrt(1/2), sqrt(2)), degree-8 polynomial),
//   about 1-2 ulp for positive normal numbers; log(0) = -Infinity, log(x < 0) = NaN,
//   log(+Infinity) = +Infinity, NaN gives NaN. Denormal inputs are not special-cased (every
//   caller passes numbers >= 1e-7).
// tanhv: odd polynomial (fitted near-minimax, relative error < 1e-7) for |x| < 0.625, else
//   1 - 2 / (e^{2|x|} + 1) with the sign restored; relative error below about 4e-7 everywhere.
// sigmoidv: 1 / (1 + e^{-x}); relative error about 3 ulp.

@inline export function expv(x: v128): v128 {
  const big = f32x4.gt(x, f32x4.splat(88.72283935546875));
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-103.972076416)), f32x4.splat(88.72283935546875));
  const fx = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(xc, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const y = f32x4.mul(f32x4.mul(p, s1), s2);
  return v128.bitselect(f32x4.splat(Infinity), y, big);
}

@inline export function logv(x: v128): v128 {
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000)); // in [0.5, 1)
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = i32x4.add(e, small); // small lanes are -1: e -= 1
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  const fe = f32x4.convert_i32x4_s(e);
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(fe, f32x4.splat(0.693359375)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0)))); // x < 0 or NaN
  return r;
}

@inline export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const x2 = f32x4.mul(x, x);
  let q = f32x4.splat(-0.005536498036235571);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(0.02047373726963997));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-0.053682949393987656));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(0.13330654799938202));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-0.33333244919776917));
  const ts = f32x4.add(x, f32x4.mul(f32x4.mul(x, x2), q));
  const e = expv(f32x4.add(ax, ax));
  const tl = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(tl, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(ts, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

@inline export function sigmoidv(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
}

/**
 * e^x - 1 without cancellation near 0: for |x| < 0.5 the Taylor series to x^8 / 8! in Horner form
 * (truncation below 1.1e-8 relative), else e^x - 1 (no cancellation there: |e^x - 1| > 0.39).
 */
@inline export function expm1v(x: v128): v128 {
  let p = f32x4.splat(<f32>(1.0 / 40320));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 5040)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 720)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 120)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 24)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 6)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1));
  const small = f32x4.mul(p, x);
  return v128.bitselect(small, f32x4.sub(expv(x), f32x4.splat(1)), f32x4.lt(f32x4.abs(x), f32x4.splat(0.5)));
}

/**
 * The normal CDF Phi(x) = erfc(-x / sqrt 2) / 2 with Numerical Recipes' erfcc (Press et al.,
 * "Numerical Recipes in C", 2nd ed., section 6.2: erfc(y) = t exp(-y^2 - 1.26551223 + t P(t)),
 * t = 1 / (1 + |y| / 2), fractional error below 1.2e-7 everywhere), the exponent in f64 so y^2
 * does not lose the tail's relative accuracy; erfc(-y) = 2 - erfc(y).
 */
@inline export function normalCdfv(x: v128): v128 {
  const l = erfcExponent(f64x2.mul(promoteLow(x), f64x2.splat(-0.7071067811865476)));
  const h = erfcExponent(f64x2.mul(promoteHigh(x), f64x2.splat(-0.7071067811865476)));
  // l, h: the exponents of the low and high lanes; split into f32 hi + lo so e^(hi + lo) = e^hi (1 + lo)
  const hi = demote2(l, h);
  let lo = demote2(f64x2.sub(l, f64x2.promote_low_f32x4(hi)), f64x2.sub(h, promoteHigh(hi)));
  lo = v128.and(lo, f32x4.lt(f32x4.abs(lo), f32x4.splat(1))); // hi overflowed (|x| huge) or NaN: drop lo
  const ay = f32x4.mul(f32x4.abs(x), f32x4.splat(0.70710677));
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(0.5), ay)));
  const ans = f32x4.mul(t, f32x4.mul(expv(hi), f32x4.add(f32x4.splat(1), lo))); // erfc(|y|)
  const erfcY = v128.bitselect(f32x4.sub(f32x4.splat(2), ans), ans, f32x4.gt(x, f32x4.splat(0))); // y = -x / sqrt 2 < 0 when x > 0
  return f32x4.mul(erfcY, f32x4.splat(0.5));
}

/** -y^2 - 1.26551223 + t P(t) with t = 1 / (1 + |y| / 2), in f64 (Numerical Recipes' erfcc exponent). */
@inline function erfcExponent(y: v128): v128 {
  const a = f64x2.abs(y);
  const t = f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), f64x2.mul(f64x2.splat(0.5), a)));
  let p = f64x2.splat(0.17087277);
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-0.82215223));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.48851587));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-1.13520398));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.27886807));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-0.18628806));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.09678418));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.37409196));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.00002368));
  return f64x2.add(f64x2.sub(f64x2.splat(-1.26551223), f64x2.mul(a, a)), f64x2.mul(t, p));
}

/** Two f64x2 halves rounded to one f32x4 (low lanes first). */
@inline export function demote2(lo: v128, hi: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** log(1 + t) for t >= 0, accurate for tiny t (log(u) t / (u - 1) with u = 1 + t). */
@inline export function log1pv(t: v128): v128 {
  const u = f32x4.add(f32x4.splat(1), t);
  const d = f32x4.sub(u, f32x4.splat(1));
  const l = f32x4.div(f32x4.mul(logv(u), t), d);
  return v128.bitselect(t, l, f32x4.eq(d, f32x4.splat(0)));
}

/**
 * exp(a - b) with the rounding error of the f32 subtraction folded back in (Knuth's TwoSum):
 * e^(s + err) = e^s (1 + err) to first order, so softmax keeps ~2-3 ulp even when |a - b| is large.
 */
@inline export function expDiffv(a: v128, b: v128): v128 {
  const nb = f32x4.neg(b);
  const s = f32x4.add(a, nb);
  const bb = f32x4.sub(s, a);
  const err = f32x4.add(f32x4.sub(a, f32x4.sub(s, bb)), f32x4.sub(nb, bb));
  const e = expv(s);
  return f32x4.add(e, f32x4.mul(e, err));
}

@inline export function expf(x: f32): f32 { return f32x4.extract_lane(expv(f32x4.splat(x)), 0); }
@inline export function logf(x: f32): f32 { return f32x4.extract_lane(logv(f32x4.splat(x)), 0); }

/** Horizontal sum of the four lanes, in f64. */
@inline export function hsum64(v: v128): f64 {
  return (<f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1)) + (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3));
}

/** Adds the four f32 lanes of v, promoted, to the two f64x2 accumulators. */
@inline export function promoteLow(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
@inline export function promoteHigh(v: v128): v128 { return f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 2, 3)); }
@inline export function hsumf64x2(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }

/**
 * The largest of the `cols` f32 at `zr` (softmax's and log-sum-exp's shift): four lanes, then the
 * tail; a NaN propagates (f32x4.max and max return NaN), so a row with a NaN stays NaN downstream.
 */
@inline export function rowMax(zr: usize, cols: i32): f32 {
  let vmax = f32x4.splat(-Infinity);
  let c = 0;
  for (; c + 4 <= cols; c += 4) vmax = f32x4.max(vmax, v128.load(zr + (<usize>c << 2)));
  let mx: f32 = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  for (; c < cols; c++) mx = max(mx, load<f32>(zr + (<usize>c << 2)));
  return mx;
}

/** The first min(4, n) floats at p as a vector, 0 in the other lanes (nothing past them is read). */
@inline export function loadLanes(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** The first min(4, n) lanes of v to p (nothing past them is written). */
@inline export function storeLanes(v: v128, p: usize, n: i32): void {
  if (n >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
