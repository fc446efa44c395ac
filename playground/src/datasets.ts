/**
 * The playground's data sets, generated from the state's seed (nabla's Rng), so the same URL
 * always gives the same points and the same train/test split.
 *
 * Classification sets have two inputs (x1, x2) and a label in {0, 1}; the regression set (the
 * Runge function) has one input x and a real target. Noise is a percentage (0-50): for the
 * classification sets it moves the points (the labels stay those of the clean points, as in
 * TensorFlow Playground), for the Gaussians it widens them, for Runge it is added to the target.
 */
import { Rng } from '../../src/browser.js';
import type { DatasetName } from './state.js';

export interface Domain { xMin: number; xMax: number; yMin: number; yMax: number }

export interface Dataset {
  name: DatasetName;
  /** 2 for the classification sets (x1, x2), 1 for regression (x). */
  inputDim: number;
  regression: boolean;
  /** Row-major inputs [n, inputDim] and targets [n, 1]. */
  xTrain: Float32Array; yTrain: Float32Array;
  xTest: Float32Array; yTest: Float32Array;
  /** What is drawn: x1 (or x) horizontally, x2 (or the target) vertically. */
  domain: Domain;
  /** A remark shown under the data set's name. */
  note: string;
}

interface Point { x: number[]; y: number }

const POINTS_2D = 400;
const POINTS_REGRESSION = 100;

/** Higham & Higham (2019), SIAM Review 61(4), netbp.m: points 1-5 are category A, 6-10 category B. */
export const HIGHAM_POINTS: readonly (readonly [number, number, 0 | 1])[] = [
  [0.1, 0.1, 1], [0.3, 0.4, 1], [0.1, 0.5, 1], [0.6, 0.9, 1], [0.4, 0.2, 1],
  [0.6, 0.3, 0], [0.5, 0.6, 0], [0.9, 0.2, 0], [0.4, 0.4, 0], [0.7, 0.6, 0],
];

/** The Runge function 1 / (1 + 25 x^2): polynomial interpolation on equispaced points fails on it. */
export function runge(x: number): number {
  return 1 / (1 + 25 * x * x);
}

function xor(rng: Rng, noise: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < POINTS_2D; i++) {
    let a = rng.uniform() * 2 - 1, b = rng.uniform() * 2 - 1;
    a += a > 0 ? 0.05 : -0.05; b += b > 0 ? 0.05 : -0.05; // keep clear of the axes
    const label = a * b >= 0 ? 1 : 0;
    out.push({ x: [a + noise * 0.5 * rng.normal(), b + noise * 0.5 * rng.normal()], y: label });
  }
  return out;
}

function circles(rng: Rng, noise: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < POINTS_2D; i++) {
    const inner = i < POINTS_2D / 2;
    const r = inner ? rng.uniform() * 0.45 : 0.7 + rng.uniform() * 0.3, t = rng.uniform() * 2 * Math.PI;
    out.push({ x: [r * Math.cos(t) + noise * 0.5 * rng.normal(), r * Math.sin(t) + noise * 0.5 * rng.normal()], y: inner ? 1 : 0 });
  }
  return out;
}

function gaussians(rng: Rng, noise: number): Point[] {
  const out: Point[] = [], sd = 0.15 + noise * 0.6;
  for (let i = 0; i < POINTS_2D; i++) {
    const label = i < POINTS_2D / 2 ? 1 : 0, c = label ? 0.45 : -0.45;
    out.push({ x: [c + sd * rng.normal(), c + sd * rng.normal()], y: label });
  }
  return out;
}

function spiral(rng: Rng, noise: number): Point[] {
  const out: Point[] = [], half = POINTS_2D / 2;
  for (const [label, delta] of [[1, 0], [0, Math.PI]] as const)
    for (let i = 0; i < half; i++) {
      const r = (i / half) * 0.9 + 0.05, t = 1.75 * (i / half) * 2 * Math.PI + delta;
      out.push({ x: [r * Math.sin(t) + noise * 0.3 * rng.normal(), r * Math.cos(t) + noise * 0.3 * rng.normal()], y: label });
    }
  return out;
}

