// Memory safety of dispose(): a disposed model, layer or optimiser throws DisposedError naming
// it on every use, on both backends, and can never read or change another (live) model's
// weights, even when the allocator has handed the disposed object's memory to that model.
// On wasm, stale views of freed blocks are refused by the kernels themselves.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Adam, BatchNormalization, Dense, DisposedError, Rng, SGD, Sequential, Tensor, getBackend, getKernels, setBackend,
} from '../../src/index.js';
import type { Param } from '../../src/nn/param.js';

const BACKENDS = ['js', 'wasm'] as const;

function data(n: number, seed: number): [Tensor, Tensor] {
  const rng = new Rng(seed), x = new Float32Array(n * 6), y = new Float32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) y[i] = rng.int(3);
  return [new Tensor(x, [n, 6]), new Tensor(y, [n])];
}

function mlp(name: string, seed: number): Sequential {
  return new Sequential([
    new Dense({ units: 7, activation: 'relu', inputShape: [6] }),
    new Dense({ units: 3, activation: 'softmax' }),
  ], { name, seed });
}

/** The bits of every parameter value and gradient of a model (copies). */
function bits(model: Sequential): number[][] {
  return model.layers.flatMap((l) => l.params().flatMap((p) => [p.value.data, p.grad.data]))
    .map((d) => Array.from(new Uint32Array(Float32Array.from(d).buffer)));
}

/** Byte offsets of every parameter and gradient buffer (meaningful on wasm: where they live in its memory). */
function offsets(params: Param[]): number[] {
  return params.flatMap((p) => [p.value.data.byteOffset, p.grad.data.byteOffset]);
}

function isDisposed(what: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof DisposedError, `expected a DisposedError, got ${String(e)}`);
    assert.equal(e.code, 'E_DISPOSED');
    assert.match(e.message, what);
    return true;
  };
}

