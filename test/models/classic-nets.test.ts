// The course's small networks: XOR (2-2-1), Nielsen's NAND perceptron, Higham & Higham's 2-2-3-2.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Dense, getBackend, initializers, Rng, Sequential, setBackend, SGD, tensor, Tensor } from '../../src/index.js';

describe('XOR, NAND and Higham & Higham', () => {
  it('a 2-2-1 sigmoid network learns XOR for at least 4 of 5 seeds', async () => {
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y = tensor([[0], [1], [1], [0]]);
    let learned = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const model = new Sequential([new Dense({ units: 2, activation: 'sigmoid', inputShape: [2] }), new Dense({ units: 1, activation: 'sigmoid' })], { seed });
      model.compile({ optimizer: new SGD({ learningRate: 2 }), loss: 'binaryCrossentropy' });
      await model.fit(x, y, { epochs: 3000, batchSize: 4 });
      const p = model.predict(x).data;
      if (p[0]! < 0.5 && p[1]! > 0.5 && p[2]! > 0.5 && p[3]! < 0.5) learned++;
    }
    assert.ok(learned >= 4, `learned XOR for ${learned} of 5 seeds`);
  });

  it("a perceptron with weights (-2, -2) and bias 3 computes NAND (Nielsen ch. 1)", () => {
    const model = new Sequential([new Dense({ units: 1, activation: 'step', inputShape: [2] })]);
    model.build();
    model.setWeights([tensor([[-2], [-2]]), tensor([3])]);
    const out = model.predict(tensor([[0, 0], [0, 1], [1, 0], [1, 1]])).data;
    assert.deepEqual(Array.from(out), [1, 1, 1, 0]);
  });

  it('Higham & Higham (2019) sec. 2: 2-2-3-2 sigmoid, 0.5 N(0,1), one point per step, lr 0.05, 5e5 steps classify all 10 points for >= 4 of 5 seeds', async () => {
    // data/higham2019-toy/points10.csv (embedded): x1,x2,label,y1,y2 (the data of the paper's netbp.m).
    const rows = readFileSync(new URL('../../data/higham2019-toy/points10.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const xs = rows.map((r) => tensor([[Number(r[0]), Number(r[1])]])), ys = rows.map((r) => tensor([[Number(r[3]), Number(r[4])]]));
    assert.equal(xs.length, 10);
    const init = initializers.randomNormal({ mean: 0, stddev: 0.5 });
    // 2.5 million single-sample steps of a 17-parameter network: per-call overhead dominates, and the
    // reference kernels have the least of it. The algorithm, not the backend, is under test here.
    const previous = getBackend() as 'js' | 'wasm';
    await setBackend('js');
    let solved = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const dense = (units: number, inputShape?: number[]) => new Dense({ units, activation: 'sigmoid', kernelInitializer: init, biasInitializer: init, ...(inputShape ? { inputShape } : {}) });
      const model = new Sequential([dense(2, [2]), dense(3), dense(2)], { seed });
      model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'quadratic' });
      const pick = Rng.derive(seed, 'higham:points'); // with replacement, as the paper's randi
      for (let step = 0; step < 500_000; step++) { const i = pick.int(10); await model.trainOnBatch(xs[i]!, ys[i]!); }
      const p = model.predict(new Tensor(Float32Array.from(rows.flatMap((r) => [Number(r[0]), Number(r[1])])), [10, 2])).toArray() as number[][];
      if (p.every((o, i) => (o[0]! > o[1]! ? 'A' : 'B') === rows[i]![2])) solved++;
    }
    await setBackend(previous);
    assert.ok(solved >= 4, `all 10 points classified for ${solved} of 5 seeds`);
  });
});
