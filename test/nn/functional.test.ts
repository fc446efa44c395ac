// nn/functional: each forward/backward pair against central finite differences (float64, small
// shapes, js backend), the layer classes against the functions (bit-identical), the layer contract's
// declared capabilities (stochastic, blocksGradient, RNG state) and the import-cycle check.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  Activation, loadCheckpoint, registerLayer, saveCheckpoint, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, functional as F, getKernels, gradCheck, jsBackend, Layer,
  MaxPooling2D, Rng, Sequential, Tensor, type ActivationName, type FloatArray,
} from '../../src/index.js';
import { withBackend } from '../../src/kernels/index.js';
import { Workspace } from '../../src/kernels/workspace.js';
import { windowGeometry } from '../../src/nn/layers/window.js';
// @ts-expect-error: a plain ESM script without type declarations
import { findCycles } from '../../scripts/check-cycles.mjs';

const EPS = 1e-6;
const TOL = 1e-7;

/** Random values in ±[0.1, 1] (away from kinks and ties), float64. */
function rand(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1), d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform());
  return new Tensor(d, shape);
}

/** L = sum_i y_i g_i: a scalar whose gradient with respect to y is g. */
function dot(y: Tensor, g: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i]! * g.data[i]!;
  return s;
}

/** Asserts analytic[i] ~ (L(w_i + eps) - L(w_i - eps)) / (2 eps) for every entry of w. */
function checkGradient(what: string, w: FloatArray, analytic: ArrayLike<number>, loss: () => number): void {
  const want = Array.from(analytic);
  for (let i = 0; i < w.length; i++) {
    const saved = w[i]!;
    w[i] = saved + EPS; const plus = loss();
    w[i] = saved - EPS; const minus = loss();
    w[i] = saved;
    const numeric = (plus - minus) / (2 * EPS);
    assert.ok(Math.abs(numeric - want[i]!) <= TOL * Math.max(1, Math.abs(numeric)), `${what}[${i}]: backward ${want[i]} vs finite difference ${numeric}`);
  }
}

/** Runs fn on the js backend with a float64 scratch. */
function js64(fn: (k: ReturnType<typeof getKernels>, ws: F.Scratch) => void): void {
  const workspace = new Workspace();
  try { withBackend(jsBackend, () => fn(getKernels(), F.scratchFrom(workspace, 'float64'))); }
  finally { workspace.dispose(); }
}

const grad = (shape: readonly number[]) => new Tensor(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape);

describe('functional ops against finite differences (float64)', () => {
  for (const activation of ['tanh', 'linear', 'softmax'] as ActivationName[]) {
    it(`linearForward / linearBackward, ${activation}`, () => js64((k, ws) => {
      const rng = new Rng(1), x = rand(rng, [3, 4]), W = rand(rng, [4, 5]), b = rand(rng, [5]), g = rand(rng, [3, 5]);
      const kernel = { value: W, grad: grad(W.shape) }, bias = { value: b, grad: grad(b.shape) };
      const loss = () => dot(F.linearForward(k, ws, x, W, b, activation).a, g);
      const cache = F.linearForward(k, ws, x, W, b, activation);
      const dx = Array.from(F.linearBackward(k, ws, g, cache, kernel, bias, activation, true)!.data);
      checkGradient('dx', x.data, dx, loss);
      checkGradient('dW', W.data, kernel.grad.data.slice(), loss);
      checkGradient('db', b.data, bias.grad.data.slice(), loss);
    }));
  }

  it('conv2dForward / conv2dBackward, sigmoid, strides 2, same padding', () => js64((k, ws) => {
    const rng = new Rng(2), x = rand(rng, [2, 5, 4, 2]), W = rand(rng, [3, 2, 2, 3]), b = rand(rng, [3]);
    const geometry = windowGeometry('test', 'kernel', x.shape, [3, 2], [2, 2], 'same');
    const g = rand(rng, [2, geometry.outH, geometry.outW, 3]);
    const kernel = { value: W, grad: grad(W.shape) }, bias = { value: b, grad: grad(b.shape) };
    const loss = () => dot(F.conv2dForward(k, ws, x, W, b, geometry, 'sigmoid').a, g);
    const cache = F.conv2dForward(k, ws, x, W, b, geometry, 'sigmoid');
    const dx = Array.from(F.conv2dBackward(k, ws, g, cache, kernel, bias, 'sigmoid', true)!.data);
    checkGradient('dx', x.data, dx, loss);
    checkGradient('dW', W.data, kernel.grad.data.slice(), loss);
    checkGradient('db', b.data, bias.grad.data.slice(), loss);
  }));

  it('maxPool2d and avgPool2d forward / backward (valid and same padding)', () => js64((k, ws) => {
    const rng = new Rng(3), x = rand(rng, [2, 5, 5, 2]);
    for (const pad of ['valid', 'same'] as const) {
      const geometry = windowGeometry('test', 'pool', x.shape, [2, 2], [2, 2], pad);
      const g = rand(rng, [2, geometry.outH, geometry.outW, 2]), argmax = new Int32Array(g.size);
      const maxLoss = () => dot(F.maxPool2dForward(k, ws, x, geometry, argmax), g);
      maxLoss();
      checkGradient(`max ${pad} dx`, x.data, F.maxPool2dBackward(k, ws, g, argmax, x.shape).data.slice(), maxLoss);
      const avgLoss = () => dot(F.avgPool2dForward(k, ws, x, geometry), g);
      avgLoss();
      checkGradient(`avg ${pad} dx`, x.data, F.avgPool2dBackward(k, ws, g, geometry, x.shape).data.slice(), avgLoss);
    }
  }));

  it('batchNormForward / batchNormBackward with batch statistics', () => js64((k, ws) => {
    const rng = new Rng(4), x = rand(rng, [4, 2, 3]), gamma = rand(rng, [3]), beta = rand(rng, [3]), g = rand(rng, [4, 2, 3]);
    const moving = { mean: grad([3]), variance: grad([3]) };
    const loss = () => dot(F.batchNormForward(k, ws, x, gamma, beta, moving, 0.9, 1e-3, true).y, g);
    const { cache } = F.batchNormForward(k, ws, x, gamma, beta, moving, 0.9, 1e-3, true);
    const gammaGrad = { value: gamma, grad: grad([3]) }, betaGrad = grad([3]);
    const dx = Array.from(F.batchNormBackward(k, ws, g, cache, gammaGrad, betaGrad, 1e-3, true)!.data);
    checkGradient('dx', x.data, dx, loss);
    checkGradient('dgamma', gamma.data, gammaGrad.grad.data.slice(), loss);
    checkGradient('dbeta', beta.data, betaGrad.data.slice(), loss);
  }));

  it('activationForward / activationBackward, softmax over the last axis of a rank-3 tensor', () => js64((k, ws) => {
    const rng = new Rng(5), x = rand(rng, [2, 3, 4]), g = rand(rng, [2, 3, 4]);
    const loss = () => dot(F.activationForward(k, ws, 'softmax', x), g);
    const a = F.activationForward(k, ws, 'softmax', x);
    checkGradient('dx', x.data, F.activationBackward(k, ws, 'softmax', x, a, g).data.slice(), loss);
  }));
});

