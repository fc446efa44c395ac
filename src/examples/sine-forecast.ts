/**
 * Forecasting a noisy periodic series with a GRU (Cho et al. 2014), against the seasonal naive
 * baseline "repeat the last period" (Hyndman & Athanasopoulos, Forecasting: Principles and
 * Practice, 3rd ed., section 5.2).
 *
 * The series: s_t = sin(2 pi t / P) + 0.5 sin(4 pi t / P + 1) + e_t with period P = 20 and white
 * noise e_t ~ N(0, sigma^2), sigma = 0.2. From a window of the last W = 3 P values the model
 * forecasts the next H = P values at once (GRU(32) -> Dense(H), mean squared error, Adam). The
 * first 75% of the series trains, the rest tests (no window crosses the split).
 *
 * The baseline's forecast x_{t+h} = x_{t+h-P} carries the noise of the old value too: its expected
 * MSE against the noisy truth is 2 sigma^2 = 0.08. A forecaster that has learnt the clean shape
 * approaches sigma^2 = 0.04, the noise no forecast can predict. Both errors are printed.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { GRU } from '../nn/layers/gru.js';
import { Adam } from '../optim/adam.js';
import { lineChart } from '../plots/charts.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, logger, num, plot } from './util.js';

/** The options of {@link runSineForecast}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  epochs: { description: 'training epochs', default: 30, quick: 2 },
  units: { description: 'GRU units', default: 32 },
  points: { description: 'points in the series', kind: 'library', default: 4000, quick: 800 },
} satisfies ExampleOptions;

/** Options of {@link runSineForecast}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface SineForecastOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

/** The series' period P, the noise's sigma, the window W and horizon H. */
export const SINE = { period: 20, sigma: 0.2, window: 60, horizon: 20 } as const;

/** The clean signal at step t. */
export function sineSignal(t: number): number {
  const w = (2 * Math.PI * t) / SINE.period;
  return Math.sin(w) + 0.5 * Math.sin(2 * w + 1);
}

/** `n` points of the noisy series (seeded). */
export function noisySeries(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => sineSignal(t) + SINE.sigma * rng.normal());
}

/** Windows starting at from, from + stride, ... with their next H values: x [n, W, 1], y [n, H]. */
function windows(s: Float64Array, from: number, to: number, stride: number): { x: Tensor; y: Tensor; starts: number[] } {
  const { window: W, horizon: H } = SINE, starts: number[] = [];
  for (let a = from; a + W + H <= to; a += stride) starts.push(a);
  const x = new Float32Array(starts.length * W), y = new Float32Array(starts.length * H);
  starts.forEach((a, i) => { for (let j = 0; j < W; j++) x[i * W + j] = s[a + j]!; for (let j = 0; j < H; j++) y[i * H + j] = s[a + W + j]!; });
  return { x: new Tensor(x, [starts.length, W, 1]), y: new Tensor(y, [starts.length, H]), starts };
}

/** The mean of (a - b)^2 over every entry. */
function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

/**
 * Runs the example. Figures: `gruMse`, `baselineMse` (test MSE against the noisy series over all
 * H steps of every test window), `gruCleanMse`, `baselineCleanMse` (against the clean signal),
 * and `noiseFloor` (sigma^2).
 */
export async function runSineForecast(options: SineForecastOptions = {}): Promise<ExampleResult> {
  const o = resolveOptions(OPTIONS, options), log = logger(o), seed = o.seed ?? 1, { epochs, units, points: n } = o;
  const { period: P, window: W, horizon: H, sigma } = SINE;
  const series = noisySeries(new Rng(seed), n), split = Math.floor(0.75 * n);
  const train = windows(series, 0, split, 1), test = windows(series, split, n, H);
  log(`Sine forecast: period ${P}, noise sigma ${sigma}, ${W} past values -> next ${H}; GRU(${units}) -> Dense(${H}), Adam, ` +
      `${epochs} epochs on ${train.starts.length} training windows, ${test.starts.length} test windows, seed ${seed}`);
  const model = new Sequential([new GRU({ units, inputShape: [W, 1] }), new Dense({ units: H })], { seed, name: 'sine-forecast' });
  model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: 'meanSquaredError' });
  const started = Date.now();
  await model.fit(train.x, train.y, {
    epochs, batchSize: 32, shuffle: true, seed,
    callbacks: [{ onEpochEnd: (epoch, logs) => { if (epoch % 5 === 4 || epoch === epochs - 1) log(`  epoch ${epoch + 1}: training MSE ${num(logs?.loss as number)}`); } }],
  });
  const forecast = model.predict(test.x).data;
  const baseline = new Float64Array(test.y.size), clean = new Float64Array(test.y.size);
  test.starts.forEach((a, i) => { for (let h = 0; h < H; h++) { const t = a + W + h; baseline[i * H + h] = series[t - P]!; clean[i * H + h] = sineSignal(t); } });
  const figures = {
    gruMse: mse(forecast, test.y.data), baselineMse: mse(baseline, test.y.data),
    gruCleanMse: mse(forecast, clean), baselineCleanMse: mse(baseline, clean), noiseFloor: sigma * sigma,
  };
  log(`  trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`  test MSE against the noisy series: GRU ${num(figures.gruMse)}, repeat-the-last-period ${num(figures.baselineMse)} (noise floor sigma^2 = ${num(sigma * sigma)})`);
  log(`  test MSE against the clean signal: GRU ${num(figures.gruCleanMse)}, repeat-the-last-period ${num(figures.baselineCleanMse)}`);
  const comparisons = [compare('GRU test MSE against the baseline', num(figures.gruMse), `below repeat-the-last-period's ${num(figures.baselineMse)}`, figures.gruMse < figures.baselineMse)];

  const i = Math.min(2, test.starts.length - 1), a = test.starts[i]!, past = Array.from({ length: W }, (_, j) => a + j), next = Array.from({ length: H }, (_, h) => a + W + h);
  const files = await plot(options, 'sine-forecast', lineChart({
    title: `Sine forecast, a test window: GRU MSE ${num(figures.gruMse)}, repeat-the-last-period ${num(figures.baselineMse)}`,
    xTitle: 'step t', yTitle: 'value', width: 560,
    series: [
      { name: 'series (noisy)', x: [...past, ...next], y: [...past, ...next].map((t) => series[t]!), mark: 'point', color: '#888' },
      { name: 'clean signal', x: next, y: next.map(sineSignal), dashed: true, color: '#444' },
      { name: 'GRU forecast', x: next, y: next.map((_, h) => forecast[i * H + h]!), mark: 'linePoint' },
      { name: 'repeat the last period', x: next, y: next.map((_, h) => baseline[i * H + h]!), mark: 'linePoint' },
    ],
  }));
  model.dispose();
  return { figures, comparisons, files };
}

export const sineForecast = defineExample('sine-forecast', runSineForecast, OPTIONS);
