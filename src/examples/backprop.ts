/**
 * Backpropagation four ways on Higham & Higham's 2-2-3-2 sigmoid network (SIAM Review 61(4), 2019,
 * §5, back propagation; their 10 points, quadratic cost C = (1/n) sum_i (1/2) ||y_i - a^[4](x_i)||^2, float64):
 *
 * 1. BP1-BP4 by hand, in plain loops, as the paper writes them for one point (their §5,
 *    Nielsen ch. 2's BP1-BP4): delta^L = sigma'(z^L) o (a^L - y), delta^l = sigma'(z^l) o
 *    (W^[l+1])^T delta^[l+1], dC/db^l = delta^l, dC/dW^l = delta^l (a^[l-1])^T, averaged over the points;
 * 2. nabla's backward pass (`model.computeGradients`, the fused kernels);
 * 3. the Jacobian view of CMU 10-707: with the loss a sum (1/2n) sum_i (h_i - y_i)^T (h_i - y_i), the
 *    gradient is (1/n) J_theta^T (h - y), J_theta = dh/dtheta from `model.jacobian(x)` ([n K, P]);
 * 4. central finite differences (C(theta + eps e_k) - C(theta - eps e_k)) / (2 eps), eps = 1e-5 (gradCheck's default).
 *
 * The plot shows, for each of the 23 gradient entries, the relative error of 1, 3 and 4 against 2.
 */
import { loadHigham } from '../data/classification-sets.js';
import { oneHot } from '../data/onehot.js';
import type { Sequential } from '../models/sequential.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import { highamNetwork } from './higham-common.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { compare, defineExample, logger, num, plot } from './util.js';

/** Options of {@link runBackprop}: only the common ones (the seed draws the weights, 0.5 N(0, 1)). */
export type BackpropOptions = CommonOptions;

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The gradient of C = (1/n) sum_i (1/2) ||y_i - a^L(x_i)||^2 for a sigmoid network by BP1-BP4, one
 * point at a time in column-vector form. `layers[l]` holds nabla's kernel `[in, out]` (so W^l is its
 * transpose) and bias; x is `[n, in]`, y `[n, out]`, row-major. Returns the gradient flattened in
 * nabla's weight order (each kernel row-major, then its bias).
 */
export function backpropByHand(layers: readonly { kernel: Float64Array; bias: Float64Array; inputs: number; units: number }[],
  x: ArrayLike<number>, y: ArrayLike<number>, n: number): Float64Array {
  const grads = layers.map((l) => ({ kernel: new Float64Array(l.kernel.length), bias: new Float64Array(l.bias.length) }));
  const nIn = layers[0]!.inputs, nOut = layers.at(-1)!.units;
  for (let i = 0; i < n; i++) {
    const a: Float64Array[] = [Float64Array.from({ length: nIn }, (_, j) => x[i * nIn + j]!)];
    for (const l of layers) { // forward: z^l = W^l a^[l-1] + b^l, a^l = sigma(z^l)
      const prev = a.at(-1)!, next = new Float64Array(l.units);
      for (let u = 0; u < l.units; u++) {
        let z = l.bias[u]!;
        for (let k = 0; k < l.inputs; k++) z += l.kernel[k * l.units + u]! * prev[k]!;
        next[u] = sigma(z);
      }
      a.push(next);
    }
    const out = a.at(-1)!; // BP1: delta^L = sigma'(z^L) o (a^L - y), with sigma'(z) = a (1 - a)
    let delta = Float64Array.from(out, (v, u) => v * (1 - v) * (v - y[i * nOut + u]!));
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l]!, prev = a[l]!;
      for (let u = 0; u < L.units; u++) {
        grads[l]!.bias[u]! += delta[u]! / n; // BP3
        for (let k = 0; k < L.inputs; k++) grads[l]!.kernel[k * L.units + u]! += (delta[u]! * prev[k]!) / n; // BP4
      }
      if (l > 0) { // BP2: delta^[l-1] = sigma'(z^[l-1]) o (W^l)^T delta^l
        const back = new Float64Array(L.inputs);
        for (let k = 0; k < L.inputs; k++) {
          let s = 0;
          for (let u = 0; u < L.units; u++) s += L.kernel[k * L.units + u]! * delta[u]!;
          back[k] = prev[k]! * (1 - prev[k]!) * s;
        }
        delta = back;
      }
    }
  }
  return Float64Array.from(grads.flatMap((g) => [...g.kernel, ...g.bias]));
}

/** The model's weights as flat float64 copies, in `getWeights()` order, and the layer shapes. */
function weightsOf(model: Sequential) {
  const w = model.getWeights().map((t) => Float64Array.from(t.data));
  const layers = [];
  for (let i = 0; i < w.length; i += 2) {
    const units = w[i + 1]!.length;
    layers.push({ kernel: w[i]!, bias: w[i + 1]!, inputs: w[i]!.length / units, units });
  }
  return { flat: Float64Array.from(w.flatMap((a) => [...a])), layers };
}

