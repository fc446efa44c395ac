/**
 * The kernel table: every kernel of the {@link Backend} interface described ONCE. The rows live in
 * src/kernels/kernel-table/*.ts, one section (a heading of the interface) each; this file
 * assembles them in the interface's order. From these rows scripts/kernel-bindings.mjs (run by
 * scripts/build-wasm.mjs, so by `npm run build`) generates:
 *   - src/kernels/backend-kernels.generated.ts the Backend interface's kernel methods (interface
 *     BackendKernels, which Backend extends: each row's signature and doc comment, under its
 *     section's heading) and KERNEL_NAMES, by which the js backend picks its reference kernels;
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
 * A section (KernelSection) has a `title` (its heading comment in the interface, `// ---- title`),
 * optional `notes` (comment lines under the heading) and its `rows`.
 *
 * ## A row
 * - `name`: the Backend method; also the wasm export's name unless `wasm.export` says otherwise;
 *   the js reference is the function of that name in a module of src/kernels/js/index.ts.
 * - `file`: the AssemblyScript file (assembly/<file>.ts) that defines the export.
 * - `doc`: the method's doc comment (the API documentation: formula, shapes, aliasing, errors,
 *   source) as it reads between the comment's `*`s, in a template literal (code in backticks
 *   escaped: \`x\`): one line, or the lines after a line break, indented alike.
 * - `args`: the Backend method's parameters in order, made with the helpers of kernel-row.ts:
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
 *     `dims(name)`   a shape or strides (readonly number[]), `opName(name, tsType)` an op's name
 *       (UnaryOpName...; only in 'custom' and 'js' rows: a wrapper maps them to the export's
 *       arguments), `value(name, tsType)` any other parameter ('js' rows: passed through).
 *     option `tsType` (of `buf`) overrides the TypeScript type: 'TensorData' for an array of any
 *       dtype ('custom' and 'js' rows). Every type a row names must be listed in the generator's
 *       TYPE_MODULES (scripts/kernel-bindings.mjs), which writes the imports.
 * - `returns`: the method's result ('void' when absent).
 * - `wasm`: how the wasm backend runs it:
 *     'custom'  a hand-written wrapper in src/kernels/wasm/backend.ts (streaming reductions) or
 *               src/kernels/wasm/ops.ts (the tensor ops: broadcasts collapsed, comparisons' u8 output);
 *     'js'      no export: the js reference after the stale-buffer checks (of the buffers);
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
 *                 chunks ('gemm', 'window', 'perThread' or 'convKernelGrad', src/kernels/wasm/threads.ts), called with
 *                 (threads, ...policyArgs, argsOfCall); `KIND.<split>` in `policyArgs` is that
 *                 split's generated job kind. Every chunk must compute its elements exactly as
 *                 one thread would (a reduction is split only at the kernel's own blocks and
 *                 summed in their order: gemm's k-split and convKernelGrad's, reduction-split.ts), so
 *                 results do not depend on the thread count.
 * Buffers are staged inputs first ('in', 'inout', then 'out'), so an output that aliases an
 * input is read before it is written over.
 *
 * ## Adding a kernel
 * 1. the js reference, an exported function named as the kernel in one of the modules that
 *    src/kernels/js/index.ts spreads (a new module: one import and one spread there);
 * 2. the AssemblyScript body (`export function` in assembly/<file>.ts);
 * 3. one row, with its `doc`, in its section's file under src/kernels/kernel-table/;
 * then `npm run build` (which generates the Backend method, the wasm wrapper and the export list),
 * and a test against the js reference in test/kernels/wasm.test.ts. A missing js reference, or
 * one whose signature differs from the row's, does not compile (`satisfies BackendKernels`).
 */
import type { KernelRow, KernelSection } from './kernel-row.js';
import { ACTIVATIONS, BATCH_NORM, LINEAR_ALGEBRA, LOSSES } from './kernel-table/dense.js';
import { ELEMENTWISE, OPTIMISERS } from './kernel-table/elementwise.js';
import { TENSOR_OPS } from './kernel-table/ops.js';
import { RECURRENT } from './kernel-table/recurrent.js';
import { CONVOLUTION, POOLING } from './kernel-table/window.js';

export type { KernelArg, KernelRow, KernelSection, Mode, WasmBinding, ThreadSpec } from './kernel-row.js';
export { buf, i32buf, u32buf, count, num, flag, geom, dims, opName, value, activation, loss, ROWS_COLS } from './kernel-row.js';

/** The table's sections, in the Backend interface's order (each a heading of the generated interface). */
export const KERNEL_SECTIONS: readonly KernelSection[] = [
  LINEAR_ALGEBRA, ACTIVATIONS, LOSSES, CONVOLUTION, POOLING, BATCH_NORM, ELEMENTWISE, RECURRENT, OPTIMISERS, TENSOR_OPS,
];

/** The table: one row per kernel, in the Backend interface's order. */
export const KERNELS: readonly KernelRow[] = KERNEL_SECTIONS.flatMap((s) => s.rows);
