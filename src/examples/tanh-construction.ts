/**
 * How tanh units build polynomials: the construction behind the approximation results in the
 * course notes, checked numerically in float64.
 *
 * With t(u) = tanh(u) = u - u^3/3 + 2u^5/15 - ... (so tanh'(0) = 1, tanh'''(0) = -2):
 *
 * - one unit: (1/h) tanh(h x) = x - h^2 x^3 / 3 + O(h^4), so it approximates x with error
 *   about h^2/3 on [-1, 1];
 * - two units: tanh(2hx) - 2 tanh(hx) = -2 h^3 x^3 + 4 h^5 x^5 + O(h^7) (the linear terms cancel),
 *   so (tanh(2hx) - 2 tanh(hx)) / (tanh'''(0) h^3) = x^3 - 2 h^2 x^5 + O(h^4) approximates x^3 with
 *   error about 2 h^2.
 *
 * Each is a nabla network with weights set by hand: a 1-1-1 network (hidden weight h, output
 * weight 1/h) and a 1-2-1 network (hidden weights 2h and h, output weights 1/(-2h^3) and
 * -2/(-2h^3)), no biases, tanh hidden units and a linear output, in float64. The maximum errors
 * on 1001 points of [-1, 1] fall as O(h^2): the least-squares slope of log(error) on log(h) is 2.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { compare, defineExample, linspace, logger, num, plot, slope, table } from './util.js';

/** Options of {@link runTanhConstruction}. */
export interface TanhConstructionOptions extends CommonOptions {
  /** The values of h, largest first (default: 10 log-spaced values from 0.2 to 0.02). */
  hs?: readonly number[];
  /** Grid points on [-1, 1] (default 1001). */
  gridPoints?: number;
}

/** tanh'''(0) = -2. */
export const TANH_THIRD_DERIVATIVE_AT_0 = -2;

/** A network of tanh hidden units and a linear output unit, no biases, hand-set weights. */
function tanhNetwork(hidden: readonly number[], output: readonly number[]): Sequential {
  const model = new Sequential([
    new Dense({ units: hidden.length, activation: 'tanh', useBias: false, inputShape: [1], dtype: 'float64' }),
    new Dense({ units: 1, activation: 'linear', useBias: false, dtype: 'float64' }),
  ]);
  model.build();
  model.setWeights([
    new Tensor(Float64Array.from(hidden), [1, hidden.length]),
    new Tensor(Float64Array.from(output), [output.length, 1]),
  ]);
  return model;
}

/** The network computing (1/h) tanh(hx), approximately x. */
export function identityNetwork(h: number): Sequential {
  return tanhNetwork([h], [1 / h]);
}

/** The network computing (tanh(2hx) - 2 tanh(hx)) / (tanh'''(0) h^3), approximately x^3. */
export function cubeNetwork(h: number): Sequential {
  const c = TANH_THIRD_DERIVATIVE_AT_0 * h ** 3;
  return tanhNetwork([2 * h, h], [1 / c, -2 / c]);
}

function maxError(model: Sequential, x: Tensor, f: (x: number) => number): number {
  const out = model.predict(x).data;
  let worst = 0;
  for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - f(x.data[i]!)));
  return worst;
}

/**
 * Runs the example. Figures: `slopeX` and `slopeCube` (fitted orders, both about 2),
 * `errorX` and `errorCube` at the smallest h, and the leading constants `constX` (about 1/3)
 * and `constCube` (about 2) = error / h^2 at the smallest h.
 */
export async function runTanhConstruction(options: TanhConstructionOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const hs = options.hs ?? Array.from({ length: 10 }, (_, i) => 0.2 * 10 ** (-i / 9));
  const xs = linspace(-1, 1, options.gridPoints ?? 1001);
  const x = new Tensor(xs, [xs.length, 1]);
  const e1: number[] = [], e3: number[] = [];
  for (const h of hs) {
    e1.push(maxError(identityNetwork(h), x, (v) => v));
    e3.push(maxError(cubeNetwork(h), x, (v) => v ** 3));
  }
  log('Max error on [-1, 1] (float64, 1001 points) of two tanh networks with hand-set weights:');
  log('  x   ~ (1/h) tanh(hx)                                 (1-1-1 network)');
  log('  x^3 ~ (tanh(2hx) - 2 tanh(hx)) / (tanh\'\'\'(0) h^3)     (1-2-1 network), tanh\'\'\'(0) = -2');
  for (const line of table(['h', 'error x', 'error / h^2', 'error x^3', 'error / h^2'],
    hs.map((h, i) => [h, e1[i]!, e1[i]! / h ** 2, e3[i]!, e3[i]! / h ** 2]))) log(`  ${line}`);
  const logH = hs.map(Math.log);
  const slopeX = slope(logH, e1.map(Math.log)), slopeCube = slope(logH, e3.map(Math.log));
  const hMin = hs.at(-1)!;
  const figures = {
    slopeX, slopeCube, errorX: e1.at(-1)!, errorCube: e3.at(-1)!, constX: e1.at(-1)! / hMin ** 2, constCube: e3.at(-1)! / hMin ** 2,
  };
  log(`  fitted slope of log(error) against log(h): x ${slopeX.toFixed(3)}, x^3 ${slopeCube.toFixed(3)} (theory: 2)`);
  log(`  leading constants error / h^2 at h = ${num(hMin)}: x ${figures.constX.toFixed(4)} (theory 1/3), x^3 ${figures.constCube.toFixed(4)} (theory 2)`);
  const comparisons = [
    compare('order of the error for x', slopeX.toFixed(3), '2 +- 0.15 (O(h^2))', Math.abs(slopeX - 2) <= 0.15),
    compare('order of the error for x^3', slopeCube.toFixed(3), '2 +- 0.15 (O(h^2))', Math.abs(slopeCube - 2) <= 0.15),
  ];
  const files = await plot(options, 'tanh-construction', lineChart({
    title: 'tanh networks approximating x and x^3: max error on [-1, 1]', xTitle: 'h', yTitle: 'max error',
    xScale: 'log', yScale: 'log', xDomain: [hs.at(-1)! * 0.9, hs[0]! / 0.9],
    series: [
      { name: 'x: (1/h) tanh(hx)', x: hs, y: e1, mark: 'linePoint' },
      { name: 'x^3: (tanh(2hx) - 2 tanh(hx)) / (-2h^3)', x: hs, y: e3, mark: 'linePoint' },
      { name: 'h^2', x: hs, y: hs.map((h) => h ** 2), dashed: true },
    ],
  }));
  return { figures, comparisons, files };
}

export const tanhConstruction = defineExample('tanh-construction', runTanhConstruction);
