// Activation forward/backward (Backend.activationForward / activationBackward). Pointers are byte
// offsets of f32 arrays. The kinds are the registry's ids (src/kernels/activation-registry.ts),
// generated into activation-ids.generated.ts; the float64 reference of each body is its entry there.
import { demote2, expDiffv, expm1v, expv, log1pv, normalCdfv, sigmoidv, tanhv, promoteLow, promoteHigh, hsumf64x2, rowMax } from './math';
import {
  LINEAR, STEP, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX, ELU, SELU, SOFTPLUS, SOFTSIGN, SWISH, GELU, GELU_TANH, RELU6, HARD_SIGMOID,
  SELU_ALPHA, SELU_SCALE, GELU_TANH_K, GELU_TANH_C,
} from './activation-ids.generated';
import { geluTanhGrad, geluTanhv, hardSigmoidv, softsignGrad, softsignv } from './activations-extra';

// Exported (inlined) for the recurrent gate kernels (assembly/recurrent.ts).
@inline export function fwd(kind: i32, v: v128, alpha: v128): v128 {
  if (kind == STEP) return v128.and(f32x4.ge(v, f32x4.splat(0)), f32x4.splat(1));
  if (kind == SIGMOID) return sigmoidv(v);
  if (kind == TANH) return tanhv(v);
  if (kind == RELU) return v128.and(v, f32x4.gt(v, f32x4.splat(0)));
  if (kind == ELU) return v128.bitselect(v, scale64(expm1v(v), alpha), f32x4.gt(v, f32x4.splat(0)));
  if (kind == SELU) return v128.bitselect(scale64(v, f64x2.splat(SELU_SCALE)), f32x4.mul(expm1v(v), f32x4.splat(<f32>(SELU_SCALE * SELU_ALPHA))), f32x4.gt(v, f32x4.splat(0)));
  if (kind == SOFTPLUS) return f32x4.add(v128.and(v, f32x4.gt(v, f32x4.splat(0))), log1pv(expv(f32x4.neg(f32x4.abs(v)))));
  if (kind == SOFTSIGN) return softsignv(v);
  if (kind == SWISH) return f32x4.mul(v, sigmoidv(v));
  if (kind == GELU) return f32x4.mul(v, normalCdfv(v));
  if (kind == GELU_TANH) return geluTanhv(v, GELU_TANH_K, GELU_TANH_C);
  if (kind == RELU6) { const r = v128.and(v, f32x4.gt(v, f32x4.splat(0))); return v128.bitselect(r, f32x4.splat(6), f32x4.lt(r, f32x4.splat(6))); }
  if (kind == HARD_SIGMOID) return hardSigmoidv(v);
  // leakyRelu
  return v128.bitselect(v, scale64(v, alpha), f32x4.gt(v, f32x4.splat(0)));
}

/** alpha v with alpha in f64 (one rounding, as the reference's alpha * v): alpha is an f64x2 splat. */
@inline function scale64(v: v128, alpha: v128): v128 {
  const lo = f32x4.demote_f64x2_zero(f64x2.mul(promoteLow(v), alpha));
  const hi = f32x4.demote_f64x2_zero(f64x2.mul(promoteHigh(v), alpha));
  return v128.shuffle<i32>(lo, hi, 0, 1, 4, 5);
}

// Applies fwd to n floats; the tail (n % 4) goes through a zero-padded vector on the stack-free
// path: load lanes one by one.
@inline function mapForward(kind: i32, z: usize, out: usize, n: i32, alpha: f64): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, fwd(kind, v128.load(z + o), va));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(fwd(kind, f32x4.splat(load<f32>(z + o)), va), 0));
  }
}

function softmaxRows(z: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const zr = z + (<usize>r * <usize>cols << 2), orow = out + (<usize>r * <usize>cols << 2);
    // max (NaN propagates: a row with a NaN becomes all NaN, as in the reference)
    const vm = f32x4.splat(rowMax(zr, cols));
    // e = exp(z - max), summed in f64
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let ss: f64 = 0;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      const e = expDiffv(v128.load(zr + o), vm);
      v128.store(orow + o, e);
      s0 = f64x2.add(s0, promoteLow(e)); s1 = f64x2.add(s1, promoteHigh(e));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const e = f32x4.extract_lane(expDiffv(f32x4.splat(load<f32>(zr + o)), vm), 0);
      store<f32>(orow + o, e);
      ss += <f64>e;
    }
    const inv = <f32>(1.0 / (hsumf64x2(f64x2.add(s0, s1)) + ss));
    const vi = f32x4.splat(inv);
    c = 0;
    for (; c + 4 <= cols; c += 4) { const o = <usize>c << 2; v128.store(orow + o, f32x4.mul(v128.load(orow + o), vi)); }
    for (; c < cols; c++) { const o = <usize>c << 2; store<f32>(orow + o, load<f32>(orow + o) * inv); }
  }
}

