/**
 * The kernel table's rows for the dense layers: linear algebra, activations,
 * losses and batch normalisation (src/kernels/kernel-table.ts
 * describes a row and assembles the table).
 */
import { buf, count, num, flag, activation, loss, ROWS_COLS, type KernelSection, type ThreadSpec } from '../kernel-row.js';

/**
 * Row bands of a rows x cols matrix shared with the workers when the work (one unit per element,
 * eight for a row-wise activation) pays for it: every row is computed as one thread computes it,
 * so the bits do not depend on the split.
 */
const ROW_BANDS: ThreadSpec = { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'rows, work, KIND.rows', splits: { rows: 'lo, hi' }, whole: '0, rows' };

/** gemm and the bias kernels. */
export const LINEAR_ALGEBRA: KernelSection = { title: 'linear algebra', rows: [
  { name: 'gemm', file: 'gemm',
    doc: `
      C = alpha op(A) op(B) + beta C, with op(A) m x k, op(B) k x n, C m x n, all row-major.
      A is stored m x k, or k x m when \`transA\`; B is stored k x n, or n x k when \`transB\`.
      With beta = 0, C is overwritten (NaN in C does not propagate). BLAS sgemm/dgemm semantics.`,
    args: [flag('transA'), flag('transB'), count('m'), count('n'), count('k'), num('alpha'), buf('a', 'm * k'), buf('b', 'k * n'), num('beta'), buf('c', 'm * n', 'inout', { writeOnlyIf: 'beta === 0' })],
    wasm: { export: 'sgemm', skipIf: 'm === 0 || n === 0', call: ['transA', 'transB', 'm', 'n', 'k', 'alpha', 'a', 'b', 'beta', 'c'],
      threads: { policy: 'gemm', when: '2 * m * n * k >= GEMM_PARALLEL_FLOPS', policyArgs: 'transA, transB, m, n, k, KIND.cols, KIND.rows',
        splits: { cols: '0, m, lo, hi, work', rows: 'lo, hi, 0, n, work' }, whole: '0, m, 0, n, work' } } },
  { name: 'biasAdd', file: 'elementwise',
    doc: `x[r, c] += bias[c] for a rows x cols matrix x (in place).`,
    args: [buf('x', 'rows * cols', 'inout'), buf('bias', 'cols'), ...ROWS_COLS],
    wasm: { let: ['work = rows * cols'], call: ['x', 'bias', 'rows', 'cols'], threads: ROW_BANDS } },
  { name: 'biasGrad', file: 'elementwise',
    doc: `db[c] = sum_r dy[r, c]: the bias gradient, Nielsen BP3 in batch form.`,
    args: [buf('dy', 'rows * cols'), buf('db', 'cols', 'out'), ...ROWS_COLS], wasm: { call: ['dy', 'db', 'rows', 'cols'] } },
] };

/** The activations (src/kernels/activation-registry.ts), forward and backward. */
export const ACTIVATIONS: KernelSection = { title: 'activations', rows: [
  { name: 'activationForward', file: 'activations',
    doc: `
      out = f(z) elementwise (softmax: row-wise over \`cols\`); src/kernels/activation-registry.ts defines
      each f. \`alpha\` is the argument of the activations whose entry declares one (leakyRelu's slope).
      \`out\` may alias \`z\`.`,
    args: [activation('name'), buf('z', 'rows * cols'), buf('out', 'rows * cols', 'out'), ...ROWS_COLS, num('alpha')],
    wasm: { let: ['kind = ACTIVATION_KIND[name]', "work = rows * cols * (ACTIVATION_DEFS[name].shape === 'row' ? 8 : 1)"], jsIf: 'kind === undefined',
      call: ['kind', 'z', 'out', 'rows', 'cols', 'alpha'], threads: ROW_BANDS } },
  // Only what the activation reads (its registry entry's `reads`) is checked and staged.
  { name: 'activationBackward', file: 'activations',
    doc: `
      dz = dC/dz from dy = dC/da, given z and a = f(z): dz = dy (.) f'(z) elementwise (BP1/BP2's
      Hadamard product); for softmax the full Jacobian, dz = a (.) (dy - <dy, a>) per row.
      'step' has derivative 0 everywhere it is defined. \`dz\` may alias \`dy\`.`,
    args: [activation('name'), buf('z', 'rows * cols', 'in', { when: 'reads.z' }), buf('a', 'rows * cols', 'in', { when: 'reads.a' }), buf('dy', 'rows * cols', 'in', { when: 'reads.dy' }), buf('dz', 'rows * cols', 'out'), ...ROWS_COLS, num('alpha')],
    wasm: { let: ['kind = ACTIVATION_KIND[name]', 'reads = ACTIVATION_DEFS[name].reads', "work = rows * cols * (ACTIVATION_DEFS[name].shape === 'row' ? 8 : 1)"], jsIf: 'kind === undefined',
      call: ['kind', 'z', 'a', 'reads.dy ? dy : dz', 'dz', 'rows', 'cols', 'alpha'], threads: ROW_BANDS } },
] };

