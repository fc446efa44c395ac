/**
 * The kernel table: every kernel of the {@link Backend} interface described ONCE. From these rows
 * scripts/kernel-bindings.mjs (run by scripts/build-wasm.mjs, so by `npm run build`) generates:
 *   - src/kernels/wasm/bindings.generated.ts   the wasm backend's wrappers (class WasmKernels):
 *     the float64 fall-back to the js reference, the count and length checks, the stale-buffer
 *     check (WasmHeap generations: DisposedError), staging of arrays from outside wasm memory,
 *     the call of the export (or the sharing of it with worker threads), copying out;
 *   - src/kernels/wasm/exports.generated.ts    the WasmExports interface (every export's
 *     signature, read from its AssemblyScript source, so the two cannot disagree);
 *   - src/kernels/wasm/thread-kinds.generated.ts   the thread job kinds, their argument layout
 *     and the worker's dispatch (plain JavaScript source, evaluated in each worker);
 *   - assembly/index.ts                        the module's export list.
 * `node scripts/build-wasm.mjs --check` fails when any of them is stale.
 *
 * ## A row
 * - `name`: the Backend method; also the wasm export's name unless `wasm.export` says otherwise.
 * - `file`: the AssemblyScript file (assembly/<file>.ts) that defines the export.
 * - `args`: the Backend method's parameters in order, made with the helpers below:
 *     `buf(name, length, mode)`   a FloatArray (float32 runs in wasm, any other dtype runs the js
 *                                 reference: the `dtypes` of every row are float32 only); `mode`
 *                                 'in' (read), 'out' (written, not read) or 'inout' (both);
 *                                 `length` an expression over the other arguments and `wasm.let`
 *                                 names: the array must have at least that many elements
 *                                 (RangeError otherwise); only that prefix is staged.
 *     `i32buf(...)`, `u32buf(...)`  the same for an Int32Array / Uint32Array (no dtype fall-back).
 *     options `{ nullable: true }` (null passes pointer 0), `{ when: 'expr' }` (staged and
 *       checked only when expr holds, pointer 0 otherwise), `{ writeOnlyIf: 'expr' }` (an
 *       'inout' buffer that is only written when expr holds, e.g. gemm's C when beta = 0).
 *     `count(name)`  an integer >= 0 (checked: RangeError);  `num(name)`  any number;
 *     `flag(name)`   a boolean (passed as 0/1);  `geom(name)`    a Window2D (its 12 fields
 *       checked as counts); `activation(name)`, `loss(name)`  registry names;
 *     `dims(name)`   a shape or strides (readonly number[]), `opName(name)` an op's name (only in
 *       'custom' rows: their wrapper maps them to the export's arguments).
 * - `returns`: the method's result ('void' when absent).
 * - `wasm`: how the wasm backend runs it:
 *     'custom'  a hand-written wrapper in src/kernels/wasm/backend.ts (streaming reductions) or
 *               src/kernels/wasm/ops.ts (the tensor ops: broadcasts collapsed, comparisons' u8 output);
 *     'js'      no export: the js reference after the stale-buffer checks;
 *     or an object:
 *       `let`     ['n = x.length', ...]: constants computed first, usable everywhere below;
 *       `jsIf`    run the js reference when this holds (besides non-float32 buffers);
 *       `skipIf`  return (after the checks) when this holds (nothing to do);
 *       `temp`    ['work = bytesExpr']: scratch wasm memory for the call, freed afterwards;
 *       `call`    the export's parameters in order: expressions in which a buffer's name
 *                 stands for its pointer and a flag's for 0/1; '...g' expands a Window2D to its
 *                 12 fields (batch, height, width, channels, kernelH, kernelW, strideH, strideW,
 *                 padTop, padLeft, outH, outW);
 *       `threads` when the export may run on worker threads: it then takes the chunk of the
 *                 output it computes as trailing parameters after `call`. `splits` names each
 *                 way of cutting the output into chunks (rows, cols, images...) with those
 *                 trailing arguments as a worker passes them (over the export's parameter names
 *                 as written in its AssemblyScript source, the chunk `lo`, `hi`, and the worker's
 *                 gemm workspace `work`); `whole` is the tail for the whole output on the calling
 *                 thread (over the wrapper's names; `work` is the caller's workspace); `when` the
 *                 size test before a pool is asked; `policy` the ThreadPool method deciding the
 *                 chunks ('gemm', 'window' or 'perThread', src/kernels/wasm/threads.ts), called with
 *                 (threads, ...policyArgs, argsOfCall); `KIND.<split>` in `policyArgs` is that
 *                 split's generated job kind. Every chunk must compute its elements exactly as
 *                 one thread would (a reduction is split only at the kernel's own blocks and
 *                 summed in their order: gemm's k-split, src/kernels/wasm/worker-source.ts), so
 *                 results do not depend on the thread count.
 * Buffers are staged inputs first ('in', 'inout', then 'out'), so an output that aliases an
 * input is read before it is written over.
 *
 * ## Adding a kernel
 * 1. the js reference (src/kernels/js/, exported from src/kernels/js/index.ts's modules);
 * 2. the AssemblyScript body (`export function` in assembly/<file>.ts);
 * 3. one row here (and its doc comment in the Backend interface, src/kernels/backend.ts);
 * then `npm run build`, and a test against the js reference in test/kernels/wasm.test.ts.
 */
