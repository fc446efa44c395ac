// Backend.gatherRows on wasm: from a source in wasm memory (fit stages its training data there)
// rows are copied with memory.copy after every index is checked; from the JavaScript heap the js
// reference runs. Both give the js reference's rows; fit trains to the same bits either way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, Rng, SGD, Sequential, Tensor, getKernels, setBackend } from '../../src/index.js';
import { jsBackend } from '../../src/kernels/js/index.js';
import { STAGE_LIMIT_BYTES } from '../../src/train/fit.js';
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

  it('fit stages float32 data up to STAGE_LIMIT_BYTES and trains to the bits of the js-gathered batches', async () => {
    assert.ok(STAGE_LIMIT_BYTES >= 64 * 2 ** 20, 'MNIST-sized data is staged');
    await setBackend('wasm');
    const r = new Rng(9), n = 300;
    const x = randF32(r, n * 20), y = Float32Array.from({ length: n }, () => r.int(4));
    const train = async (gatherFromHeap: boolean) => {
      const k = getKernels() as { gatherRows: typeof jsBackend.gatherRows };
      const own = k.gatherRows;
      if (gatherFromHeap) k.gatherRows = (s, c, i, st, cnt, d) => jsBackend.gatherRows(s, c, i, st, cnt, d);
      try {
        const m = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [20] }), new Dense({ units: 4, activation: 'softmax' })], { seed: 3 });
        m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
        await m.fit(new Tensor(x, [n, 20]), new Tensor(y, [n]), { epochs: 2, batchSize: 32, seed: 4 });
        return m.getWeights().map((t) => [...new Uint32Array((t.data as Float32Array).slice().buffer)]);
      } finally { k.gatherRows = own; }
    };
    assert.deepEqual(await train(false), await train(true));
  });
});