describe('the layer classes are thin modules: bit-identical to the functions (float32, current backend)', () => {
  const bits = (t: Tensor | null) => Array.from(new Uint32Array(new Float32Array(t!.data).buffer));

  it('Dense (relu, l2-free) forward, backward and gradients', () => {
    const rng = new Rng(6), x = rand(rng, [5, 7]).cast('float32'), dy = rand(rng, [5, 3]).cast('float32');
    const layer = new Dense({ units: 3, activation: 'relu', inputShape: [7] });
    layer.seed = 11; layer.build([5, 7]);
    const y = bits(layer.forward(x, true)), dx = bits(layer.backward(dy, true));
    const [kernel, bias] = layer.params().map((p) => ({ value: p.value.clone(), grad: p.grad.clone() }));
    const workspace = new Workspace(), ws = F.scratchFrom(workspace, 'float32'), k = getKernels();
    const cache = F.linearForward(k, ws, x, kernel!.value, bias!.value, 'relu');
    assert.deepEqual(bits(cache.a), y);
    assert.deepEqual(bits(F.linearBackward(k, ws, dy, cache, kernel!, bias!, 'relu', true)), dx);
    assert.deepEqual(bits(kernel!.grad), bits(layer.params()[0]!.grad));
    assert.deepEqual(bits(bias!.grad), bits(layer.params()[1]!.grad));
    workspace.dispose(); layer.dispose();
  });

  it('Conv2D (tanh, same padding, strides 2) forward, backward and gradients', () => {
    const rng = new Rng(7), x = rand(rng, [3, 6, 5, 2]).cast('float32');
    const layer = new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' });
    layer.seed = 12; layer.build(x.shape);
    const out = layer.forward(x, true), y = bits(out), dy = rand(rng, [...out.shape]).cast('float32');
    const dx = bits(layer.backward(dy, true));
    const [kernel, bias] = layer.params().map((p) => ({ value: p.value.clone(), grad: p.grad.clone() }));
    const workspace = new Workspace(), ws = F.scratchFrom(workspace, 'float32'), k = getKernels();
    const cache = F.conv2dForward(k, ws, x, kernel!.value, bias!.value, windowGeometry('test', 'kernel', x.shape, [3, 3], [2, 2], 'same'), 'tanh');
    assert.deepEqual(bits(cache.a), y);
    assert.deepEqual(bits(F.conv2dBackward(k, ws, dy, cache, kernel!, bias!, 'tanh', true)), dx);
    assert.deepEqual(bits(kernel!.grad), bits(layer.params()[0]!.grad));
    assert.deepEqual(bits(bias!.grad), bits(layer.params()[1]!.grad));
    workspace.dispose(); layer.dispose();
  });
});