/** The losses (src/kernels/loss-registry.ts): value, gradient, fused gradient. */
export const LOSSES: KernelSection = { title: "losses (docs/design.md's table)", rows: [
  { name: 'lossSum', file: 'losses',
    doc: `
      The SUM over the \`rows\` samples of the per-sample loss (the caller divides by the batch size).
      yTrue is rows x cols, or for the sparse loss a vector of \`rows\` class indices.
      With \`fromLogits\`, yPred holds pre-activations (softmax for the categorical losses, sigmoid for
      binary) and the value is computed with log-sum-exp; otherwise probabilities are clipped to
      [1e-7, 1 - 1e-7].`,
    returns: 'number', args: [loss('name'), buf('yPred', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, flag('fromLogits')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: 'kind === undefined', call: ['kind', 'yPred', 'yTrue', 'rows', 'cols', 'fromLogits'] } },
  { name: 'lossGradient', file: 'losses',
    doc: `grad = scale * dC_x/da for each sample's loss (general path; probabilities clipped as in lossSum).`,
    args: [loss('name'), buf('yPred', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, num('scale'), buf('grad', 'rows * cols', 'out')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: 'kind === undefined', call: ['kind', 'yPred', 'yTrue', 'rows', 'cols', 'scale', 'grad'] } },
  // (the js reference throws for a loss without a fused form)
  { name: 'fusedLossGradient', file: 'losses',
    doc: `
      The fused gradient at the pre-activation: dz = scale * (a - y), with y one-hot from class
      indices for the sparse loss. Used for softmax + (sparse) categorical cross-entropy and
      sigmoid + binary cross-entropy, where dC/dz simplifies to a - y.`,
    args: [loss('name'), buf('a', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, num('scale'), buf('dz', 'rows * cols', 'out')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: '!FUSED_LOSSES.has(name)', call: ['kind', 'a', 'yTrue', 'rows', 'cols', 'scale', 'dz'] } },
] };

/** Batch normalisation: statistics, forward, backward. */
export const BATCH_NORM: KernelSection = { title: 'batch normalisation (Ioffe & Szegedy 2015), per channel = per column', rows: [
  { name: 'batchNormStats', file: 'batchnorm',
    doc: `
      Per-column mean and BIASED variance of a rows x cols matrix (rows = N, or N H W for images):
      mean[c] = (1/rows) sum_r x[r, c]; variance[c] = (1/rows) sum_r (x[r, c] - mean[c])^2
      (two passes, so no cancellation). Both overwritten.`,
    args: [buf('x', 'rows * cols'), ...ROWS_COLS, buf('mean', 'cols', 'out'), buf('variance', 'cols', 'out')],
    wasm: { call: ['x', 'rows', 'cols', 'mean', 'variance'] } },
  { name: 'batchNormForward', file: 'batchnorm',
    doc: `
      y[r, c] = gamma[c] xhat[r, c] + beta[c] with xhat[r, c] = (x[r, c] - mean[c]) / sqrt(variance[c] + epsilon):
      the batch statistics in training, the moving ones in inference. A null \`gamma\` means 1, a null
      \`beta\` 0 (Keras \`scale: false\` / \`center: false\`). \`xhat\`, when given, receives x-hat (the
      training pass keeps it for backward). \`y\` may alias \`x\`.`,
    args: [buf('x', 'rows * cols'), ...ROWS_COLS, buf('mean', 'cols'), buf('variance', 'cols'), buf('gamma', 'cols', 'in', { nullable: true }), buf('beta', 'cols', 'in', { nullable: true }),
      num('epsilon'), buf('xhat', 'rows * cols', 'out', { nullable: true }), buf('y', 'rows * cols', 'out')],
    wasm: { temp: ['work = Math.max(1, cols) * 24'], call: ['x', 'rows', 'cols', 'mean', 'variance', 'gamma', 'beta', 'epsilon', 'xhat', 'y', 'work'] } },
  { name: 'batchNormBackward', file: 'batchnorm',
    doc: `
      Batch normalisation's gradients from dy = dC/dy, per column c over the m = rows entries
      (Ioffe & Szegedy 2015, section 3, simplified):
        dbeta = sum_r dy,  dgamma = sum_r dy xhat,
        dx = gamma / (m sqrt(variance + epsilon)) (m dy - dbeta - xhat dgamma)   when \`batchStatistics\`
             (mean and variance were this batch's, so they depend on x),
        dx = gamma dy / sqrt(variance + epsilon)                                  otherwise (moving statistics).
      Null \`gamma\` means 1; \`dgamma\`, \`dbeta\`, \`dx\` are written when non-null. \`dx\` may alias \`dy\`.`,
    args: [buf('dy', 'rows * cols'), buf('xhat', 'rows * cols'), ...ROWS_COLS, buf('variance', 'cols'), buf('gamma', 'cols', 'in', { nullable: true }), num('epsilon'), flag('batchStatistics'),
      buf('dgamma', 'cols', 'out', { nullable: true }), buf('dbeta', 'cols', 'out', { nullable: true }), buf('dx', 'rows * cols', 'out', { nullable: true })],
    wasm: { temp: ['work = Math.max(1, cols) * 24'], call: ['dy', 'xhat', 'rows', 'cols', 'variance', 'gamma', 'epsilon', 'batchStatistics', 'dgamma', 'dbeta', 'dx', 'work'] } },
] };