for (const backend of BACKENDS) {
  describe(`dispose on the ${backend} backend`, () => {
    let previous = 'js';
    before(async () => { previous = getBackend(); await setBackend(backend); });
    after(async () => { await setBackend(previous as 'js' | 'wasm'); });

    it('dispose model A, create model B, use A: every use throws naming A and B keeps its exact bits', async () => {
      const [x, y] = data(24, 1);
      const a = mlp('model_a', 1);
      // Plain SGD, so A's and B's parameters are the only blocks of their sizes: before the fix,
      // a.fit() after dispose wrote A's gradients into what were now B's weights on wasm.
      a.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await a.fit(x, y, { epochs: 1, batchSize: 8 });
      const aOffsets = offsets(a.layers.flatMap((l) => l.params()));
      const aWeights = a.getWeights();
      a.dispose();
      assert.equal(a.disposed, true);

      const b = mlp('model_b', 2);
      b.build();
      if (backend === 'wasm') {
        const reused = offsets(b.layers.flatMap((l) => l.params())).filter((o) => aOffsets.includes(o));
        assert.ok(reused.length > 0, "B's parameters live in blocks A gave back (the case that used to corrupt B)");
      }
      b.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      await b.fit(x, y, { epochs: 1, batchSize: 8 });
      const bBits = bits(b), bPrediction = b.predict(x);

      const named = (use: string) => isDisposed(new RegExp(`^Sequential 'model_a' was disposed; ${use}\\(\\) cannot use it`));
      assert.throws(() => a.predict(x), named('predict'));
      await assert.rejects(a.fit(x, y, { epochs: 1, batchSize: 8 }), named('fit'));
      await assert.rejects(a.trainOnBatch(x, y), named('trainOnBatch'));
      assert.throws(() => a.evaluate(x, y), named('evaluate'));
      assert.throws(() => a.getWeights(), named('getWeights'));
      assert.throws(() => a.setWeights(aWeights), named('setWeights'));
      assert.throws(() => a.summary(), named('summary'));
      assert.throws(() => a.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }), named('compile'));
      assert.throws(() => a.trainStep(x, y), named('trainStep'));
      const dir = mkdtempSync(join(tmpdir(), 'nabla-dispose-'));
      try {
        await assert.rejects(a.save(join(dir, 'a')), named('save'));
        assert.deepEqual(readdirSync(dir), [], 'nothing was written');
      } finally { rmSync(dir, { recursive: true, force: true }); }
      // Its layers and optimiser were disposed with it.
      assert.throws(() => a.layers[0]!.forward(x, false), isDisposed(/^Dense 'dense_1' was disposed; forward\(\)/));
      assert.throws(() => a.optimizer!.applyGradients([]), isDisposed(/^SGD optimizer was disposed; applyGradients\(\)/));

      a.dispose(); // a second dispose is harmless: it frees nothing that B (or C) now owns
      const c = mlp('model_c', 3);
      c.build();
      if (backend === 'wasm') {
        const bSet = new Set(offsets(b.layers.flatMap((l) => l.params())));
        assert.ok(offsets(c.layers.flatMap((l) => l.params())).every((o) => !bSet.has(o)), "C does not get B's blocks");
      }
      assert.deepEqual(bits(b), bBits, "B's weights and gradients are bit-identical");
      assert.deepEqual(Array.from(b.predict(x).data), Array.from(bPrediction.data));
      b.dispose(); c.dispose();
    });

    it('a layer used alone: dispose L1, build L2, use L1: throws naming L1 and L2 keeps its exact bits', () => {
      const rng = new Rng(4);
      const x = new Tensor(Float32Array.from({ length: 5 * 4 }, () => rng.normal()), [5, 4]);
      const dy = new Tensor(Float32Array.from({ length: 5 * 3 }, () => rng.normal()), [5, 3]);
      const l1 = new Dense({ units: 3, activation: 'tanh', inputShape: [4], name: 'lonely' });
      l1.forward(x, true);
      l1.backward(dy, true);
      const staleParams = l1.params();
      l1.dispose();
      const l2 = new Dense({ units: 3, activation: 'tanh', inputShape: [4], name: 'other' });
      l2.forward(x, true);
      l2.backward(dy, true);
      const snapshot = () => l2.params().flatMap((p) => [Array.from(p.value.data), Array.from(p.grad.data)]);
      const before = snapshot();

      const named = (use: string) => isDisposed(new RegExp(`^Dense 'lonely' was disposed; ${use}\\(\\) cannot use it`));
      assert.throws(() => l1.forward(x, true), named('forward'));
      assert.throws(() => l1.backward(dy, true), named('backward'));
      assert.throws(() => l1.params(), named('params'));
      assert.throws(() => l1.build([1, 4]), named('build'));
      assert.throws(() => l1.getConfig(), named('getConfig'));
      assert.throws(() => new Sequential([l1]), isDisposed(/^Dense 'lonely' was disposed; Sequential\.add\(\)/));
      l1.dispose();
      assert.equal(l1.describe(), "Dense 'lonely'");
      if (backend === 'wasm') // raw views kept from params() are stale: the kernels refuse them
        assert.throws(() => new SGD().applyGradients(staleParams), isDisposed(/^The wasm buffer passed to sgdUpdate as '\w+' was disposed/));
      assert.deepEqual(snapshot(), before, "L2's weights and gradients are unchanged");
      l2.dispose();

      const bn = new BatchNormalization({ name: 'bn' });
      bn.forward(x, true);
      bn.dispose();
      assert.throws(() => bn.forward(x, false), isDisposed(/^BatchNormalization 'bn' was disposed; forward\(\)/));
      assert.throws(() => bn.stateTensors(), isDisposed(/^BatchNormalization 'bn' was disposed; stateTensors\(\)/));
      bn.dispose();
    });

    it('an optimiser: dispose O1, train with O2, use O1: throws naming it and O2 keeps its slots', () => {
      const layer = new Dense({ units: 2, inputShape: [3], name: 'd' });
      layer.build([1, 3]);
      const params = layer.params();
      for (const p of params) p.grad.data.fill(0.5);
      const o1 = new Adam({ learningRate: 0.01 });
      o1.applyGradients(params);
      o1.dispose();
      const o2 = new Adam({ learningRate: 0.01 });
      o2.applyGradients(params);
      const slots = o2.getSlots().map((s) => [s.name, Array.from(s.tensor.data)]);
      const values = params.map((p) => Array.from(p.value.data));

      const named = (use: string) => isDisposed(new RegExp(`^Adam optimizer was disposed; ${use}`));
      assert.throws(() => o1.applyGradients(params), named('applyGradients\\(\\)'));
      assert.throws(() => o1.getSlots(), named('getSlots\\(\\)'));
      assert.throws(() => o1.setSlots([]), named('setSlots\\(\\)'));
      assert.throws(() => o1.getConfig(), named('getConfig\\(\\)'));
      assert.throws(() => { o1.learningRate = 0.1; }, named('setting learningRate'));
      const model = new Sequential([new Dense({ units: 1, inputShape: [3] })]);
      assert.throws(() => model.compile({ optimizer: o1, loss: 'meanSquaredError' }), named('compile\\(\\)'));
      o1.dispose();
      assert.equal(String(o1), 'Adam(disposed)');
      assert.deepEqual(o2.getSlots().map((s) => [s.name, Array.from(s.tensor.data)]), slots, "O2's slots are unchanged");
      assert.deepEqual(params.map((p) => Array.from(p.value.data)), values, 'the parameters are unchanged');
      o2.dispose(); layer.dispose(); model.dispose();
    });

    it('an optimiser shared by two models is disposed with the last of them; recompiling keeps it', async () => {
      const [x, y] = data(16, 5);
      const shared = new SGD({ learningRate: 0.1, momentum: 0.9 });
      const a = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [6], name: 'a_out' })], { seed: 1 });
      const b = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [6], name: 'b_out' })], { seed: 2 });
      a.compile({ optimizer: shared, loss: 'sparseCategoricalCrossentropy' });
      a.compile({ optimizer: shared, loss: 'sparseCategoricalCrossentropy' }); // the same instance again: not disposed
      b.compile({ optimizer: shared, loss: 'sparseCategoricalCrossentropy' });
      await a.fit(x, y, { epochs: 1, batchSize: 8 });
      a.dispose();
      assert.equal(shared.disposed, false, 'B still trains with it');
      b.build();
      const before = b.getWeights()[0]!.data.slice();
      await b.fit(x, y, { epochs: 1, batchSize: 8 });
      assert.notDeepEqual(Array.from(b.getWeights()[0]!.data), Array.from(before), 'B trained');
      b.dispose();
      assert.equal(shared.disposed, true, 'disposed with the last model');
    });
  });
}

