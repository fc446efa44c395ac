// The worker pool's job hand-over under stress: 100,000 shared jobs back to back,
// alternating 2 and 8 chunks, each an in-place biasAdd (x += b on a band of rows), so a chunk
// run twice (or one left out) changes x. A worker still in the claim loop of one job must not
// claim a chunk of the next while it is being written (src/kernels/wasm/threads.ts, run): the
// result must be the one-thread kernel's bits (the hand-over before the fix failed 3 runs of 3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/index.js';
import { oneThenTwoThreads, randF32, w } from './helpers.js';

const ROWS_SMALL = 2, ROWS_BIG = 64, COLS = 4, JOBS = 100_000;

/** x after JOBS alternating biasAdds (2 then 64 rows of x), as bits. */
function run(): number[] {
  const r = new Rng(3), x = w.alloc('float32', ROWS_BIG * COLS) as Float32Array, b = w.alloc('float32', COLS) as Float32Array;
  x.set(randF32(r, x.length)); b.set(randF32(r, COLS, 1e-3));
  for (let j = 0; j < JOBS; j++) w.biasAdd(x, b, j % 2 === 0 ? ROWS_SMALL : ROWS_BIG, COLS);
  const bits = Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
  w.free(x); w.free(b);
  return bits;
}

describe('worker pool job hand-over', () => {
  it('100,000 shared jobs of 2 and 8 chunks back to back give the one-thread bits', async () => {
    const { one, two, jobs, workerChunks } = await oneThenTwoThreads({ force: 'rows', windowParallelSize: 0 }, run);
    assert.equal(jobs, JOBS, 'every biasAdd was a shared job');
    assert.ok(workerChunks > 0, 'the worker ran chunks');
    assert.deepEqual(two, one);
  });
});