function rungePoints(rng: Rng, noise: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < POINTS_REGRESSION; i++) {
    const x = rng.uniform() * 2 - 1;
    out.push({ x: [x], y: runge(x) + noise * 0.2 * rng.normal() });
  }
  return out;
}

function pack(points: Point[], dim: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(points.length * dim), y = new Float32Array(points.length);
  points.forEach((p, i) => { x.set(p.x, i * dim); y[i] = p.y; });
  return { x, y };
}

/**
 * The data set of a state: points from Rng.derive(seed, 'data:<name>'), split by a permutation
 * from Rng.derive(seed, 'split'), `trainRatio` percent for training (at least one point on each
 * side). Higham's 10 points ignore noise and the ratio: all ten train, and the test loss is
 * taken on the same ten points (the paper has no test set).
 */
export function makeDataset(name: DatasetName, seed: number, noisePercent: number, trainRatioPercent: number): Dataset {
  const noise = noisePercent / 100;
  if (name === 'higham') {
    const pts = HIGHAM_POINTS.map(([a, b, label]) => ({ x: [a, b], y: label }));
    const all = pack(pts, 2);
    return {
      name, inputDim: 2, regression: false, xTrain: all.x, yTrain: all.y, xTest: all.x.slice(), yTest: all.y.slice(),
      domain: { xMin: 0, xMax: 1, yMin: 0, yMax: 1 },
      note: 'The 10 points of Higham & Higham (2019), "Deep Learning: An Introduction for Applied Mathematicians": blue is their category A, orange B. All ten train (noise and the ratio do not apply); the test loss is on the same points. The paper trains a 2-2-3-2 sigmoid network on the quadratic cost by SGD with one point per step (eta 0.05); choosing this set sets hidden layers 2,3, sigmoid, quadratic loss, SGD with batch size 1 and a learning rate of 1 (faster than 0.05), with one sigmoid output instead of two; all ten points are classified within about 20,000 steps.',
    };
  }
  const rng = Rng.derive(seed, `data:${name}`);
  const pts = name === 'xor' ? xor(rng, noise) : name === 'circles' ? circles(rng, noise) : name === 'gaussians' ? gaussians(rng, noise)
    : name === 'spiral' ? spiral(rng, noise) : rungePoints(rng, noise);
  const order = Rng.derive(seed, 'split').permutation(pts.length);
  const nTrain = Math.min(pts.length - 1, Math.max(1, Math.round((pts.length * trainRatioPercent) / 100)));
  const train: Point[] = [], test: Point[] = [];
  order.forEach((idx, i) => (i < nTrain ? train : test).push(pts[idx]!));
  const dim = name === 'runge' ? 1 : 2;
  const a = pack(train, dim), b = pack(test, dim);
  const regression = name === 'runge';
  return {
    name, inputDim: dim, regression, xTrain: a.x, yTrain: a.y, xTest: b.x, yTest: b.y,
    domain: regression ? { xMin: -1, xMax: 1, yMin: -0.3, yMax: 1.3 } : { xMin: -1.2, xMax: 1.2, yMin: -1.2, yMax: 1.2 },
    note: regression
      ? 'f(x) = 1 / (1 + 25 x²) on [-1, 1], the function on which polynomial interpolation at equispaced points fails (Runge, 1901). The network fits it from noisy samples.'
      : { xor: 'Blue where x1 and x2 have the same sign: no straight line separates the classes, so a network needs a hidden layer.',
          circles: 'A disc (blue) inside a ring (orange).',
          gaussians: 'Two Gaussian clouds: a straight line separates them (noise makes them overlap).',
          spiral: 'Two interleaved spirals: the hardest set here.' }[name as 'xor' | 'circles' | 'gaussians' | 'spiral'],
  };
}