// One function per activation, each calling the inlined map loop with its kind: written as calls
// of the @inline map loop straight from the switch, the 14 copies differed only in the kind, and
// Binaryen's code folding merged them into ONE loop that tested the kind on every vector (ReLU on
// 1000 x 128: 71 us; compiled apart, each loop is its activation's own straight-line body).
function forwardStep(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(STEP, z, out, n, alpha); }
function forwardSigmoid(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(SIGMOID, z, out, n, alpha); }
function forwardTanh(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(TANH, z, out, n, alpha); }
function forwardRelu(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(RELU, z, out, n, alpha); }
function forwardLeakyRelu(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(LEAKY_RELU, z, out, n, alpha); }
function forwardElu(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(ELU, z, out, n, alpha); }
function forwardSelu(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(SELU, z, out, n, alpha); }
function forwardSoftplus(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(SOFTPLUS, z, out, n, alpha); }
function forwardSoftsign(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(SOFTSIGN, z, out, n, alpha); }
function forwardSwish(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(SWISH, z, out, n, alpha); }
function forwardGelu(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(GELU, z, out, n, alpha); }
function forwardGeluTanh(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(GELU_TANH, z, out, n, alpha); }
function forwardRelu6(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(RELU6, z, out, n, alpha); }
function forwardHardSigmoid(z: usize, out: usize, n: i32, alpha: f64): void { mapForward(HARD_SIGMOID, z, out, n, alpha); }

/** f over rows [lo, hi) of the rows x cols matrix z into out (worker threads share the rows). */
export function activationForward(act: i32, z: usize, out: usize, rows: i32, cols: i32, alpha: f64, lo: i32, hi: i32): void {
  const o = <usize>lo * <usize>cols << 2;
  z += o; out += o;
  const n = (hi - lo) * cols;
  switch (act) {
    case LINEAR: if (out != z) memory.copy(out, z, <usize>n << 2); return;
    case STEP: forwardStep(z, out, n, alpha); return;
    case SIGMOID: forwardSigmoid(z, out, n, alpha); return;
    case TANH: forwardTanh(z, out, n, alpha); return;
    case RELU: forwardRelu(z, out, n, alpha); return;
    case LEAKY_RELU: forwardLeakyRelu(z, out, n, alpha); return;
    case SOFTMAX: softmaxRows(z, out, hi - lo, cols); return;
    case ELU: forwardElu(z, out, n, alpha); return;
    case SELU: forwardSelu(z, out, n, alpha); return;
    case SOFTPLUS: forwardSoftplus(z, out, n, alpha); return;
    case SOFTSIGN: forwardSoftsign(z, out, n, alpha); return;
    case SWISH: forwardSwish(z, out, n, alpha); return;
    case GELU: forwardGelu(z, out, n, alpha); return;
    case GELU_TANH: forwardGeluTanh(z, out, n, alpha); return;
    case RELU6: forwardRelu6(z, out, n, alpha); return;
    case HARD_SIGMOID: forwardHardSigmoid(z, out, n, alpha); return;
  }
}

// dz from dy, z and a = f(z) for the elementwise activations.
@inline export function bwd(kind: i32, z: v128, a: v128, dy: v128, alpha: v128): v128 {
  if (kind == SIGMOID) return f32x4.mul(f32x4.mul(dy, a), f32x4.sub(f32x4.splat(1), a));
  if (kind == TANH) return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(a, a)));
  if (kind == RELU) return v128.and(dy, f32x4.gt(z, f32x4.splat(0)));
  if (kind == ELU) return v128.bitselect(dy, f32x4.mul(dy, scale64(expv(z), alpha)), f32x4.gt(z, f32x4.splat(0)));
  if (kind == SELU)
    return v128.bitselect(scale64(dy, f64x2.splat(SELU_SCALE)), f32x4.mul(dy, f32x4.mul(f32x4.splat(<f32>(SELU_SCALE * SELU_ALPHA)), expv(z))), f32x4.gt(z, f32x4.splat(0)));
  if (kind == SOFTPLUS) return f32x4.mul(dy, sigmoidv(z));
  if (kind == SOFTSIGN) return softsignGrad(dy, z);
  if (kind == SWISH) { // s (1 + z (1 - s)) with 1 - s = sigmoid(-z) (no cancellation)
    const s = sigmoidv(z);
    return f32x4.mul(dy, f32x4.mul(s, f32x4.add(f32x4.splat(1), f32x4.mul(z, sigmoidv(f32x4.neg(z))))));
  }
  if (kind == GELU) { // Phi(z) + z phi(z)
    const phi = f32x4.mul(expv(f32x4.mul(f32x4.mul(z, z), f32x4.splat(-0.5))), f32x4.splat(0.3989422804014327));
    return f32x4.mul(dy, f32x4.add(normalCdfv(z), f32x4.mul(z, phi)));
  }
  if (kind == GELU_TANH) return f32x4.mul(dy, geluTanhGrad(z, GELU_TANH_K, GELU_TANH_C));
  if (kind == RELU6) return v128.and(dy, v128.and(f32x4.gt(z, f32x4.splat(0)), f32x4.lt(z, f32x4.splat(6))));
  if (kind == HARD_SIGMOID) return v128.and(scale64(dy, f64x2.splat(0.2)), v128.and(f32x4.gt(z, f32x4.splat(-2.5)), f32x4.lt(z, f32x4.splat(2.5))));
  return v128.bitselect(dy, scale64(dy, alpha), f32x4.gt(z, f32x4.splat(0)));
}

