// The multiply-add of the gemm micro-kernels. scripts/build-wasm.mjs compiles the kernels twice:
// the plain SIMD module computes c + a * b as a multiply then an add (two roundings), the
// relaxed-SIMD module (`--enable relaxed-simd`) as f32x4.relaxed_madd, which V8 lowers to one
// fused multiply-add (vfmadd / fmla, one rounding) where the CPU has it. ASC_FEATURE_RELAXED_SIMD
// is a compile-time constant, so each module holds only its own branch.

/** c + a * b, lane-wise (f32x4); fused in the relaxed-SIMD module. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<f32>(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
