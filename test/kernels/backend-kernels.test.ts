// The kernel table is the one source of the Backend interface's kernels: every row is a method of
// the generated BackendKernels (KERNEL_NAMES), of the js backend (picked from the reference
// modules by name) and of the wasm backend, and neither backend has a kernel that is no row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KERNEL_NAMES } from '../../src/kernels/backend-kernels.generated.js';
import { jsBackend } from '../../src/kernels/js/index.js';
import { KERNEL_SECTIONS, KERNELS } from '../../src/kernels/kernel-table.js';
import { w } from './helpers.js';

/** The Backend members that are no kernel (src/kernels/backend.ts). */
const BUFFER_MEMBERS = ['name', 'alloc', 'free'];

describe('kernel table: one row per Backend kernel', () => {
  it('names are unique, documented, and are KERNEL_NAMES in the table order', () => {
    const names = KERNELS.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, 'duplicate row names');
    assert.deepEqual(names, [...KERNEL_NAMES]);
    assert.deepEqual(KERNEL_SECTIONS.flatMap((s) => s.rows), [...KERNELS]);
    for (const r of KERNELS) assert.ok(typeof r.doc === 'string' && r.doc.trim() !== '', `${r.name}: doc`);
  });

  it('the js backend has exactly the rows (plus name, alloc, free), each a function', () => {
    assert.deepEqual(Object.keys(jsBackend).sort(), [...BUFFER_MEMBERS, ...KERNEL_NAMES].sort());
    for (const name of KERNEL_NAMES) assert.equal(typeof jsBackend[name], 'function', name);
  });

  it('the wasm backend has a method for every row, and no other public kernel', () => {
    for (const name of KERNEL_NAMES) assert.equal(typeof w[name], 'function', name);
    const generated = Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(w)))
      .filter((k) => k !== 'constructor');
    for (const k of generated) assert.ok((KERNEL_NAMES as readonly string[]).includes(k), `WasmKernels.${k} is no row`);
  });

  it("the wasm backend refuses a freed buffer in a 'js' row (the stale-buffer check before the reference)", () => {
    const out = w.alloc('float32', 4);
    w.free(out);
    assert.throws(() => w.fillValue(out, 1), (e: Error & { code?: string }) => e.code === 'E_DISPOSED');
    const live = w.alloc('float32', 4);
    w.fillValue(live, 2);
    assert.deepEqual([...live], [2, 2, 2, 2]);
    w.free(live);
  });
});