/** A custom layer that declares itself stochastic (adds seeded noise in training) and has a random stream. */
class Noise extends Layer {
  private readonly rng = new Rng(5);
  get className(): string { return 'Noise'; }
  override get stochastic(): boolean { return true; }
  override getRngState() { return this.rng.getState(); }
  override setRngState(state: ReturnType<Rng['getState']>): void { this.rng.setState(state); }
  computeOutputShape(s: readonly number[]): number[] { return [...s]; }
  forward(x: Tensor): Tensor { return x; }
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null { return needsInputGradient ? dy : null; }
}

/** A custom layer that blocks the gradient without a 'step' activation (a quantiser, say). */
class Quantise extends Noise {
  override get className(): string { return 'Quantise'; }
  override get stochastic(): boolean { return false; }
  override get blocksGradient(): boolean { return true; }
}

describe('the layer contract: declared capabilities, not class names', () => {
  const xy = () => [new Tensor(Float64Array.from([0.5, -0.3, 0.2, 0.9]), [2, 2]), new Tensor(Float64Array.from([0, 1]), [2])] as const;
  const model = (middle: Layer) => {
    const m = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [2], dtype: 'float64' }), middle,
      new Dense({ units: 2, activation: 'softmax', dtype: 'float64' })], { seed: 1 });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    return m;
  };

  it('gradCheck refuses a custom stochastic layer through the flag', () => {
    const [x, y] = xy();
    assert.throws(() => gradCheck(model(new Noise({ dtype: 'float64' })), x, y), /Noise 'noise_1' draws random numbers in training mode/);
  });

  it('compile refuses weights before a custom layer that blocks the gradient; gradCheck refuses the layer', () => {
    const [x, y] = xy();
    const dense = () => new Dense({ units: 2, activation: 'softmax', inputShape: [2], dtype: 'float64' });
    const after = new Sequential([dense(), new Quantise({ dtype: 'float64' })]);
    assert.throws(() => after.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' }), /compile: Quantise 'quantise_1' blocks the gradient/);
    const first = new Sequential([new Quantise({ dtype: 'float64', inputShape: [2] }), dense()]);
    first.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    assert.throws(() => gradCheck(first, x, y), /Quantise 'quantise_1' blocks the gradient/);
  });

  it('Dropout declares itself stochastic only with rate > 0; its RNG state goes through the base class', () => {
    assert.equal(new Dropout({ rate: 0.5 }).stochastic, true);
    assert.equal(new Dropout({ rate: 0 }).stochastic, false);
    const [x, y] = xy();
    assert.doesNotThrow(() => gradCheck(model(new Dropout({ rate: 0, dtype: 'float64' })), x, y));
    const d: Layer = new Dropout({ rate: 0.5, seed: 3 });
    const s = d.getRngState();
    assert.ok(s !== null && s.s.length === 4);
    assert.equal(new Dense({ units: 1 }).getRngState(), null);
    assert.throws(() => new Dense({ units: 1, name: 'd' }).setRngState(s), /Dense 'd' has no random stream/);
  });

  it("a custom layer's random stream is saved in a checkpoint and restored, through getRngState / setRngState", async () => {
    registerLayer('Noise', (c) => new Noise(c));
    const [x, y] = xy(), m = model(new Noise({ dtype: 'float64' }));
    await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const noise = m.layers[1]!;
    noise.setRngState({ s: [1, 2, 3, 4], spare: null });
    const dir = mkdtempSync(join(tmpdir(), 'nabla-rng-'));
    try {
      await saveCheckpoint(dir, m, { fitArgs: { epochs: 1 } });
      const training = JSON.parse(readFileSync(join(dir, 'training.json'), 'utf8')) as { rng: Record<string, unknown> };
      assert.deepEqual(Object.keys(training.rng), ['noise_1']);
      const ck = await loadCheckpoint(dir);
      assert.deepEqual(ck.model.layers[1]!.getRngState(), { s: [1, 2, 3, 4], spare: null });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('compile counts an unbuilt Conv2D (no className check) as weights a step activation would starve', () => {
    const m = new Sequential([new Conv2D({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1] }), new Activation({ activation: 'step' })]);
    assert.equal(m.layers[0]!.hasWeights, true);
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }), /'step' activation, whose derivative is 0/);
    assert.equal(new MaxPooling2D().hasWeights, false);
    assert.equal(new AveragePooling2D().blocksGradient, false);
    assert.equal(new BatchNormalization({ center: false, scale: false }).hasWeights, false);
  });
});

describe('scripts/check-cycles.mjs (madge)', () => {
  it('finds no import cycle in src/, and does find a cycle closed by a dynamic import', async () => {
    const src = await findCycles(join(import.meta.dirname, '..', '..', 'src'));
    assert.ok(src.modules > 100, `only ${src.modules} modules read`);
    assert.deepEqual(src.cycles, []);
    const dir = mkdtempSync(join(tmpdir(), 'nabla-cycles-'));
    try {
      mkdirSync(join(dir, 'm'));
      writeFileSync(join(dir, 'm', 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'm', 'b.ts'), "export const b = 1;\nexport async function later() { return (await import('./a.js')).a; }\n");
      const found = await findCycles(dir);
      assert.deepEqual(found.cycles, [['m/a.ts', 'm/b.ts']]);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
