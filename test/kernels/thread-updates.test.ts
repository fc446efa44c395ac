// The optimiser updates (SGD, momentum, Nesterov, Adam, RMSprop, Adagrad), biasAdd and the
// activations shared with the worker threads in element ranges (biasAdd, activations: row bands) (src/kernels/kernel-table.ts, `policy: 'window'`) give the bits of the
// one-thread kernel, whatever the split: each element's arithmetic is the same in the SIMD body
// and the scalar tail of assembly/elementwise.ts, so the chunk boundaries (not multiples of 4)
// cannot show in the result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/index.js';
import { oneThenTwoThreads, randF32, w } from './helpers.js';

const N = 100_003;
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Runs every update kernel twice (two steps) on fresh copies of the same data; the arrays it leaves, as bits. */
function updates(): number[][] {
  const out: number[][] = [];
  const r = new Rng(11), w0 = randF32(r, N), g0 = randF32(r, N), s0 = randF32(r, N).map(Math.abs), m0 = randF32(r, N);
  const buffers = (...src: Float32Array[]) => src.map((s) => { const b = w.alloc('float32', N) as Float32Array; b.set(s); return b; });
  const runs: [string, (a: Float32Array[]) => void, Float32Array[]][] = [
    ['sgd', ([x, g]) => w.sgdUpdate(x!, g!, 0.1), [w0, g0]],
    ['momentum', ([x, g, v]) => w.momentumUpdate(x!, g!, v!, 0.1, 0.9, false), [w0, g0, m0]],
    ['nesterov', ([x, g, v]) => w.momentumUpdate(x!, g!, v!, 0.1, 0.9, true), [w0, g0, m0]],
    ['adam', ([x, g, m, v]) => w.adamUpdate(x!, g!, m!, v!, 0.002, 0.9, 0.999, 1e-7, 3), [w0, g0, m0, s0]],
    ['rmsprop', ([x, g, s]) => w.rmspropUpdate(x!, g!, s!, 0.001, 0.9, 1e-7), [w0, g0, s0]],
    ['adagrad', ([x, g, s]) => w.adagradUpdate(x!, g!, s!, 0.01, 1e-7), [w0, g0, s0]],
    // biasAdd shares row bands (1009 rows of 99: a band boundary is never a multiple of 4 floats)
    ['biasAdd', ([x, b]) => w.biasAdd(x!, b!, 1009, 99), [w0, g0]],
    // the activations share row bands too, their f64 alpha passed through two i32 slots (0.1 is
    // not an f32: a rounded alpha would change leakyRelu's bits)
    ['leakyRelu', ([z, out]) => w.activationForward('leakyRelu', z!, out!, 1009, 99, 0.1), [w0, g0]],
    ['softmax', ([z, out]) => w.activationForward('softmax', z!, out!, 1009, 99, 0), [w0, g0]],
    ['leakyRelu backward', ([z, a, dy, dz]) => w.activationBackward('leakyRelu', z!, a!, dy!, dz!, 1009, 99, 0.1), [w0, g0, m0, s0]],
    ['softmax backward', ([z, a, dy, dz]) => w.activationBackward('softmax', z!, a!, dy!, dz!, 1009, 99, 0), [w0, g0.map(Math.abs), m0, s0]],
  ];
  for (const [, run, src] of runs) {
    const b = buffers(...src);
    run(b); run(b);
    for (const x of b) out.push(bits(x));
    for (const x of b) w.free(x);
  }
  return out;
}

describe('optimiser updates on worker threads', () => {
  it('split in element ranges over 2 threads, every update gives the one-thread bits', async () => {
    // updateParallelSize 0: share the updates of N weights too (below the default size)
    const { one, two, jobs } = await oneThenTwoThreads({ force: 'rows', updateParallelSize: 0 }, updates);
    assert.equal(jobs, 22, 'each of the 12 updates, 2 bias additions and 8 activations was shared');
    two.forEach((b, i) => assert.deepEqual(b, one[i], `array ${i} differs from one thread's`));
  });
});
