// The wasm backend as a whole: training agrees with the js backend, 1 and 2 threads give the
// same bits, buffers go back to their allocator, models move between backends, and the backend
// is chosen (or falls back to js) at start-up as documented.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, BatchNormalization, Sequential, SGD, Adam, Rng, Tensor, getKernels, setBackend, getBackend,
  setNumThreads, getNumThreads,
} from '../../src/index.js';
import type { Window2D } from '../../src/kernels/backend.js';
import { initDefaultBackend } from '../../src/kernels/index.js';
import { setWasmFeatureProbe } from '../../src/kernels/wasm/index.js';
import { close, place, randF32, w } from './helpers.js';

describe('wasm backend: training and selection', () => {
  function mlp(seed: number) {
    return new Sequential([
      new Dense({ units: 16, activation: 'tanh', inputShape: [13] }),
      new Dense({ units: 9, activation: 'relu' }),
      new Dense({ units: 4, activation: 'softmax' }),
    ], { seed });
  }

  it('a small MLP trained 20 steps gives the same weights on both backends (within 1e-4 relative to max(1, |w|))', async () => {
    const rng = new Rng(5);
    const x = new Tensor(randF32(rng, 32 * 13), [32, 13]);
    const labels = Float32Array.from({ length: 32 }, () => rng.int(4));
    const y = new Tensor(labels, [32]);
    const results: Tensor[][] = [];
    const before = getBackend();
    for (const backend of ['js', 'wasm'] as const)
      for (const opt of ['sgd', 'adam'] as const) {
        await setBackend(backend);
        const model = mlp(3);
        model.compile({ optimizer: opt === 'sgd' ? new SGD({ learningRate: 0.1, momentum: 0.9 }) : new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
        for (let step = 0; step < 20; step++) await model.trainOnBatch(x, y);
        if (backend === 'wasm') assert.ok(w.heap.owns(model.getWeights()[0]!.data) === false, 'getWeights returns copies on the JS heap');
        results.push(model.getWeights());
        model.dispose();
      }
    await setBackend(before as 'js' | 'wasm');
    for (let o = 0; o < 2; o++) {
      const [a, b] = [results[o]!, results[o + 2]!];
      assert.equal(a.length, b.length);
      a.forEach((t, i) => close(b[i]!.data, t.data, (j) => 1e-4 * Math.max(1, Math.abs(t.data[j]!)), `weights[${i}] (${o ? 'adam' : 'sgd'})`));
    }
  });

  it('a small CNN (conv, batch norm, max pool, dense) trained 20 steps gives the same weights on both backends (1e-4)', async () => {
    const rng = new Rng(7);
    const x = new Tensor(randF32(rng, 16 * 9 * 9 * 2), [16, 9, 9, 2]);
    const y = new Tensor(Float32Array.from({ length: 16 }, () => rng.int(3)), [16]);
    const results: Tensor[][] = [];
    const before = getBackend();
    for (const backend of ['js', 'wasm'] as const) {
      await setBackend(backend);
      const model = new Sequential([
        new Conv2D({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 9, 2] }),
        new BatchNormalization({}),
        new MaxPooling2D({ poolSize: 2 }),
        new Conv2D({ filters: 3, kernelSize: [2, 3], strides: [1, 2], activation: 'tanh' }),
        new Flatten(),
        new Dense({ units: 3, activation: 'softmax' }),
      ], { seed: 9 });
      model.compile({ optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy' });
      for (let step = 0; step < 20; step++) await model.trainOnBatch(x, y);
      results.push(model.getWeights());
      model.dispose();
    }
    await setBackend(before as 'js' | 'wasm');
    const [a, b] = results as [Tensor[], Tensor[]];
    assert.equal(a.length, b.length);
    a.forEach((t, i) => close(b[i]!.data, t.data, (j) => 1e-4 * Math.max(1, Math.abs(t.data[j]!)), `CNN weights[${i}]`));
  });

  it('1 and 2 threads give bit-identical gemm, im2col, col2im and training results', async () => {
    const before = getNumThreads();
    const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
    const runAll = async (threads: number) => {
      setNumThreads(threads);
      await setBackend('wasm'); // starts and waits for the workers
      const out: Uint32Array[] = [];
      const r = new Rng(99);
      for (const [m, n, k] of [[64, 128, 784], [784, 128, 64], [300, 301, 65], [129, 2051, 17], [1, 4096, 300], [4096, 1, 300], [512, 520, 509]] as const)
        for (const tA of [false, true]) for (const tB of [false, true]) {
          const a = place(randF32(r, m * k), true), b = place(randF32(r, k * n), true), c = place(randF32(r, m * n), true);
          w.gemm(tA, tB, m, n, k, 0.5, a, b, 0.25, c);
          out.push(bits(c).slice());
        }
      // many jobs in quick succession (the claim protocol under stress), odd shapes
      const sr = new Rng(77);
      for (let q = 0; q < 200; q++) {
        const m = 1 + sr.int(200), n = 1 + sr.int(200), k = 20 + sr.int(300), tA = sr.uniform() < 0.5, tB = sr.uniform() < 0.5;
        const a = place(randF32(sr, m * k), true), b = place(randF32(sr, k * n), true), c = place(new Float32Array(m * n), true);
        w.gemm(tA, tB, m, n, k, 1, a, b, 0, c);
        out.push(bits(c).slice());
        w.free(a); w.free(b); w.free(c);
      }
      const g: Window2D = { batch: 16, height: 28, width: 28, channels: 3, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padTop: 2, padLeft: 2, outH: 28, outW: 28 };
      const x = place(randF32(r, 16 * 28 * 28 * 3), true), col = w.alloc('float32', 16 * 28 * 28 * 75) as Float32Array;
      w.pool!.windowParallelSize = 1 << 16; // share im2col / col2im too (off by default)
      w.pool!.planner.force = 'rows'; // shared, whatever the measured costs say
      const jobsBefore = w.pool!.jobs, backedOffBefore = w.pool!.backedOff;
      w.im2col(x, g, col);
      out.push(bits(col).slice());
      const dx = w.alloc('float32', x.length) as Float32Array;
      w.col2im(col, g, dx);
      w.pool!.windowParallelSize = Infinity;
      w.pool!.planner.force = null;
      // shared, unless the straggler back-off (a busy machine) kept them on this thread
      if (threads > 1) assert.equal(w.pool!.jobs - jobsBefore + w.pool!.backedOff - backedOffBefore, 2, 'im2col and col2im were offered to the worker');
      out.push(bits(dx).slice());
      w.free(col); w.free(dx);
      const model = new Sequential([new Dense({ units: 64, activation: 'relu', inputShape: [200] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 4 });
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const xt = new Tensor(randF32(r, 128 * 200), [128, 200]), yt = new Tensor(Float32Array.from({ length: 128 }, () => r.int(10)), [128]);
      for (let i = 0; i < 5; i++) await model.trainOnBatch(xt, yt);
      for (const t of model.getWeights()) out.push(bits(t.data as Float32Array).slice());
      model.dispose();
      return out;
    };
    const one = await runAll(1);
    const jobs = w.pool?.jobs ?? 0, chunks = w.pool?.workerChunks ?? 0;
    const two = await runAll(2);
    assert.ok(w.pool !== null && w.pool.ready >= 1, 'a worker thread ran');
    assert.ok(w.pool.jobs - jobs >= 4, `work was offered to the worker (${w.pool.jobs - jobs} jobs)`);
    assert.ok(w.pool.workerChunks > chunks, 'the worker computed chunks');
    assert.equal(one.length, two.length);
    one.forEach((a, i) => assert.ok(a.length === two[i]!.length && a.every((v, j) => v === two[i]![j]), `result ${i} differs between 1 and 2 threads`));
    setNumThreads(before);
  });

  it('a model built on wasm and disposed while js is current gives its wasm memory back', async () => {
    const before = getBackend();
    await setBackend('wasm');
    const live0 = w.heap.liveBytes;
    const model = mlp(4);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const rng = new Rng(7);
    const x = new Tensor(randF32(rng, 8 * 13), [8, 13]), y = new Tensor(Float32Array.from({ length: 8 }, () => rng.int(4)), [8]);
    await model.fit(x, y, { epochs: 2, batchSize: 4, seed: 1 });
    assert.ok(w.heap.liveBytes > live0, 'the model lives in wasm memory');
    await setBackend('js');
    model.dispose();
    assert.equal(w.heap.liveBytes, live0, 'every buffer of the model, its optimiser and its workspaces was freed');
    await setBackend(before as 'js' | 'wasm');
  });

  it('a model built on one backend keeps training after a switch to the other', async () => {
    const before = getBackend();
    await setBackend('js');
    const model = mlp(4);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const rng = new Rng(6);
    const x = new Tensor(randF32(rng, 8 * 13), [8, 13]), y = new Tensor(Float32Array.from({ length: 8 }, () => rng.int(4)), [8]);
    const l0 = (await model.trainOnBatch(x, y)).loss;
    await setBackend('wasm');
    assert.equal(getKernels().name, 'wasm');
    for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
    const l1 = (await model.trainOnBatch(x, y)).loss;
    assert.ok(Number.isFinite(l1) && l1 < l0, `loss went from ${l0} to ${l1}`);
    await setBackend(before as 'js' | 'wasm');
  });

  it('falls back to js with a one-line notice when the SIMD probe fails', async () => {
    const before = getBackend();
    const old = setWasmFeatureProbe(() => false);
    try {
      const lines: string[] = [];
      assert.equal(await initDefaultBackend({}, (l) => lines.push(l)), 'js');
      assert.equal(getBackend(), 'js');
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /WebAssembly SIMD is not available.*'js' backend/);
      assert.ok(!lines[0]!.includes('\n'));
      await assert.rejects(setBackend('wasm'), /not available/);
    } finally {
      setWasmFeatureProbe(old);
    }
    const lines: string[] = [];
    assert.equal(await initDefaultBackend({}, (l) => lines.push(l)), 'wasm');
    assert.equal(await initDefaultBackend({ NABLA_BACKEND: 'js' }, (l) => lines.push(l)), 'js');
    assert.deepEqual(lines, []);
    await setBackend(before as 'js' | 'wasm');
  });

  it('NABLA_BACKEND=js forces js at start-up; the default is wasm', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const code = "import('./src/kernels/index.ts').then((m) => console.log(m.getBackend()))";
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    const forced = run({ NABLA_BACKEND: 'js' });
    assert.equal(forced.stdout.trim(), 'js', forced.stderr);
    const env = { ...process.env };
    delete env['NABLA_BACKEND'];
    const dflt = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, env, encoding: 'utf8' });
    assert.equal(dflt.stdout.trim(), 'wasm', dflt.stderr);
    assert.equal(dflt.stderr.trim(), '');
  });
});