/** Central differences of `model.computeLoss` (inference mode) in every weight, step eps. */
function finiteDifferences(model: Sequential, x: Tensor, y: Tensor, eps: number): Float64Array {
  const original = model.getWeights().map((t) => new Tensor(Float64Array.from(t.data), t.shape));
  const out: number[] = [];
  original.forEach((t, wi) => {
    for (let k = 0; k < t.data.length; k++) {
      const at = (d: number) => {
        const copy = original.map((o, j) => (j === wi ? new Tensor(Float64Array.from(o.data, (v, m) => (m === k ? v + d : v)), o.shape) : o));
        model.setWeights(copy);
        return model.computeLoss(x, y, false);
      };
      out.push((at(eps) - at(-eps)) / (2 * eps));
    }
  });
  model.setWeights(original);
  return Float64Array.from(out);
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-300);

/**
 * Runs the example. Figures: `parameters` (23), `maxRelHand`, `maxRelJacobian`, `maxRelFinite` (the
 * largest relative error of each method against nabla's backward pass), `jacobianRows` and
 * `jacobianCols` (the shape of J_theta).
 */
export async function runBackprop(options: BackpropOptions = {}): Promise<ExampleResult> {
  const log = logger(options), seed = options.seed ?? 1;
  const data = loadHigham(), n = data.x.shape[0]!;
  const x = data.x, y = oneHot(data.y, 2, 'float64');
  const model = highamNetwork(seed);
  model.compile({ optimizer: 'sgd', loss: 'quadratic' });
  model.build([2]);

  model.computeGradients(x, y);
  const auto = Float64Array.from(model.trainableParams().flatMap((p) => [...p.grad.data]));
  const { layers } = weightsOf(model);
  const hand = backpropByHand(layers, x.data, y.data, n);
  const J = model.jacobian(x), [rows, cols] = J.shape as [number, number];
  const h = model.predict(x).data;
  const viaJ = new Float64Array(cols); // (1/n) J^T (h - y)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) viaJ[c]! += (J.data[r * cols + c]! * (h[r]! - y.data[r]!)) / n;
  const fd = finiteDifferences(model, x, y, 1e-5);

  const errs = { hand: [] as number[], jacobian: [] as number[], finite: [] as number[] };
  const names = model.weightNames(), shapes = model.getWeights().map((t) => t.data.length);
  const labels = names.flatMap((name, i) => Array.from({ length: shapes[i]! }, (_, k) => `${name}[${k}]`));
  log(`Higham & Higham's 2-2-3-2 sigmoid network (seed ${seed}), the gradient of the quadratic cost on their ${n} points`);
  log(`  J_theta = model.jacobian(x): [${rows}, ${cols}]`);
  log(`  ${'entry'.padEnd(24)} ${'backward pass'.padStart(14)} ${'BP1-BP4 by hand'.padStart(16)} ${'(1/n) J^T e'.padStart(14)} ${'central diff.'.padStart(14)}`);
  for (let k = 0; k < cols; k++) {
    errs.hand.push(relative(hand[k]!, auto[k]!)); errs.jacobian.push(relative(viaJ[k]!, auto[k]!)); errs.finite.push(relative(fd[k]!, auto[k]!));
    log(`  ${labels[k]!.padEnd(24)} ${auto[k]!.toExponential(6).padStart(14)} ${hand[k]!.toExponential(6).padStart(16)} ${viaJ[k]!.toExponential(6).padStart(14)} ${fd[k]!.toExponential(6).padStart(14)}`);
  }
  const maxOf = (a: number[]) => Math.max(...a);
  const figures = { parameters: cols, jacobianRows: rows, jacobianCols: cols, maxRelHand: maxOf(errs.hand), maxRelJacobian: maxOf(errs.jacobian), maxRelFinite: maxOf(errs.finite) };
  log(`  largest relative error against the backward pass: by hand ${num(figures.maxRelHand)}, J^T e ${num(figures.maxRelJacobian)}, finite differences ${num(figures.maxRelFinite)}`);
  const comparisons = [
    compare('BP1-BP4 by hand against the backward pass', num(figures.maxRelHand), 'equal to rounding: < 1e-12 relative', figures.maxRelHand < 1e-12),
    compare('(1/n) J_theta^T (h - y) against the backward pass', num(figures.maxRelJacobian), 'equal to rounding: < 1e-12 relative (CMU 10-707)', figures.maxRelJacobian < 1e-12),
    compare('central differences (eps 1e-5) against the backward pass', num(figures.maxRelFinite), '< 1e-6 relative (error O(eps^2) + roundoff / eps)', figures.maxRelFinite < 1e-6),
  ];
  // A zero error cannot sit on a log axis: show it at 1e-17, below double precision's 1.1e-16.
  const floor = (a: number[]) => a.map((v) => Math.max(v, 1e-17));
  const idx = errs.hand.map((_, k) => k);
  const files = await plot(options, 'backprop', lineChart({
    title: '2-2-3-2 network: each gradient entry against the backward pass', xTitle: 'gradient entry (getWeights order)', yTitle: 'relative error (0 drawn at 1e-17)',
    yScale: 'log', xIntegers: true,
    series: [
      { name: 'BP1-BP4 by hand', x: idx, y: floor(errs.hand), mark: 'point' },
      { name: '(1/n) J^T (h - y)', x: idx, y: floor(errs.jacobian), mark: 'point' },
      { name: 'central differences', x: idx, y: floor(errs.finite), mark: 'linePoint' },
    ],
  }));
  model.dispose();
  return { figures, comparisons, files };
}

export const backprop = defineExample('backprop', runBackprop);