describe('dispose: stale wasm buffers at the kernel level', () => {
  let previous = 'js';
  before(async () => { previous = getBackend(); await setBackend('wasm'); });
  after(async () => { await setBackend(previous as 'js' | 'wasm'); });

  it('a freed block handed out again cannot be read or written through the old view, nor freed twice', () => {
    const k = getKernels();
    assert.equal(k.name, 'wasm');
    const old = k.alloc('float32', 100) as Float32Array;
    old.fill(1);
    k.free(old);
    const owner = k.alloc('float32', 100) as Float32Array;
    assert.equal(owner.byteOffset, old.byteOffset, 'the allocator reused the block (the dangerous case)');
    owner.fill(7);
    const stale = isDisposed(/^The wasm buffer passed to \w+ as '\w+' was disposed/);
    assert.throws(() => k.scale(old, 2), stale);
    assert.throws(() => k.axpy(1, owner, old), stale);
    assert.throws(() => k.gemm(false, false, 10, 10, 1, 1, owner, owner, 0, old), stale);
    assert.throws(() => k.sumSquares(old), stale);
    assert.throws(() => k.allFinite(old), stale);
    assert.throws(() => k.absDiffSum(old, owner), stale);
    assert.throws(() => k.adamUpdate(old, owner, owner, owner, 0.1, 0.9, 0.999, 1e-7, 1), stale);
    assert.throws(() => k.gatherRows(owner, 10, Uint32Array.from([0]), 0, 1, old), stale);
    assert.ok(owner.every((v) => v === 7), "the block's new owner is untouched");
    k.free(old); // a double free through the stale view does nothing
    k.free(owner.subarray(0)); // nor does freeing a view that alloc did not make
    const next = k.alloc('float32', 100) as Float32Array;
    assert.notEqual(next.byteOffset, owner.byteOffset, "the owner's block was not released by the stale free");
    next.fill(3);
    assert.ok(owner.every((v) => v === 7));
    k.scale(owner, 2); // the live view works
    assert.ok(owner.every((v) => v === 14));
    k.free(owner); k.free(next);
  });
});