import type { KernelArg, KernelRow, Mode } from './kernel-row.js';

export type { KernelArg, KernelRow, Mode, WasmBinding, ThreadSpec } from './kernel-row.js';

type BufOptions = { nullable?: boolean; when?: string; writeOnlyIf?: string };
/** A float buffer argument (see the table's doc comment). */
export const buf = (name: string, length: string, mode: Mode = 'in', o: BufOptions = {}): KernelArg => ({ name, kind: 'float', length, mode, ...o });
/** An Int32Array argument. */
export const i32buf = (name: string, length: string, mode: Mode = 'in'): KernelArg => ({ name, kind: 'i32', length, mode });
/** A Uint32Array argument. */
export const u32buf = (name: string, length: string, mode: Mode = 'in'): KernelArg => ({ name, kind: 'u32', length, mode });
/** An integer count (checked >= 0). */
export const count = (name: string): KernelArg => ({ name, kind: 'count' });
/** A number. */
export const num = (name: string): KernelArg => ({ name, kind: 'number' });
/** A boolean, passed as 0/1. */
export const flag = (name: string): KernelArg => ({ name, kind: 'boolean' });
/** A Window2D (its fields checked as counts). */
export const geom = (name: string): KernelArg => ({ name, kind: 'window' });
/** A shape or strides, readonly number[] ('custom' rows only). */
export const dims = (name: string): KernelArg => ({ name, kind: 'dims' });
/** An op's name (UnaryOpName, BinaryOpName, ReduceOpName; 'custom' rows only). */
export const opName = (name: string): KernelArg => ({ name, kind: 'opName' });
/** An activation name (src/kernels/activation-registry.ts). */
export const activation = (name: string): KernelArg => ({ name, kind: 'activation' });
/** A loss name (src/kernels/loss-registry.ts). */
export const loss = (name: string): KernelArg => ({ name, kind: 'loss' });

const ROWS_COLS = [count('rows'), count('cols')];
/**
 * A recurrent cell's activations as wasm ids (undefined, so js, for softmax), and the one alpha the
 * wasm cell takes (the registry default of whichever activation has one: leakyRelu 0.3, elu 1). A
 * cell whose two activations both take an alpha, with different defaults (leakyRelu with elu),
 * runs on the js reference, which gives each its own.
 */
const RNN_ACT = "act = ACTIVATION_DEFS[activation].shape === 'elementwise' ? ACTIVATION_KIND[activation] : undefined";
const RNN_RACT = "ract = ACTIVATION_DEFS[recurrentActivation].shape === 'elementwise' ? ACTIVATION_KIND[recurrentActivation] : undefined";
const RNN_RALPHA = 'alpha = ACTIVATION_DEFS[recurrentActivation].alpha?.default ?? 0';
const RNN_ALPHA1 = 'alpha = ACTIVATION_DEFS[activation].alpha?.default ?? 0';
const RNN_ALPHA2 = 'alpha = ACTIVATION_DEFS[activation].alpha?.default ?? ACTIVATION_DEFS[recurrentActivation].alpha?.default ?? 0';
const RNN_ONE_ALPHA = 'oneAlpha = (ACTIVATION_DEFS[activation].alpha ?? ACTIVATION_DEFS[recurrentActivation].alpha)?.default === (ACTIVATION_DEFS[recurrentActivation].alpha ?? ACTIVATION_DEFS[activation].alpha)?.default';
const RNN_LET2 = ['n = rows * units', RNN_ACT, RNN_RACT, RNN_ALPHA2, RNN_ONE_ALPHA];
const RNN_JS2 = 'act === undefined || ract === undefined || !oneAlpha';
const GEOMETRY = 'n4 = g.batch * g.height * g.width * g.channels';
const OUT_CELLS = 'o4 = g.batch * g.outH * g.outW * g.channels';
const CONV_K = 'K = g.kernelH * g.kernelW * g.channels', CONV_ROWS = 'rows = g.batch * g.outH * g.outW', CONV_JS = 'K > 32768';

