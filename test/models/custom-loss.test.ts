// Losses and metrics written with ops (src/models/custom-loss.ts), Keras's reduction, and saving them by name.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  abs, Adam, clipByValue, Dense, gradCheck, SGD, loadModel, log, mean, minimum, mul, oneHot, pow, relu, Rng, Sequential, sub, sum, Tensor, tensor,
  type LossFunction, type LossName,
} from '../../src/index.js';

const EPS = 1e-7; // the kernels' clip of probabilities (PROBABILITY_EPSILON)
const clip = (p: Tensor) => clipByValue(p, EPS, 1 - EPS);

// The built-in losses written with ops (per-sample values; compile reduces by the mean): the five of
// issue 13 and the hinge losses (targets -1 / +1).
const opsLosses: Record<LossName, LossFunction> = {
  meanSquaredError: function mseOps(y, p) { return mean(sub(y, p).square(), -1); },
  quadratic: function quadraticOps(y, p) { return mul(sum(sub(y, p).square(), -1), 0.5); },
  categoricalCrossentropy: function cceOps(y, p) { return sum(mul(y, log(clip(p))), -1).neg(); },
  sparseCategoricalCrossentropy: function sparseCceOps(y, p) { return sum(mul(oneHot(y, p.shape[1]!), log(clip(p))), -1).neg(); },
  binaryCrossentropy: function bceOps(y, p) { const q = clip(p); return mean(mul(y, log(q)).add(mul(sub(1, y), log(sub(1, q)))), -1).neg(); },
  hinge: function hingeOps(y, p) { return mean(relu(sub(1, mul(y, p))), -1); },
  squaredHinge: function squaredHingeOps(y, p) { return mean(relu(sub(1, mul(y, p))).square(), -1); },
};

/** Huber loss (Huber 1964; Keras's formula, delta = 1): 0.5 e^2 for |e| <= 1, |e| - 0.5 beyond. */
function huber(yTrue: Tensor, yPred: Tensor): Tensor {
  const e = abs(sub(yTrue, yPred)), q = minimum(e, 1);
  return mean(mul(q.square(), 0.5).add(sub(e, q)), -1);
}

/** Binary focal loss (Lin et al. 2017, eq. 5): -alpha_t (1 - p_t)^gamma log p_t, alpha_t = wPos for y = 1 and wNeg for y = 0. */
function focalWith(wPos: number, wNeg: number, gamma: number): LossFunction {
  return function focal(yTrue: Tensor, yPred: Tensor): Tensor {
    const p = clip(yPred);
    const pt = mul(yTrue, p).add(mul(sub(1, yTrue), sub(1, p)));
    const alphaT = mul(yTrue, wPos).add(mul(sub(1, yTrue), wNeg));
    return mean(mul(mul(alphaT, pow(sub(1, pt), gamma)), log(pt)).neg(), -1);
  };
}
const focal = focalWith(0.25, 0.75, 2);

/** A metric: the mean signed error per sample. */
function meanError(yTrue: Tensor, yPred: Tensor): Tensor { return mean(sub(yTrue, yPred), -1); }

function rows(n: number, d: number, seed: number): Tensor {
  const rng = new Rng(seed), a = new Float64Array(n * d);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return new Tensor(a, [n, d]);
}

/** Targets for each loss from x: one-hot rows, class indices, probabilities or real values. */
function targets(loss: LossName, x: Tensor, k: number): Tensor {
  const n = x.shape[0]!, d = x.shape[1]!, y = new Float64Array(loss === 'sparseCategoricalCrossentropy' ? n : n * k);
  for (let i = 0; i < n; i++) {
    const c = Math.abs(Math.floor(x.data[i * d]! * 3)) % k;
    if (loss === 'sparseCategoricalCrossentropy') y[i] = c;
    else if (loss === 'categoricalCrossentropy') y[i * k + c] = 1;
    else for (let j = 0; j < k; j++) {
      const v = x.data[i * d + (j % d)]!;
      y[i * k + j] = loss === 'binaryCrossentropy' ? (v > 0 ? 1 : 0) : loss === 'hinge' || loss === 'squaredHinge' ? (v > 0 ? 1 : -1) : v * 0.5 + j;
    }
  }
  return new Tensor(y, loss === 'sparseCategoricalCrossentropy' ? [n] : [n, k]);
}

