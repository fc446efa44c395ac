/**
 * Turning on WebAssembly relaxed SIMD where the runtime has it behind a flag (Node 20-21:
 * --experimental-wasm-relaxed-simd), so the wasm backend can pick its fused multiply-add build
 * without users typing the flag. Nothing here runs at import: the backend's first initialisation
 * (`ready()`, `setBackend('wasm')`, the first synchronous use in Node) and the CLI's launcher call
 * {@link enableRelaxedSimd} before the module compiles. Imports only node-builtins (the CLI loads
 * it before any library module).
 */
import { nodeBuiltin } from './node-builtins.js';

/**
 * The smallest module using a relaxed-SIMD instruction: `() -> v128` computing
 * f32x4.relaxed_madd(i32x4.splat 0, i32x4.splat 0, i32x4.splat 0) (opcode 0xfd 0x105, the
 * relaxed-SIMD proposal's binary encoding).
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version 1
  1, 5, 1, 0x60, 0, 1, 0x7b, // type section: () -> v128
  3, 2, 1, 0, // function section: one function of type 0
  10, 19, 1, 17, 0, // code section: one body of 17 bytes, no locals
  0x41, 0, 0xfd, 0x11, 0x41, 0, 0xfd, 0x11, 0x41, 0, 0xfd, 0x11, // 3 x (i32.const 0; i32x4.splat)
  0xfd, 0x85, 0x02, 0x0b, // f32x4.relaxed_madd; end
]);

/** True when this runtime validates a relaxed-SIMD module now (flags as they are). */
export function relaxedSimdValidates(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/** True when NABLA_FMA (in `env`) is '0', 'off' or 'false': the plain build is wanted. */
export function fmaDisabled(env: Record<string, string | undefined>): boolean {
  const v = env['NABLA_FMA']?.toLowerCase();
  return v === '0' || v === 'off' || v === 'false';
}

/** The outcome of the last {@link enableRelaxedSimd} that set the V8 flag (for tests and logs). */
let flagSet = false;

/**
 * Makes relaxed SIMD available where it is only behind a V8 flag: when NABLA_FMA does not turn
 * FMA off and a relaxed-SIMD module fails to validate, sets --experimental-wasm-relaxed-simd
 * through node:v8's setFlagsFromString (Node only, via process.getBuiltinModule; browsers and
 * runtimes without node:v8 are left as they are) and validates again. Setting a flag after
 * start-up is allowed by V8 for this one (it is read when a module is validated and compiled);
 * modules compiled before keep their build. Idempotent and cheap (validates a 40-byte module).
 * @param env the environment to read NABLA_FMA from (process.env by default).
 * @returns true when relaxed SIMD validates afterwards (false also when NABLA_FMA turns it off).
 */
export function enableRelaxedSimd(env: Record<string, string | undefined> = typeof process !== 'undefined' ? process.env ?? {} : {}): boolean {
  if (fmaDisabled(env)) return false;
  if (relaxedSimdValidates()) return true;
  const v8 = nodeBuiltin<{ setFlagsFromString?: (flags: string) => void }>('node:v8');
  if (v8 === null || typeof v8.setFlagsFromString !== 'function') return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    flagSet = true;
  } catch {
    return false;
  }
  return relaxedSimdValidates();
}

/** True when {@link enableRelaxedSimd} set the V8 flag in this process. */
export function relaxedSimdFlagSet(): boolean {
  return flagSet;
}
