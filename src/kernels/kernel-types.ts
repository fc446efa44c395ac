/**
 * The types the kernels' parameters use besides buffers and registry names: a sliding window's
 * geometry, the tensor ops' names, a random source. Re-exported by src/kernels/backend.ts; kept
 * apart so the generated kernel interface (backend-kernels.generated.ts) can import them without
 * an import cycle through backend.ts.
 */
/**
 * The geometry of a 2-D sliding window over a batch of NHWC images, shared by convolution and
 * pooling. The input is `batch x height x width x channels`, row-major; the window is
 * `kernelH x kernelW`, moved by `strideH` / `strideW`; the input is conceptually padded by
 * `padTop` rows above and `padLeft` columns to the left (and by whatever the bottom/right need), so
 * output cell (oh, ow) covers input rows oh strideH - padTop + i, i < kernelH, and columns
 * ow strideW - padLeft + j, j < kernelW. Padded cells lie outside [0, height) x [0, width).
 * The layers compute outH = floor((height + padTotal - kernelH) / strideH) + 1 (and likewise for W),
 * with TensorFlow's 'same' padding (the extra cell at the bottom/right), docs/design.md.
 */
export interface Window2D {
  batch: number; height: number; width: number; channels: number;
  kernelH: number; kernelW: number; strideH: number; strideW: number;
  padTop: number; padLeft: number; outH: number; outW: number;
}

/** Unary functions of the tensor ops (src/ops/): `unaryOp`. */
export type UnaryOpName = 'neg' | 'square' | 'sqrt' | 'exp' | 'log' | 'log1p' | 'abs' | 'sign' | 'reciprocal' | 'sigmoid' | 'tanh' | 'relu';
/** Binary operations of the tensor ops: arithmetic (float out) and comparisons (1/0 out). */
export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';
/** Reductions over one axis: `reduceOp`. */
export type ReduceOpName = 'sum' | 'prod' | 'max' | 'min';
/** What `fillRandom` draws from (an Rng from src/tensor/rng.ts). */
export interface RandomSource { uniform(): number; normal(): number; truncatedNormal(): number }
