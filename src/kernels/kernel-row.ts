/**
 * The types of a row of the kernel table (src/kernels/kernel-table.ts, whose doc comment
 * describes every field). Kept apart so the generator and the table read the same definitions.
 */

/** How a kernel uses a buffer: read only, written only (not read), or read and written. */
export type Mode = 'in' | 'out' | 'inout';

/** One parameter of a kernel, in the Backend method's order. */
export type KernelArg =
  | { name: string; kind: 'float' | 'i32' | 'u32'; length: string; mode: Mode; nullable?: boolean; when?: string; writeOnlyIf?: string }
  | { name: string; kind: 'count' | 'number' | 'boolean' | 'window' | 'activation' | 'loss' | 'dims' | 'opName' };

/** How worker threads share a kernel (see the table's doc comment). */
export interface ThreadSpec {
  policy: 'gemm' | 'window' | 'perThread';
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
  args: KernelArg[];
  returns?: 'void' | 'number' | 'boolean';
  wasm: WasmBinding | 'custom' | 'js';
}
