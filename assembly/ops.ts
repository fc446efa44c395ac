// Kernels of the tensor ops (src/ops/; Backend.unaryOp, binaryOp, reduceOp on float32). Pointers
// are byte offsets of f32 arrays (u8 for a comparison's output); n counts elements. Arithmetic is
// one f32 rounding of the exact result, as the js reference (which computes in f64 and rounds
// once: the same bits for + - * / sqrt); the transcendental functions compute in f64 with
// AssemblyScript's NativeMath and round once, so they may differ from V8's Math in the last bit.
// Kinds are the indices of the names in src/kernels/wasm/op-kinds.ts.

const NEG = 0, SQUARE = 1, SQRT = 2, EXP = 3, LOG = 4, LOG1P = 5, ABS = 6, SIGN = 7, RECIPROCAL = 8, SIGMOID = 9, TANH = 10, RELU = 11;

@inline function unary1(kind: i32, v: f64): f64 {
  switch (kind) {
    case NEG: return -v;
    case SQUARE: return v * v;
    case SQRT: return Math.sqrt(v);
    case EXP: return Math.exp(v);
    case LOG: return Math.log(v);
    case LOG1P: return Math.log1p(v);
    case ABS: return Math.abs(v);
    case SIGN: return v > 0 ? 1 : v < 0 ? -1 : v;
    case RECIPROCAL: return 1 / v;
    case SIGMOID: return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    case TANH: return Math.tanh(v);
    default: return v > 0 ? v : 0; // RELU
  }
}

/** out[i] = f(x[i]) for i < n; out may alias x. SIMD for the kinds whose f32 result is exact. */
export function unaryOp(kind: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (kind == NEG || kind == SQUARE || kind == SQRT || kind == ABS || kind == RECIPROCAL || kind == RELU) {
    const zero = f32x4.splat(0), one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2, v = v128.load(x + o);
      let r: v128;
      if (kind == NEG) r = f32x4.neg(v);
      else if (kind == SQUARE) r = f32x4.mul(v, v);
      else if (kind == SQRT) r = f32x4.sqrt(v);
      else if (kind == ABS) r = f32x4.abs(v);
      else if (kind == RECIPROCAL) r = f32x4.div(one, v);
      else r = v128.and(v, f32x4.gt(v, zero)); // relu: NaN and -0 give +0, as the reference
      v128.store(out + o, r);
    }
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, <f32>unary1(kind, <f64>load<f32>(x + o))); }
}

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAXIMUM = 5, MINIMUM = 6;
const EQUAL = 7, GREATER = 8, GREATER_EQUAL = 9, LESS = 10, LESS_EQUAL = 11;

@inline function binary1(kind: i32, x: f64, y: f64): f64 {
  switch (kind) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case POW: return Math.pow(x, y);
    case MAXIMUM: return x >= y || x != x ? x : y;
    case MINIMUM: return x <= y || x != x ? x : y;
    case EQUAL: return x == y ? 1 : 0;
    case GREATER: return x > y ? 1 : 0;
    case GREATER_EQUAL: return x >= y ? 1 : 0;
    case LESS: return x < y ? 1 : 0;
    default: return x <= y ? 1 : 0; // LESS_EQUAL
  }
}

/** One run of the last axis: out[o + i] = a[ao + i as] (op) b[bo + i bs], i < len (element offsets). */
function binaryRun(kind: i32, a: usize, ao: i32, as: i32, b: usize, bo: i32, bs: i32, out: usize, o: i32, len: i32): void {
  const pa = a + (<usize>ao << 2), pb = b + (<usize>bo << 2);
  let i = 0;
  if (kind >= EQUAL) {
    const po = out + <usize>o;
    for (; i < len; i++) store<u8>(po + <usize>i, <u8>binary1(kind, <f64>load<f32>(pa + (<usize>(i * as) << 2)), <f64>load<f32>(pb + (<usize>(i * bs) << 2))));
    return;
  }
  const po = out + (<usize>o << 2);
  if (kind <= DIV && as <= 1 && bs <= 1 && (as | bs) != 0) {
    // contiguous operands (a stride of 0 is a broadcast scalar): exact f32 SIMD arithmetic
    for (; i + 4 <= len; i += 4) {
      const q = <usize>i << 2;
      const va = as == 1 ? v128.load(pa + q) : f32x4.splat(load<f32>(pa));
      const vb = bs == 1 ? v128.load(pb + q) : f32x4.splat(load<f32>(pb));
      let r: v128;
      if (kind == ADD) r = f32x4.add(va, vb);
      else if (kind == SUB) r = f32x4.sub(va, vb);
      else if (kind == MUL) r = f32x4.mul(va, vb);
      else r = f32x4.div(va, vb);
      v128.store(po + q, r);
    }
  }
  for (; i < len; i++) store<f32>(po + (<usize>i << 2), <f32>binary1(kind, <f64>load<f32>(pa + (<usize>(i * as) << 2)), <f64>load<f32>(pb + (<usize>(i * bs) << 2))));
}

