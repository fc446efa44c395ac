/**
 * The kernel table's rows for the elementwise kernels, reductions and
 * optimiser updates (src/kernels/kernel-table.ts
 * describes a row and assembles the table).
 */
import { buf, i32buf, u32buf, num, flag, ROWS_COLS, type KernelSection } from '../kernel-row.js';

/** Elementwise kernels and reductions over whole buffers. */
export const ELEMENTWISE: KernelSection = { title: 'elementwise and reductions', rows: [
  { name: 'axpy', file: 'elementwise',
    doc: `y += alpha x.`,
    args: [num('alpha'), buf('x', 'n'), buf('y', 'n', 'inout')], wasm: { let: ['n = x.length'], call: ['alpha', 'x', 'y', 'n'] } },
  { name: 'addScaled', file: 'elementwise',
    doc: `
      out = alpha x + beta y elementwise over x.length numbers (BLAS axpby written to a third
      buffer: an exponential moving average, decoupled weight decay, an interpolation); \`out\` may
      alias x or y.`,
    args: [buf('x', 'n'), num('alpha'), buf('y', 'n'), num('beta'), buf('out', 'n', 'out')], wasm: { let: ['n = x.length'], call: ['x', 'alpha', 'y', 'beta', 'out', 'n'] } },
  { name: 'scale', file: 'elementwise',
    doc: `x *= alpha (in place).`,
    args: [buf('x', 'n', 'inout'), num('alpha')], wasm: { let: ['n = x.length'], call: ['x', 'alpha', 'n'] } },
  { name: 'mul', file: 'elementwise',
    doc: `out = x (.) y elementwise; out may alias x or y.`,
    args: [buf('x', 'n'), buf('y', 'n'), buf('out', 'n', 'out')], wasm: { let: ['n = x.length'], call: ['x', 'y', 'out', 'n'] } },
  { name: 'clip', file: 'elementwise',
    doc: `x = clamp(x, lo, hi) (in place).`,
    args: [buf('x', 'n', 'inout'), num('lo'), num('hi')], wasm: { let: ['n = x.length'], call: ['x', 'lo', 'hi', 'n'] } },
  { name: 'sumSquares', file: 'elementwise',
    doc: `sum_i x_i^2, accumulated in float64.`,
    returns: 'number', args: [buf('x', 'x.length')], wasm: 'custom' },
  { name: 'allFinite', file: 'elementwise',
    doc: `True when no element is NaN or infinite.`,
    returns: 'boolean', args: [buf('x', 'x.length')], wasm: 'custom' },
  { name: 'dropoutMask', file: 'elementwise',
    doc: `In place: u_i (uniform in [0, 1)) becomes 0 where u_i < rate, else 1 / (1 - rate): an inverted-dropout mask.`,
    args: [buf('u', 'n', 'inout'), num('rate')], wasm: { let: ['n = u.length'], call: ['u', 'rate', '1 / (1 - rate)', 'n'] } },
  // A memory.copy per row when src lives in wasm memory (an Embedding's table, the recurrent layers'
  // copies), else the js reference's TypedArray.set per row (fit's data; src/kernels/wasm/backend.ts).
  { name: 'gatherRows', file: 'elementwise',
    doc: `dst row j = src row indices[start + j], for j < count; rows have \`cols\` numbers.`,
    args: [buf('src', 'src.length'), num('cols'), u32buf('indices', 'indices.length'), num('start'), num('count'), buf('dst', 'dst.length', 'out')], wasm: 'custom' },
  { name: 'argmaxRows', file: 'elementwise',
    doc: `out[r] = index of the first maximum of row r (rows x cols).`,
    args: [buf('x', 'rows * cols'), ...ROWS_COLS, i32buf('out', 'rows', 'out')], wasm: { jsIf: 'cols < 1', call: ['x', 'rows', 'cols', 'out'] } },
  { name: 'absDiffSum', file: 'elementwise',
    doc: `sum_i |x_i - y_i|.`,
    returns: 'number', args: [buf('x', 'x.length'), buf('y', 'x.length')], wasm: 'custom' },
] };

// Optimiser updates are element-wise, so any range [lo, hi) of the elements can run on any thread
// (each element's arithmetic is the same in the SIMD body and the scalar tail)
/** The optimisers' update rules. */
export const OPTIMISERS: KernelSection = { title: "optimiser updates (docs/design.md's formulas), all in place on w and the slots", rows: [
  { name: 'sgdUpdate', file: 'elementwise',
    doc: `w -= lr g.`,
    args: [buf('w', 'n', 'inout'), buf('g', 'n'), num('lr')], wasm: { let: ['n = w.length', 'work = 3 * n'], call: ['w', 'g', 'lr'], threads: { policy: 'window', when: 'work >= this.pool.updateParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'momentumUpdate', file: 'elementwise',
    doc: `v = momentum v - lr g; w += v, or with Nesterov w += momentum v - lr g (Keras form).`,
    args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('v', 'n', 'inout'), num('lr'), num('momentum'), flag('nesterov')],
    wasm: { let: ['n = w.length', 'work = 5 * n'], call: ['w', 'g', 'v', 'lr', 'momentum', 'nesterov'], threads: { policy: 'window', when: 'work >= this.pool.updateParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'adamUpdate', file: 'elementwise',
    doc: `Adam (Kingma & Ba, Keras form) at step t >= 1.`,
    args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('m', 'n', 'inout'), buf('v', 'n', 'inout'), num('lr'), num('beta1'), num('beta2'), num('epsilon'), num('t')],
    wasm: { let: ['n = w.length', 'work = 8 * n'], call: ['w', 'g', 'm', 'v', 'lr', 'beta1', 'beta2', '1 - beta1', '1 - beta2', 'epsilon', '1 - Math.pow(beta1, t)', '1 - Math.pow(beta2, t)'], threads: { policy: 'window', when: 'work >= this.pool.updateParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'rmspropUpdate', file: 'elementwise',
    doc: `RMSprop: s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + epsilon).`,
    args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('s', 'n', 'inout'), num('lr'), num('rho'), num('epsilon')],
    wasm: { let: ['n = w.length', 'work = 6 * n'], call: ['w', 'g', 's', 'lr', 'rho', '1 - rho', 'epsilon'], threads: { policy: 'window', when: 'work >= this.pool.updateParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
  { name: 'adagradUpdate', file: 'elementwise',
    doc: `Adagrad: s += g^2; w -= lr g / (sqrt(s) + epsilon).`,
    args: [buf('w', 'n', 'inout'), buf('g', 'n'), buf('s', 'n', 'inout'), num('lr'), num('epsilon')],
    wasm: { let: ['n = w.length', 'work = 6 * n'], call: ['w', 'g', 's', 'lr', 'epsilon'], threads: { policy: 'window', when: 'work >= this.pool.updateParallelSize', policyArgs: 'n, work, KIND.elements', splits: { elements: 'lo, hi' }, whole: '0, n' } } },
] };
