/**
 * The types of a row of the kernel table (src/kernels/kernel-table.ts, whose doc comment
 * describes every field) and the helpers the rows are written with. Kept apart so the generator,
 * the table's index and its section files (src/kernels/kernel-table/) read the same definitions.
 */

/** How a kernel uses a buffer: read only, written only (not read), or read and written. */
export type Mode = 'in' | 'out' | 'inout';

/** One parameter of a kernel, in the Backend method's order; `tsType` overrides the type its kind gives. */
export type KernelArg =
  | { name: string; kind: 'float' | 'i32' | 'u32'; length: string; mode: Mode; nullable?: boolean; when?: string; writeOnlyIf?: string; tsType?: string }
  | { name: string; kind: 'count' | 'number' | 'boolean' | 'window' | 'activation' | 'loss' | 'dims' | 'opName' | 'value'; tsType?: string };

/** How worker threads share a kernel (see the table's doc comment). */
export interface ThreadSpec {
  policy: 'gemm' | 'window' | 'perThread' | 'convKernelGrad';
  when: string;
  policyArgs: string;
  splits: Record<string, string>;
  whole: string;
}

/** How the wasm backend runs a kernel with a generated wrapper. */
export interface WasmBinding {
  export?: string;
  let?: string[];
  jsIf?: string;
  skipIf?: string;
  temp?: string[];
  call: string[];
  threads?: ThreadSpec;
}

/** One kernel. */
export interface KernelRow {
  name: string;
  file: string;
  /**
   * The Backend method's doc comment, as it reads between the comment's `*`s: one line, or lines
   * after a line break, indented alike (the generator removes their common indentation).
   */
  doc: string;
  args: KernelArg[];
  returns?: 'void' | 'number' | 'boolean';
  wasm: WasmBinding | 'custom' | 'js';
}

/** A section of the table: a group of the Backend interface's methods under one heading comment. */
export interface KernelSection {
  /** The heading, written `// ---- title` in the generated interface. */
  title: string;
  /** Comment lines under the heading (what holds for every kernel of the section). */
  notes?: readonly string[];
  rows: readonly KernelRow[];
}

type BufOptions = { nullable?: boolean; when?: string; writeOnlyIf?: string; tsType?: string };
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
/** A shape or strides, readonly number[] ('custom' and 'js' rows only). */
export const dims = (name: string): KernelArg => ({ name, kind: 'dims' });
/** An op's name, of type `tsType` (UnaryOpName, BinaryOpName, ReduceOpName...; 'custom' and 'js' rows only). */
export const opName = (name: string, tsType: string): KernelArg => ({ name, kind: 'opName', tsType });
/** Any other parameter, of type `tsType`, passed through unchecked ('js' rows only). */
export const value = (name: string, tsType: string): KernelArg => ({ name, kind: 'value', tsType });
/** An activation name (src/kernels/activation-registry.ts). */
export const activation = (name: string): KernelArg => ({ name, kind: 'activation' });
/** A loss name (src/kernels/loss-registry.ts). */
export const loss = (name: string): KernelArg => ({ name, kind: 'loss' });
/** The `rows` and `cols` counts of a rows x cols matrix. */
export const ROWS_COLS = [count('rows'), count('cols')];