@inline function mapBackward(kind: i32, z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, bwd(kind, v128.load(z + o), v128.load(a + o), v128.load(dy + o), va));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, f32x4.extract_lane(bwd(kind, f32x4.splat(load<f32>(z + o)), f32x4.splat(load<f32>(a + o)),
                                              f32x4.splat(load<f32>(dy + o)), va), 0));
  }
}

function softmaxBackwardRows(a: usize, dy: usize, dz: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * <usize>cols << 2;
    const ar = a + off, dyr = dy + off, dzr = dz + off;
    // dot = <dy, a>, summed in f64
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let ss: f64 = 0;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      const p = f32x4.mul(v128.load(dyr + o), v128.load(ar + o));
      s0 = f64x2.add(s0, promoteLow(p)); s1 = f64x2.add(s1, promoteHigh(p));
    }
    for (; c < cols; c++) { const o = <usize>c << 2; ss += <f64>(load<f32>(dyr + o) * load<f32>(ar + o)); }
    const dot = <f32>(hsumf64x2(f64x2.add(s0, s1)) + ss);
    const vd = f32x4.splat(dot);
    c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      v128.store(dzr + o, f32x4.mul(v128.load(ar + o), f32x4.sub(v128.load(dyr + o), vd)));
    }
    for (; c < cols; c++) { const o = <usize>c << 2; store<f32>(dzr + o, load<f32>(ar + o) * (load<f32>(dyr + o) - dot)); }
  }
}

// (the same for the backward loops)
function backwardSigmoid(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(SIGMOID, z, a, dy, dz, n, alpha); }
function backwardTanh(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(TANH, z, a, dy, dz, n, alpha); }
function backwardRelu(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(RELU, z, a, dy, dz, n, alpha); }
function backwardLeakyRelu(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(LEAKY_RELU, z, a, dy, dz, n, alpha); }
function backwardElu(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(ELU, z, a, dy, dz, n, alpha); }
function backwardSelu(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(SELU, z, a, dy, dz, n, alpha); }
function backwardSoftplus(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(SOFTPLUS, z, a, dy, dz, n, alpha); }
function backwardSoftsign(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(SOFTSIGN, z, a, dy, dz, n, alpha); }
function backwardSwish(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(SWISH, z, a, dy, dz, n, alpha); }
function backwardGelu(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(GELU, z, a, dy, dz, n, alpha); }
function backwardGeluTanh(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(GELU_TANH, z, a, dy, dz, n, alpha); }
function backwardRelu6(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(RELU6, z, a, dy, dz, n, alpha); }
function backwardHardSigmoid(z: usize, a: usize, dy: usize, dz: usize, n: i32, alpha: f64): void { mapBackward(HARD_SIGMOID, z, a, dy, dz, n, alpha); }

/** dz over rows [lo, hi) (worker threads share the rows; z or a is 0 where the activation does not read it). */
export function activationBackward(act: i32, z: usize, a: usize, dy: usize, dz: usize, rows: i32, cols: i32, alpha: f64, lo: i32, hi: i32): void {
  const o = <usize>lo * <usize>cols << 2;
  z += o; a += o; dy += o; dz += o;
  const n = (hi - lo) * cols;
  switch (act) {
    case LINEAR: if (dz != dy) memory.copy(dz, dy, <usize>n << 2); return;
    case STEP: memory.fill(dz, 0, <usize>n << 2); return;
    case SIGMOID: backwardSigmoid(z, a, dy, dz, n, alpha); return;
    case TANH: backwardTanh(z, a, dy, dz, n, alpha); return;
    case RELU: backwardRelu(z, a, dy, dz, n, alpha); return;
    case LEAKY_RELU: backwardLeakyRelu(z, a, dy, dz, n, alpha); return;
    case SOFTMAX: softmaxBackwardRows(a, dy, dz, hi - lo, cols); return;
    case ELU: backwardElu(z, a, dy, dz, n, alpha); return;
    case SELU: backwardSelu(z, a, dy, dz, n, alpha); return;
    case SOFTPLUS: backwardSoftplus(z, a, dy, dz, n, alpha); return;
    case SOFTSIGN: backwardSoftsign(z, a, dy, dz, n, alpha); return;
    case SWISH: backwardSwish(z, a, dy, dz, n, alpha); return;
    case GELU: backwardGelu(z, a, dy, dz, n, alpha); return;
    case GELU_TANH: backwardGeluTanh(z, a, dy, dz, n, alpha); return;
    case RELU6: backwardRelu6(z, a, dy, dz, n, alpha); return;
    case HARD_SIGMOID: backwardHardSigmoid(z, a, dy, dz, n, alpha); return;
  }
}
