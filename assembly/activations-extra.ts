// Bodies of the activations that need more than a line in activations.ts' fwd/bwd: softsign and
// hardSigmoid computed in f64 lanes (one rounding, so bit-equal to the float64 reference), and the
// tanh-approximated GELU as z sigmoid(2 u). Formulas: src/kernels/activation-registry.ts.
import { demote2, promoteHigh, promoteLow, sigmoidv } from './math';

@inline function softsign64(x: v128): v128 { return f64x2.div(x, f64x2.add(f64x2.splat(1), f64x2.abs(x))); }

/** z / (1 + |z|), in f64. */
@inline export function softsignv(v: v128): v128 { return demote2(softsign64(promoteLow(v)), softsign64(promoteHigh(v))); }

@inline function softsignGrad64(dy: v128, z: v128): v128 {
  const d = f64x2.add(f64x2.splat(1), f64x2.abs(z));
  return f64x2.div(dy, f64x2.mul(d, d));
}

/** dy / (1 + |z|)^2, in f64. */
@inline export function softsignGrad(dy: v128, z: v128): v128 {
  return demote2(softsignGrad64(promoteLow(dy), promoteLow(z)), softsignGrad64(promoteHigh(dy), promoteHigh(z)));
}

@inline function affine64(x: v128): v128 { return f64x2.add(f64x2.mul(x, f64x2.splat(0.2)), f64x2.splat(0.5)); }

/** clip(0.2 z + 0.5, 0, 1): the affine part in f64 (as the reference), the clip after rounding (exact: 0 and 1 are floats). */
@inline export function hardSigmoidv(v: v128): v128 {
  const t = demote2(affine64(promoteLow(v)), affine64(promoteHigh(v)));
  const r = v128.bitselect(f32x4.splat(0), t, f32x4.le(t, f32x4.splat(0)));
  return v128.bitselect(f32x4.splat(1), r, f32x4.ge(t, f32x4.splat(1)));
}

/** 2 u = 2 k (z + c z^3), in f32. */
@inline function twoU(z: v128, k: f64, c: f64): v128 {
  const z3 = f32x4.mul(f32x4.mul(z, z), z);
  return f32x4.mul(f32x4.splat(<f32>(2 * k)), f32x4.add(z, f32x4.mul(f32x4.splat(<f32>c), z3)));
}

@inline function twoU64(z: v128, k: f64, c: f64): v128 {
  return f64x2.mul(f64x2.splat(2 * k), f64x2.add(z, f64x2.mul(f64x2.splat(c), f64x2.mul(f64x2.mul(z, z), z))));
}

/**
 * 0.5 z (1 + tanh u) = z sigmoid(2 u), with 2 u in f64 split as hi + lo (f32) and
 * sigmoid(hi + lo) = s (1 + (1 - s) lo) to first order: in the tail (|2u| ~ 60) an f32 2u alone
 * would lose about 1e-5 of relative accuracy.
 */
@inline export function geluTanhv(z: v128, k: f64, c: f64): v128 {
  const l = twoU64(promoteLow(z), k, c), h = twoU64(promoteHigh(z), k, c);
  const hi = demote2(l, h);
  let lo = demote2(f64x2.sub(l, promoteLow(hi)), f64x2.sub(h, promoteHigh(hi)));
  lo = v128.and(lo, f32x4.lt(f32x4.abs(lo), f32x4.splat(1))); // hi overflowed or NaN: drop lo
  const s = sigmoidv(hi);
  return f32x4.mul(z, f32x4.mul(s, f32x4.add(f32x4.splat(1), f32x4.mul(sigmoidv(f32x4.neg(hi)), lo))));
}

/** d/dz [z sigmoid(2u)] = s + z s (1 - s) 2 k (1 + 3 c z^2), with 1 - s = sigmoid(-2u). */
@inline export function geluTanhGrad(z: v128, k: f64, c: f64): v128 {
  const u2 = twoU(z, k, c);
  const s = sigmoidv(u2), sn = sigmoidv(f32x4.neg(u2));
  const du = f32x4.mul(f32x4.splat(<f32>(2 * k)), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(<f32>(3 * c)), f32x4.mul(z, z))));
  return f32x4.add(s, f32x4.mul(f32x4.mul(z, f32x4.mul(s, sn)), du));
}