/** The table: one row per kernel, in the Backend interface's order. */
export const KERNELS: readonly KernelRow[] = [
  // ---- linear algebra
  { name: 'gemm', file: 'gemm', args: [flag('transA'), flag('transB'), count('m'), count('n'), count('k'), num('alpha'), buf('a', 'm * k'), buf('b', 'k * n'), num('beta'), buf('c', 'm * n', 'inout', { writeOnlyIf: 'beta === 0' })],
    wasm: { export: 'sgemm', skipIf: 'm === 0 || n === 0', call: ['transA', 'transB', 'm', 'n', 'k', 'alpha', 'a', 'b', 'beta', 'c'],
      threads: { policy: 'gemm', when: '2 * m * n * k >= GEMM_PARALLEL_FLOPS', policyArgs: 'transA, transB, m, n, k, KIND.cols, KIND.rows',
        splits: { cols: '0, m, lo, hi, work', rows: 'lo, hi, 0, n, work' }, whole: '0, m, 0, n, work' } } },
  { name: 'biasAdd', file: 'elementwise', args: [buf('x', 'rows * cols', 'inout'), buf('bias', 'cols'), ...ROWS_COLS], wasm: { call: ['x', 'bias', 'rows', 'cols'] } },
  { name: 'biasGrad', file: 'elementwise', args: [buf('dy', 'rows * cols'), buf('db', 'cols', 'out'), ...ROWS_COLS], wasm: { call: ['dy', 'db', 'rows', 'cols'] } },
  // ---- activations
  { name: 'activationForward', file: 'activations', args: [activation('name'), buf('z', 'rows * cols'), buf('out', 'rows * cols', 'out'), ...ROWS_COLS, num('alpha')],
    wasm: { let: ['kind = ACTIVATION_KIND[name]'], jsIf: 'kind === undefined', call: ['kind', 'z', 'out', 'rows', 'cols', 'alpha'] } },
  // Only what the activation reads (its registry entry's `reads`) is checked and staged.
  { name: 'activationBackward', file: 'activations',
    args: [activation('name'), buf('z', 'rows * cols', 'in', { when: 'reads.z' }), buf('a', 'rows * cols', 'in', { when: 'reads.a' }), buf('dy', 'rows * cols', 'in', { when: 'reads.dy' }), buf('dz', 'rows * cols', 'out'), ...ROWS_COLS, num('alpha')],
    wasm: { let: ['kind = ACTIVATION_KIND[name]', 'reads = ACTIVATION_DEFS[name].reads'], jsIf: 'kind === undefined', call: ['kind', 'z', 'a', 'reads.dy ? dy : dz', 'dz', 'rows', 'cols', 'alpha'] } },
  // ---- losses
  { name: 'lossSum', file: 'losses', returns: 'number', args: [loss('name'), buf('yPred', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, flag('fromLogits')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: 'kind === undefined', call: ['kind', 'yPred', 'yTrue', 'rows', 'cols', 'fromLogits'] } },
  { name: 'lossGradient', file: 'losses', args: [loss('name'), buf('yPred', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, num('scale'), buf('grad', 'rows * cols', 'out')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: 'kind === undefined', call: ['kind', 'yPred', 'yTrue', 'rows', 'cols', 'scale', 'grad'] } },
  // (the js reference throws for a loss without a fused form)
  { name: 'fusedLossGradient', file: 'losses', args: [loss('name'), buf('a', 'rows * cols'), buf('yTrue', 'sparse ? rows : rows * cols'), ...ROWS_COLS, num('scale'), buf('dz', 'rows * cols', 'out')],
    wasm: { let: ['kind = LOSS_KIND[name]', 'sparse = kind === SPARSE_LOSS'], jsIf: '!FUSED_LOSSES.has(name)', call: ['kind', 'a', 'yTrue', 'rows', 'cols', 'scale', 'dz'] } },
  // ---- convolution and pooling
  { name: 'im2col', file: 'conv', args: [buf('x', 'n4'), geom('g'), buf('col', 'size', 'out')],
    wasm: { let: [GEOMETRY, 'rows = g.batch * g.outH * g.outW', 'size = rows * g.kernelH * g.kernelW * g.channels'], call: ['x', '...g', 'col'],
      threads: { policy: 'window', when: 'size >= this.pool.windowParallelSize', policyArgs: 'rows, size, KIND.rows', splits: { rows: 'lo, hi' }, whole: '0, rows' } } },
  { name: 'col2im', file: 'conv', args: [buf('col', 'size'), geom('g'), buf('dx', 'n4', 'out')],
    wasm: { let: [GEOMETRY, 'size = g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels'], call: ['col', '...g', 'dx'],
      threads: { policy: 'window', when: 'size >= this.pool.windowParallelSize', policyArgs: 'g.batch, size, KIND.images', splits: { images: 'lo, hi' }, whole: '0, g.batch' } } },
  // The fused convolution products (col built a block at a time, assembly/conv-gemm.ts); a window
  // of more than 32768 numbers (kh kw C) runs on the js reference.
  { name: 'convForward', file: 'conv-gemm', args: [buf('x', 'n4'), geom('g'), buf('kernel', 'K * filters'), count('filters'), buf('z', 'rows * filters', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'rows === 0 || filters === 0', call: ['x', '...g', 'kernel', 'filters', 'z'],
      threads: { policy: 'window', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'rows, rows * K, KIND.rows', splits: { rows: 'lo, hi, work' }, whole: '0, rows, work' } } },
  { name: 'convKernelGrad', file: 'conv-gemm', args: [buf('x', 'n4'), geom('g'), buf('delta', 'rows * filters'), count('filters'), buf('dw', 'K * filters', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'K === 0 || filters === 0', call: ['x', '...g', 'delta', 'filters', 'dw'],
      threads: { policy: 'perThread', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'K, rows * K, KIND.prows', splits: { prows: 'lo, hi, work' }, whole: '0, K, work' } } },
  { name: 'convInputGrad', file: 'conv-gemm', args: [buf('delta', 'rows * filters'), buf('kernel', 'K * filters'), geom('g'), count('filters'), buf('dx', 'n4', 'out')],
    wasm: { let: [GEOMETRY, CONV_K, CONV_ROWS], jsIf: CONV_JS, skipIf: 'n4 === 0', call: ['delta', 'kernel', '...g', 'filters', 'dx'],
      threads: { policy: 'window', when: 'rows * K >= this.pool.windowParallelSize', policyArgs: 'g.batch, rows * K, KIND.images', splits: { images: 'lo, hi, work' }, whole: '0, g.batch, work' } } },
  { name: 'maxPoolForward', file: 'pool', args: [buf('x', 'n4'), geom('g'), buf('y', 'o4', 'out'), i32buf('argmax', 'o4', 'out')],
    wasm: { let: [GEOMETRY, OUT_CELLS], call: ['x', '...g', 'y', 'argmax'] } },
  { name: 'maxPoolBackward', file: 'pool', args: [buf('dy', 'count'), i32buf('argmax', 'count'), buf('dx', 'dxLength', 'out'), count('dxLength')],
    wasm: { let: ['count = argmax.length'], call: ['dy', 'argmax', 'count', 'dx', 'dxLength'] } },
  { name: 'avgPoolForward', file: 'pool', args: [buf('x', 'n4'), geom('g'), buf('y', 'o4', 'out')], wasm: { let: [GEOMETRY, OUT_CELLS], call: ['x', '...g', 'y'] } },
  { name: 'avgPoolBackward', file: 'pool', args: [buf('dy', 'o4'), geom('g'), buf('dx', 'n4', 'out')], wasm: { let: [GEOMETRY, OUT_CELLS], call: ['dy', '...g', 'dx'] } },
  // ---- batch normalisation
  { name: 'batchNormStats', file: 'batchnorm', args: [buf('x', 'rows * cols'), ...ROWS_COLS, buf('mean', 'cols', 'out'), buf('variance', 'cols', 'out')],
    wasm: { call: ['x', 'rows', 'cols', 'mean', 'variance'] } },
  { name: 'batchNormForward', file: 'batchnorm',
    args: [buf('x', 'rows * cols'), ...ROWS_COLS, buf('mean', 'cols'), buf('variance', 'cols'), buf('gamma', 'cols', 'in', { nullable: true }), buf('beta', 'cols', 'in', { nullable: true }),
      num('epsilon'), buf('xhat', 'rows * cols', 'out', { nullable: true }), buf('y', 'rows * cols', 'out')],
    wasm: { temp: ['work = Math.max(1, cols) * 24'], call: ['x', 'rows', 'cols', 'mean', 'variance', 'gamma', 'beta', 'epsilon', 'xhat', 'y', 'work'] } },
  { name: 'batchNormBackward', file: 'batchnorm',
    args: [buf('dy', 'rows * cols'), buf('xhat', 'rows * cols'), ...ROWS_COLS, buf('variance', 'cols'), buf('gamma', 'cols', 'in', { nullable: true }), num('epsilon'), flag('batchStatistics'),
      buf('dgamma', 'cols', 'out', { nullable: true }), buf('dbeta', 'cols', 'out', { nullable: true }), buf('dx', 'rows * cols', 'out', { nullable: true })],
    wasm: { temp: ['work = Math.max(1, cols) * 24'], call: ['dy', 'xhat', 'rows', 'cols', 'variance', 'gamma', 'epsilon', 'batchStatistics', 'dgamma', 'dbeta', 'dx', 'work'] } },
  // ---- elementwise and reductions
  { name: 'axpy', file: 'elementwise', args: [num('alpha'), buf('x', 'n'), buf('y', 'n', 'inout')], wasm: { let: ['n = x.length'], call: ['alpha', 'x', 'y', 'n'] } },
  { name: 'addScaled', file: 'elementwise', args: [buf('x', 'n'), num('alpha'), buf('y', 'n'), num('beta'), buf('out', 'n', 'out')], wasm: { let: ['n = x.length'], call: ['x', 'alpha', 'y', 'beta', 'out', 'n'] } },
  { name: 'scale', file: 'elementwise', args: [buf('x', 'n', 'inout'), num('alpha')], wasm: { let: ['n = x.length'], call: ['x', 'alpha', 'n'] } },
  { name: 'mul', file: 'elementwise', args: [buf('x', 'n'), buf('y', 'n'), buf('out', 'n', 'out')], wasm: { let: ['n = x.length'], call: ['x', 'y', 'out', 'n'] } },
  { name: 'clip', file: 'elementwise', args: [buf('x', 'n', 'inout'), num('lo'), num('hi')], wasm: { let: ['n = x.length'], call: ['x', 'lo', 'hi', 'n'] } },
  { name: 'sumSquares', file: 'elementwise', returns: 'number', args: [buf('x', 'x.length')], wasm: 'custom' },
  { name: 'allFinite', file: 'elementwise', returns: 'boolean', args: [buf('x', 'x.length')], wasm: 'custom' },
  { name: 'dropoutMask', file: 'elementwise', args: [buf('u', 'n', 'inout'), num('rate')], wasm: { let: ['n = u.length'], call: ['u', 'rate', '1 / (1 - rate)', 'n'] } },
  // A row-by-row TypedArray.set (a memcpy): the data set usually lives on the JavaScript heap.
  { name: 'gatherRows', file: 'elementwise', args: [buf('src', 'src.length'), num('cols'), u32buf('indices', 'indices.length'), num('start'), num('count'), buf('dst', 'dst.length', 'out')], wasm: 'js' },
  { name: 'argmaxRows', file: 'elementwise', args: [buf('x', 'rows * cols'), ...ROWS_COLS, i32buf('out', 'rows', 'out')], wasm: { jsIf: 'cols < 1', call: ['x', 'rows', 'cols', 'out'] } },
  { name: 'absDiffSum', file: 'elementwise', returns: 'number', args: [buf('x', 'x.length'), buf('y', 'x.length')], wasm: 'custom' },
  // ---- recurrent layers: one fused pass per time step (n = rows units; G u columns per gate block)
  { name: 'rnnStepForward', file: 'recurrent',
    args: [buf('z', 'n'), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }), count('rows'), count('units'), activation('activation'), buf('h', 'n', 'out')],
    wasm: { let: ['n = rows * units', RNN_ACT, RNN_ALPHA1], jsIf: 'act === undefined', call: ['z', 'hPrev', 'mask', 'rows', 'units', 'act', 'alpha', 'h'] } },
  { name: 'rnnStepBackward', file: 'recurrent',
    args: [buf('z', 'n'), buf('h', 'n'), buf('mask', 'rows', 'in', { nullable: true }), buf('dy', 'n', 'in', { nullable: true }), buf('dh', 'n', 'inout'),
      count('rows'), count('units'), activation('activation'), buf('dz', 'n', 'out')],
    wasm: { let: ['n = rows * units', RNN_ACT, RNN_ALPHA1], jsIf: 'act === undefined', call: ['z', 'h', 'mask', 'dy', 'dh', 'rows', 'units', 'act', 'alpha', 'dz'] } },
  { name: 'lstmStepForward', file: 'recurrent',
    args: [buf('z', '4 * n'), buf('cPrev', 'n'), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }), count('rows'), count('units'),
      activation('activation'), activation('recurrentActivation'), buf('gates', '4 * n', 'out'), buf('c', 'n', 'out'), buf('h', 'n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['z', 'cPrev', 'hPrev', 'mask', 'rows', 'units', 'act', 'ract', 'alpha', 'gates', 'c', 'h'] } },
  { name: 'lstmStepBackward', file: 'recurrent',
    args: [buf('z', '4 * n'), buf('gates', '4 * n'), buf('cPrev', 'n'), buf('c', 'n'), buf('mask', 'rows', 'in', { nullable: true }), buf('dy', 'n', 'in', { nullable: true }),
      buf('dh', 'n', 'inout'), buf('dc', 'n', 'inout'), count('rows'), count('units'), activation('activation'), activation('recurrentActivation'), buf('dz', '4 * n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['z', 'gates', 'cPrev', 'c', 'mask', 'dy', 'dh', 'dc', 'rows', 'units', 'act', 'ract', 'alpha', 'dz'] } },
  // hzh given (forward) / hz null (backward): the reset-before GRU, with gruResetGate / gruResetGateBackward.
  { name: 'gruStepForward', file: 'recurrent',
    args: [buf('xz', '3 * n'), buf('hz', '3 * n'), buf('hzh', '3 * n', 'in', { nullable: true }), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }),
      count('rows'), count('units'), activation('activation'), activation('recurrentActivation'), buf('pre', '3 * n', 'out'), buf('gates', '3 * n', 'out'), buf('h', 'n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['xz', 'hz', 'hzh', 'hPrev', 'mask', 'rows', 'units', 'act', 'ract', 'alpha', 'pre', 'gates', 'h'] } },
  { name: 'gruResetGate', file: 'recurrent',
    args: [buf('xz', 'rows * units * 3'), buf('hz', 'rows * units * 3'), buf('hPrev', 'rows * units'), count('rows'), count('units'), activation('recurrentActivation'), buf('rh', 'rows * units', 'out')],
    wasm: { let: [RNN_RACT, RNN_RALPHA], jsIf: 'ract === undefined', call: ['xz', 'hz', 'hPrev', 'rows', 'units', 'ract', 'alpha', 'rh'] } },
  { name: 'gruStepBackward', file: 'recurrent',
    args: [buf('pre', '3 * n'), buf('gates', '3 * n'), buf('hz', '3 * n', 'in', { nullable: true }), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }),
      buf('dy', 'n', 'in', { nullable: true }), buf('dh', 'n', 'inout'), count('rows'), count('units'), activation('activation'), activation('recurrentActivation'),
      buf('dxz', '3 * n', 'out'), buf('dhz', '3 * n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['pre', 'gates', 'hz', 'hPrev', 'mask', 'dy', 'dh', 'rows', 'units', 'act', 'ract', 'alpha', 'dxz', 'dhz'] } },
  { name: 'gruResetGateBackward', file: 'recurrent',
    args: [buf('pre', 'rows * units * 3'), buf('gates', 'rows * units * 3'), buf('hPrev', 'rows * units'), buf('mask', 'rows', 'in', { nullable: true }), buf('drh', 'rows * units'),
      count('rows'), count('units'), activation('recurrentActivation'), buf('dxz', 'rows * units * 3', 'inout'), buf('dh', 'rows * units', 'inout'), buf('dhzr', 'rows * units * 3', 'out')],
    wasm: { let: [RNN_RACT, RNN_RALPHA], jsIf: 'ract === undefined', call: ['pre', 'gates', 'hPrev', 'mask', 'drh', 'rows', 'units', 'ract', 'alpha', 'dxz', 'dh', 'dhzr'] } },
  { name: 'scatterAddRows', file: 'recurrent', args: [buf('src', 'count * cols'), count('cols'), u32buf('indices', 'count'), count('count'), buf('dst', 'dst.length', 'inout')],
    wasm: { let: ['dstLength = dst.length'], call: ['src', 'cols', 'indices', 'count', 'dst', 'dstLength'] } },
  { name: 'rowMask', file: 'recurrent', args: [buf('x', 'rows * cols'), ...ROWS_COLS, num('value'), buf('mask', 'rows', 'out')], wasm: { call: ['x', 'rows', 'cols', 'value', 'mask'] } },
  { name: 'scaleRows', file: 'recurrent', args: [buf('x', 'rows * cols'), buf('s', 'rows'), ...ROWS_COLS, buf('out', 'rows * cols', 'out')], wasm: { call: ['x', 's', 'rows', 'cols', 'out'] } },
  // ---- optimiser updates: element-wise, so any range [lo, hi) of the elements can run on any thread
  // (each element's arithmetic is the same in the SIMD body and the scalar tail)
  { name: 'sgdUpdate', file: 'elementwise', args: [buf('w', 'n', 'inout'), buf('g', 'n'), num('lr')], wasm: { let: ['n = w.length', 'work = 3 * n'], call: ['w', 'g', 'lr'], threads: { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'momentumUpdate', file: 'elementwise', args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('v', 'n', 'inout'), num('lr'), num('momentum'), flag('nesterov')],
    wasm: { let: ['n = w.length', 'work = 5 * n'], call: ['w', 'g', 'v', 'lr', 'momentum', 'nesterov'], threads: { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'adamUpdate', file: 'elementwise', args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('m', 'n', 'inout'), buf('v', 'n', 'inout'), num('lr'), num('beta1'), num('beta2'), num('epsilon'), num('t')],
    wasm: { let: ['n = w.length', 'work = 8 * n'], call: ['w', 'g', 'm', 'v', 'lr', 'beta1', 'beta2', '1 - beta1', '1 - beta2', 'epsilon', '1 - Math.pow(beta1, t)', '1 - Math.pow(beta2, t)'], threads: { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'rmspropUpdate', file: 'elementwise', args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('s', 'n', 'inout'), num('lr'), num('rho'), num('epsilon')],
    wasm: { let: ['n = w.length', 'work = 6 * n'], call: ['w', 'g', 's', 'lr', 'rho', '1 - rho', 'epsilon'], threads: { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'adagradUpdate', file: 'elementwise', args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('s', 'n', 'inout'), num('lr'), num('epsilon')],
    wasm: { let: ['n = w.length', 'work = 6 * n'], call: ['w', 'g', 's', 'lr', 'epsilon'], threads: { policy: 'window', when: 'work >= this.pool.windowParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  // ---- tensor ops (src/ops/), float32 in assembly/ops.ts; wrappers in src/kernels/wasm/ops.ts (the
  // js reference for float64, and for a broadcast that does not collapse to four axes)
  { name: 'unaryOp', file: 'ops', args: [opName('name'), buf('x', 'x.length'), buf('out', 'x.length', 'out')], wasm: 'custom' },
  { name: 'binaryOp', file: 'ops', args: [opName('name'), buf('a', 'extent'), buf('b', 'extent'), buf('out', 'size', 'out'), dims('shape'), dims('aStrides'), dims('bStrides')], wasm: 'custom' },
  { name: 'reduceOp', file: 'ops', args: [opName('name'), buf('x', 'outer * n * inner'), count('outer'), count('n'), count('inner'), buf('out', 'outer * inner', 'out')], wasm: 'custom' },
  { name: 'stridedCopy', file: 'ops', args: [buf('src', 'srcOffset + extent'), num('srcOffset'), dims('srcStrides'), buf('dst', 'dstOffset + extent', 'inout'), num('dstOffset'), dims('dstStrides'), dims('shape')], wasm: 'custom' },
];
