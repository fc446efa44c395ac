// Backend.gatherRows on wasm: from a source in wasm memory (an Embedding's table, the recurrent
// layers' time-major copies) rows are copied with memory.copy after every index is checked; from
// the JavaScript heap (fit's data) the js reference runs. Both give the js reference's rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/index.js';
import { jsBackend } from '../../src/kernels/js/index.js';
import { exact, randF32, w } from './helpers.js';

describe('gatherRows', () => {
  it('from wasm memory and from the JavaScript heap, the rows of the js reference', () => {
    const r = new Rng(5), rows = 37, cols = 13, src = randF32(r, rows * cols);
    const order = Uint32Array.from({ length: 50 }, () => r.int(rows));
    const want = new Float32Array(20 * cols);
    jsBackend.gatherRows(src, cols, order, 7, 20, want);
    const inWasm = w.alloc('float32', rows * cols) as Float32Array, dst = w.alloc('float32', 20 * cols) as Float32Array;
    inWasm.set(src);
    try {
      w.gatherRows(inWasm, cols, order, 7, 20, dst);
      exact(dst, want, 'source in wasm memory');
      dst.fill(0);
      w.gatherRows(src, cols, order, 7, 20, dst);
      exact(dst, want, 'source on the JavaScript heap');
    } finally { w.free(inWasm); w.free(dst); }
  });

  it('refuses an index outside the source, too few indices and a short destination (RangeError), before copying', () => {
    const src = w.alloc('float32', 4 * 3) as Float32Array, dst = w.alloc('float32', 2 * 3) as Float32Array;
    try {
      dst.fill(7);
      assert.throws(() => w.gatherRows(src, 3, Uint32Array.of(1, 4), 0, 2, dst), /index 4 at position 1 is outside the 4 rows/);
      assert.deepEqual([...dst], [7, 7, 7, 7, 7, 7], 'nothing was written');
      assert.throws(() => w.gatherRows(src, 3, Uint32Array.of(1), 0, 2, dst), /indices has 1 entries but 2 are needed/);
      assert.throws(() => w.gatherRows(src, 3, Uint32Array.of(0, 1, 2), 0, 3, dst), RangeError);
    } finally { w.free(src); w.free(dst); }
  });
});
