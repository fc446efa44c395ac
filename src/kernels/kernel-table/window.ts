/**
 * The kernel table's rows for the sliding-window kernels, convolution and
 * pooling (src/kernels/kernel-table.ts
 * describes a row and assembles the table).
 */
import { buf, i32buf, count, geom, type KernelSection } from '../kernel-row.js';

const GEOMETRY = 'n4 = g.batch * g.height * g.width * g.channels';
const OUT_CELLS = 'o4 = g.batch * g.outH * g.outW * g.channels';
const CONV_K = 'K = g.kernelH * g.kernelW * g.channels', CONV_ROWS = 'rows = g.batch * g.outH * g.outW', CONV_JS = 'K > 32768';

/** Conv2D's unfolding and its adjoint. */
export const CONVOLUTION: KernelSection = { title: 'convolution (NHWC, kernel [kernelH, kernelW, inChannels, filters])', rows: [
  { name: 'im2col', file: 'conv',
    doc: `
      Unfolds image patches into rows ("im2col"; Chellapilla et al. 2006): \`col\` is a
      (batch outH outW) x (kernelH kernelW channels) matrix whose row (n, oh, ow) holds the window
      of output cell (oh, ow) of image n, in the kernel's [kernelH, kernelW, channels] order:
        col[((n outH + oh) outW + ow), (i kernelW + j) channels + c] = x[n, oh strideH - padTop + i, ow strideW - padLeft + j, c]
      and 0 where that cell is padding. Conv2D's forward pass is then one gemm,
      Z = col W with W the kernel viewed as (kernelH kernelW channels) x filters, giving Z in NHWC.
      \`col\` is overwritten.`,
    args: [buf('x', 'n4'), geom('g'), buf('col', 'size', 'out')],
    wasm: { let: [GEOMETRY, 'rows = g.batch * g.outH * g.outW', 'size = rows * g.kernelH * g.kernelW * g.channels'], call: ['x', '...g', 'col'],
      threads: { policy: 'window', when: 'size >= this.pool.windowParallelSize', policyArgs: 'rows, size, KIND.rows', splits: { rows: 'lo, hi' }, whole: '0, rows' } } },
  { name: 'col2im', file: 'conv',
    doc: `
      The adjoint of {@link im2col} ("col2im"): dx = 0, then every entry of \`col\` is ADDED to the
      input cell it was copied from (overlapping windows accumulate; padding entries are dropped).
      With dcol = Delta W^T this is Conv2D's input gradient dC/dx.
      \`dx\` (batch x height x width x channels) is overwritten.`,
    args: [buf('col', 'size'), geom('g'), buf('dx', 'n4', 'out')],
    wasm: { let: [GEOMETRY, 'size = g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels'], call: ['col', '...g', 'dx'],
      threads: { policy: 'window', when: 'size >= this.pool.windowParallelSize', policyArgs: 'g.batch, size, KIND.images', splits: { images: 'lo, hi' }, whole: '0, g.batch' } } },
  // The fused convolution products (col built a block at a time, assembly/conv-gemm.ts); a window
  // of more than 32768 numbers (kh kw C) runs on the js reference.
  { name: 'convForward', file: 'conv-gemm',
    doc: `
      Conv2D's forward product without the bias: z = im2col(x) W, with W the kernel viewed as
      (kernelH kernelW channels) x filters and z (batch outH outW) x filters (NHWC), exactly as
      {@link im2col} then {@link gemm} (alpha 1, beta 0) compute it, but without storing the whole
      im2col matrix (the wasm backend builds it a block of rows at a time, in cache). \`z\` is
      overwritten.`,
    args: [buf('x', 'n4'), geom('g'), buf('kernel', 'K * filters'), count('filters'), buf('z', 'rows * filters', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'rows === 0 || filters === 0', call: ['x', '...g', 'kernel', 'filters', 'z'],
      threads: { policy: 'window', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'rows, rows * K, KIND.rows', splits: { rows: 'lo, hi, work' }, whole: '0, rows, work' } } },
  { name: 'convKernelGrad', file: 'conv-gemm',
    doc: `
      Conv2D's kernel gradient: dw = im2col(x)^T delta ((kernelH kernelW channels) x filters;
      delta is (batch outH outW) x filters), summed as gemm(true, false, ...) over the im2col
      matrix sums (the js reference: over chunks of at most COL_LIMIT numbers of it, each added to
      the previous ones). \`dw\` is overwritten.`,
    args: [buf('x', 'n4'), geom('g'), buf('delta', 'rows * filters'), count('filters'), buf('dw', 'K * filters', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'K === 0 || filters === 0', call: ['x', '...g', 'delta', 'filters', 'dw'],
      threads: { policy: 'convKernelGrad', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'K, rows * K, KIND.prows', splits: { prows: 'lo, hi, work' }, whole: '0, K, work' } } },
  { name: 'convInputGrad', file: 'conv-gemm',
    doc: `
      Conv2D's input gradient: dx = col2im(delta W^T) (batch x height x width x channels), the
      products rounded to x's type before col2im adds them, as {@link gemm} then {@link col2im}.
      \`dx\` is overwritten.`,
    args: [buf('delta', 'rows * filters'), buf('kernel', 'K * filters'), geom('g'), count('filters'), buf('dx', 'n4', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'n4 === 0', call: ['delta', 'kernel', '...g', 'filters', 'dx'],
      threads: { policy: 'window', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'g.batch, rows * K, KIND.images', splits: { images: 'lo, hi, work' }, whole: '0, g.batch, work' } } },
] };

/** Max and average pooling, forward and backward. */
export const POOLING: KernelSection = { title: 'pooling (NHWC, per channel; g.kernelH x g.kernelW is the pool size)', rows: [
  { name: 'maxPoolForward', file: 'pool',
    doc: `
      Max pooling: y[n, oh, ow, c] = the maximum of x over the window's cells that are inside the
      image (padding is ignored, as in TensorFlow). \`argmax\` (same length as y) receives the flat
      index into x of the FIRST maximum in the window's row-major order (a tie goes to the first),
      or -1 for a window with no cell inside the image (then y = 0; 'valid' and 'same' never make
      one). \`y\` and \`argmax\` are overwritten. \`argmax\` is a plain Int32Array kept by the layer.`,
    args: [buf('x', 'n4'), geom('g'), buf('y', 'o4', 'out'), i32buf('argmax', 'o4', 'out')],
    wasm: { let: [GEOMETRY, OUT_CELLS], call: ['x', '...g', 'y', 'argmax'] } },
  { name: 'maxPoolBackward', file: 'pool',
    doc: `
      Max pooling's gradient: dx = 0, then dx[argmax[i]] += dy[i] for every output i (entries -1 are
      skipped). \`dx\` has \`dxLength\` = batch height width channels numbers and is overwritten.`,
    args: [buf('dy', 'count'), i32buf('argmax', 'count'), buf('dx', 'dxLength', 'out'), count('dxLength')],
    wasm: { let: ['count = argmax.length'], call: ['dy', 'argmax', 'count', 'dx', 'dxLength'] } },
  { name: 'avgPoolForward', file: 'pool',
    doc: `
      Average pooling: y[n, oh, ow, c] = the mean of x over the window's cells inside the image; the
      divisor counts only those cells (padding is excluded, as TensorFlow's 'same' does). A window
      with no cell inside gives 0. \`y\` is overwritten.`,
    args: [buf('x', 'n4'), geom('g'), buf('y', 'o4', 'out')], wasm: { let: [GEOMETRY, OUT_CELLS], call: ['x', '...g', 'y'] } },
  { name: 'avgPoolBackward', file: 'pool',
    doc: `
      Average pooling's gradient: dx = 0, then each dy[n, oh, ow, c] / count is added to every
      inside cell of its window (count as in the forward pass). \`dx\` is overwritten.`,
    args: [buf('dy', 'o4'), geom('g'), buf('dx', 'n4', 'out')], wasm: { let: [GEOMETRY, OUT_CELLS], call: ['dy', '...g', 'dx'] } },
] };