const output = { meanSquaredError: 'linear', quadratic: 'tanh', categoricalCrossentropy: 'softmax', sparseCategoricalCrossentropy: 'softmax', binaryCrossentropy: 'sigmoid', hinge: 'tanh', squaredHinge: 'tanh' } as const;

function net(act: (typeof output)[LossName], seed = 11): Sequential {
  return new Sequential([new Dense({ units: 5, activation: 'tanh', inputShape: [4], dtype: 'float64' }), new Dense({ units: 3, activation: act, dtype: 'float64' })], { seed });
}

describe('loss functions written with ops', () => {
  for (const name of Object.keys(opsLosses) as LossName[]) {
    it(`${name} written with ops: the same loss and weights after 10 SGD steps as the built-in one (float64, 1e-10)`, async () => {
      const x = rows(12, 4, 3), y = targets(name, x, 3);
      const builtIn = net(output[name]), custom = net(output[name]);
      // 'accuracy' with a loss function reads one-hot rows or class indices as Keras does (by y's shape)
      const metrics = name.endsWith('ategoricalCrossentropy') ? ['accuracy' as const] : [];
      builtIn.compile({ optimizer: 'sgd', loss: name, metrics });
      custom.compile({ optimizer: 'sgd', loss: opsLosses[name], metrics });
      for (let s = 0; s < 10; s++) {
        const a = await builtIn.trainOnBatch(x, y), b = await custom.trainOnBatch(x, y);
        assert.ok(Math.abs(a.loss! - b.loss!) < 1e-10, `step ${s}: ${a.loss} vs ${b.loss}`);
        assert.equal(a['accuracy'], b['accuracy']);
      }
      const wa = builtIn.getWeights(), wb = custom.getWeights();
      wa.forEach((w, i) => w.data.forEach((v, j) => assert.ok(Math.abs(v - wb[i]!.data[j]!) < 1e-10, `${builtIn.weightNames()[i]}[${j}]`)));
      assert.ok(Math.abs(builtIn.evaluate(x, y, { batchSize: 5 }).loss! - custom.evaluate(x, y, { batchSize: 5 }).loss!) < 1e-10);
    });
  }

  it("reduction 'sum' scales the loss and the gradient by m, for built-in and function losses", async () => {
    const x = rows(8, 4, 5), y = targets('meanSquaredError', x, 3);
    const mean1 = net('linear'), sum1 = net('linear'), sumFn = net('linear');
    mean1.compile({ optimizer: new SGD({ learningRate: 0.08 }), loss: 'meanSquaredError' });
    sum1.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: { name: 'meanSquaredError', reduction: 'sum' } });
    sumFn.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: { name: opsLosses.meanSquaredError, reduction: 'sum' } });
    const a = await mean1.trainOnBatch(x, y), b = await sum1.trainOnBatch(x, y), c = await sumFn.trainOnBatch(x, y);
    assert.ok(Math.abs(b.loss! - 8 * a.loss!) < 1e-10 && Math.abs(c.loss! - b.loss!) < 1e-10);
    const w = mean1.getWeights();
    for (const m of [sum1, sumFn]) m.getWeights().forEach((t, i) => t.data.forEach((v, j) => assert.ok(Math.abs(v - w[i]!.data[j]!) < 1e-12)));
    assert.throws(() => mean1.compile({ optimizer: 'sgd', loss: { name: 'quadratic', reduction: 'mean' as never } }), /unknown reduction "mean"/);
  });

  it('gradCheck: a function loss (with a sum reduction) differentiates as central differences say', () => {
    const x = rows(6, 4, 12), y = targets('meanSquaredError', x, 3);
    const model = net('sigmoid');
    model.compile({ optimizer: 'sgd', loss: { name: huber, reduction: 'sum' } });
    const r = gradCheck(model, x, y);
    assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
  });

  it('Huber: a value by hand, and a line fit that outliers pull less than the squared error', async () => {
    // errors 0.5 and 3: 0.5 * 0.25 = 0.125 and 3 - 0.5 = 2.5; mean over the two outputs of the sample.
    assert.ok(Math.abs(huber(tensor([[1, 4]]), tensor([[0.5, 1]])).dataSync()[0]! - (0.125 + 2.5) / 2) < 1e-7);
    const n = 40, xs = new Float64Array(n), ys = new Float64Array(n);
    for (let i = 0; i < n; i++) { xs[i] = i / n; ys[i] = 2 * xs[i]! + 1 + (i % 10 === 0 ? 8 : 0); } // every tenth point an outlier
    const x = new Tensor(xs, [n, 1]), y = new Tensor(ys, [n, 1]);
    const slope = async (loss: LossFunction | 'meanSquaredError') => {
      const m = new Sequential([new Dense({ units: 1, inputShape: [1], dtype: 'float64' })], { seed: 1 });
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss });
      const h = await m.fit(x, y, { epochs: 300, batchSize: n });
      const l = h.history['loss']!;
      return { slope: m.getWeights()[0]!.data[0]!, first: l[0]!, last: l[l.length - 1]! };
    };
    const h = await slope(huber), s = await slope('meanSquaredError');
    assert.ok(h.last < h.first / 2, `Huber loss ${h.first} -> ${h.last}`);
    assert.ok(Math.abs(h.slope - 2) < Math.abs(s.slope - 2), `Huber slope ${h.slope}, squared error ${s.slope}`);
  });

  it('focal loss trains a classifier on imbalanced data; with alpha_t = 1, gamma = 0 it is the cross-entropy', async () => {
    const x = rows(200, 4, 9), yd = new Float64Array(200);
    for (let i = 0; i < 200; i++) yd[i] = x.data[i * 4]! + 0.5 * x.data[i * 4 + 1]! > 1 ? 1 : 0; // about 1 in 6 positive
    const y = new Tensor(yd, [200, 1]);
    const model = new Sequential([new Dense({ units: 8, activation: 'tanh', inputShape: [4], dtype: 'float64' }), new Dense({ units: 1, activation: 'sigmoid', dtype: 'float64' })], { seed: 2 });
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: focal, metrics: ['accuracy', huber] });
    const h = await model.fit(x, y, { epochs: 60, batchSize: 32 });
    assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]! / 2);
    assert.ok(h.history['accuracy']!.at(-1)! > 0.9, `accuracy ${h.history['accuracy']!.at(-1)}`);
    const logs = model.evaluate(x, y);
    const p = model.predict(x);
    assert.ok(Math.abs(logs['huber']! - huber(y, p).mean().dataSync()[0]!) < 1e-12);
    model.compile({ optimizer: 'sgd', loss: focalWith(1, 1, 0) });
    const asFocal = model.evaluate(x, y).loss!;
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    assert.ok(Math.abs(asFocal - model.evaluate(x, y).loss!) < 1e-12, `${asFocal} vs ${model.evaluate(x, y).loss}`);
  });

  it('a model compiled with functions saves their names and loads only with customObjects', async () => {
    const x = rows(10, 4, 4), y = targets('meanSquaredError', x, 3);
    const model = net('linear');
    model.compile({ optimizer: 'adam', loss: { name: huber, reduction: 'sum' }, metrics: ['mae', meanError] });
    await model.fit(x, y, { epochs: 2, batchSize: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'nabla-custom-loss-'));
    try {
      await model.save(dir);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      assert.deepEqual(json.compile.loss, { name: 'huber', fromLogits: false, reduction: 'sum', custom: true });
      assert.deepEqual(json.compile.metrics, ['mae', 'meanError']);
      await assert.rejects(loadModel(dir), /loss function 'huber'.*customObjects: \{ huber \}/);
      await assert.rejects(loadModel(dir, { customObjects: { huber } }), /metric function 'meanError'/);
      const loaded = await loadModel(dir, { customObjects: { huber, meanError } });
      assert.equal(loaded.loss!.reduction, 'sum');
      assert.deepEqual(loaded.evaluate(x, y), model.evaluate(x, y));
    } finally { rmSync(dir, { recursive: true, force: true }); }
    const anonymous = [(a: Tensor, b: Tensor) => sub(a, b)][0]!;
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: anonymous }), /needs a name/);
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'quadratic', metrics: [function loss(a: Tensor, b: Tensor) { return sub(a, b); }] }), /'loss' is the loss's log key/);
  });
});