/**
 * out[i0, i1, i2, i3] = a[i . as] (op) b[i . bs] over a shape d0 x d1 x d2 x d3 (row-major out;
 * the wrapper collapses a broadcast of any rank to at most four axes). Arithmetic kinds write f32,
 * comparisons (kind >= 7) write u8 1/0.
 */
export function binaryOp(kind: i32, a: usize, b: usize, out: usize, d0: i32, d1: i32, d2: i32, d3: i32,
                         as0: i32, as1: i32, as2: i32, as3: i32, bs0: i32, bs1: i32, bs2: i32, bs3: i32): void {
  let o = 0;
  for (let i0 = 0; i0 < d0; i0++)
    for (let i1 = 0; i1 < d1; i1++)
      for (let i2 = 0; i2 < d2; i2++) {
        binaryRun(kind, a, i0 * as0 + i1 * as1 + i2 * as2, as3, b, i0 * bs0 + i1 * bs1 + i2 * bs2, bs3, out, o, d3);
        o += d3;
      }
}

const SUM = 0, PROD = 1, MAX = 2;

/**
 * out[o, i] = sum / prod / max / min over j of x[o, j, i] (x as [outer, n, inner]), accumulated in
 * f64 in the order j = 0, 1, ... (the reference's order and rounding). An empty axis gives 0, 1,
 * -inf, +inf; max/min propagate NaN.
 */
export function reduceOp(kind: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>o * <usize>n * <usize>inner << 2);
    for (let i = 0; i < inner; i++) {
      let p = base + (<usize>i << 2);
      let acc: f64;
      if (kind == SUM) { acc = 0; for (let j = 0; j < n; j++, p += step) acc += <f64>load<f32>(p); }
      else if (kind == PROD) { acc = 1; for (let j = 0; j < n; j++, p += step) acc *= <f64>load<f32>(p); }
      else if (kind == MAX) {
        acc = -Infinity;
        for (let j = 0; j < n; j++, p += step) { const v = <f64>load<f32>(p); if (v > acc || v != v) acc = v; if (acc != acc) break; }
      } else {
        acc = Infinity;
        for (let j = 0; j < n; j++, p += step) { const v = <f64>load<f32>(p); if (v < acc || v != v) acc = v; if (acc != acc) break; }
      }
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>acc);
    }
  }
}

/**
 * dst[i . ds] = src[i . ss] over a shape d0 x d1 x d2 x d3 (f32; the pointers already include the
 * offsets; the wrapper collapses any rank to at most four axes): transpose, broadcastTo, slice,
 * concat, pad and tile. A contiguous last axis on both sides is a memory copy.
 */
export function stridedCopy(src: usize, dst: usize, d0: i32, d1: i32, d2: i32, d3: i32,
                            ss0: i32, ss1: i32, ss2: i32, ss3: i32, ds0: i32, ds1: i32, ds2: i32, ds3: i32): void {
  for (let i0 = 0; i0 < d0; i0++)
    for (let i1 = 0; i1 < d1; i1++)
      for (let i2 = 0; i2 < d2; i2++) {
        const ps = src + (<usize>(i0 * ss0 + i1 * ss1 + i2 * ss2) << 2), pd = dst + (<usize>(i0 * ds0 + i1 * ds1 + i2 * ds2) << 2);
        if (ss3 == 1 && ds3 == 1) { memory.copy(pd, ps, <usize>d3 << 2); continue; }
        for (let i = 0; i < d3; i++) store<f32>(pd + (<usize>(i * ds3) << 2), load<f32>(ps + (<usize>(i * ss3) << 2)));
      }
}
