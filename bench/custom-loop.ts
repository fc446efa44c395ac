// W1 as a custom training loop (issue 13): the same MLP as `npm run bench`'s W1 (784-128 relu -
// 10 softmax, categorical cross-entropy, SGD 0.1, batch 64) written with ops + variableGrads + an
// optimiser, for nabla and for TensorFlow.js (tf.variableGrads). Used by bench/run.ts (the
// "W1 custom loop" row) and runnable alone, which measures the three configurations INTERLEAVED
// in one process (fused Sequential, nabla custom loop, TF.js wasm custom loop), round after round:
//
//   node --import tsx bench/custom-loop.ts [--rounds 3] [--samples 4000] [--threads 1] [--no-tfjs]
//
// Each figure is one timed epoch after a warm-up epoch of WARMUP_SAMPLES samples; the best of the rounds is kept.
import { fileURLToPath } from 'node:url';
import {
  Dense, Rng, SGD, Sequential, Tensor, add, logSoftmax, matMul, mean, mul, neg, relu, setBackend, setNumThreads, sum,
  tidy, valueAndGrads, variable, variableGrads, dispose, type Variable,
} from '../src/index.js';
import { type Data, WARMUP_SAMPLES, now, slice } from './competitors/common.js';

const BATCH = 64;

/** Glorot-uniform weights and zero biases from the seeded stream (the same numbers for both libraries). */
export function w1Weights(seed = 1): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } {
  const rng = new Rng(seed);
  const glorot = (fanIn: number, fanOut: number) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut)), a = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < a.length; i++) a[i] = (2 * rng.uniform() - 1) * lim;
    return a;
  };
  return { w1: glorot(784, 128), b1: new Float32Array(128), w2: glorot(128, 10), b2: new Float32Array(10) };
}

/**
 * One timed epoch over `d` in order, batches of 64: `step(x, y)` inside tidy for each batch
 * (x [m, 784] pixels, y [m, 10] one-hot labels, views of `d`). Returns samples/s.
 */
function timedEpoch(d: Data, step: (x: Tensor, y: Tensor) => void): number {
  const t0 = now();
  for (let s = 0; s < d.n; s += BATCH) {
    const m = Math.min(BATCH, d.n - s);
    const x = new Tensor(d.x.subarray(s * 784, (s + m) * 784), [m, 784]);
    const y = new Tensor(d.y.subarray(s * 10, (s + m) * 10), [m, 10]);
    tidy(() => step(x, y));
  }
  return d.n / (now() - t0);
}

/** `epoch` on the first WARMUP_SAMPLES samples of `d` (the warm-up), then on all of `d`: the second one's samples/s. */
function afterWarmUp(d: Data, epoch: (dd: Data) => number): number {
  epoch(slice(d, WARMUP_SAMPLES));
  return epoch(d);
}

/**
 * One epoch of nabla's W1 custom loop over `d` (in order, batches of 64): the loss is
 * mean(-sum(y * logSoftmax(h W2 + b2))) with h = relu(x W1 + b1). Returns samples/s.
 */
export function nablaCustomEpoch(d: Data, vars: Variable[], opt: SGD): number {
  const [w1, b1, w2, b2] = vars as [Variable, Variable, Variable, Variable];
  return timedEpoch(d, (x, y) => {
    const { grads } = variableGrads(() => {
      const h = relu(add(matMul(x, w1), b1));
      const logits = add(matMul(h, w2), b2);
      return mean(neg(sum(mul(y, logSoftmax(logits)), -1)));
    }, vars);
    opt.applyGradients(grads);
  });
}

/** nabla's W1 custom loop: a warm-up epoch of WARMUP_SAMPLES samples, then one timed epoch. Returns samples/s. */
export function nablaCustomW1(d: Data): number {
  const w = w1Weights();
  const vars = [variable(new Tensor(w.w1, [784, 128])), variable(new Tensor(w.b1, [128])), variable(new Tensor(w.w2, [128, 10])), variable(new Tensor(w.b2, [10]))];
  const opt = new SGD({ learningRate: 0.1 });
  try {
    return afterWarmUp(d, (dd) => nablaCustomEpoch(dd, vars, opt));
  } finally { dispose(vars); }
}

/**
 * The W1 custom loop with the two Dense layers called on the tape (`layer.call`: one node each,
 * the layers' fused forward/backward) and the loss written with ops; gradients by valueAndGrads
 * with respect to the layers' weights, applied by the optimiser. Returns samples/s.
 */
export function nablaLayersW1(d: Data): number {
  const w = w1Weights();
  const d1 = new Dense({ name: 'hidden', units: 128, activation: 'relu', inputShape: [784] }), d2 = new Dense({ name: 'logits', units: 10 });
  d1.build([BATCH, 784]); d2.build([BATCH, 128]);
  const params = [...d1.params(), ...d2.params()];
  [w.w1, w.b1, w.w2, w.b2].forEach((a, i) => params[i]!.value.data.set(a));
  const opt = new SGD({ learningRate: 0.1 });
  const weights = params.map((p) => p.value);
  const epoch = (dd: Data): number => timedEpoch(dd, (x, y) => {
    const { grads } = valueAndGrads(() => mean(neg(sum(mul(y, logSoftmax(d2.call(d1.call(x)))), -1))))(weights);
    params.forEach((p, i) => p.grad.data.set(grads[i]!.data));
    opt.applyGradients(params);
  });
  try {
    return afterWarmUp(d, epoch);
  } finally { d1.dispose(); d2.dispose(); }
}

/** The fused W1 (a Sequential's fit, as bench/run.ts times it). Returns samples/s. */
export async function nablaFusedW1(d: Data): Promise<number> {
  const model = new Sequential([new Dense({ units: 128, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  const w = slice(d, WARMUP_SAMPLES);
  await model.fit(new Tensor(w.x, [w.n, 784]), new Tensor(w.y, [w.n, 10]), { epochs: 1, batchSize: BATCH, seed: 1 });
  const t0 = now();
  await model.fit(new Tensor(d.x, [d.n, 784]), new Tensor(d.y, [d.n, 10]), { epochs: 1, batchSize: BATCH, seed: 2 });
  const rate = d.n / (now() - t0);
  model.dispose();
  return rate;
}

/**
 * TensorFlow.js's W1 custom loop (tf.variableGrads + optimizer.applyGradients inside tf.tidy, the
 * batches sliced from tensors of the whole set) on its current backend. Returns samples/s.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tfjsCustomW1(tf: any, d: Data): number {
  const w = w1Weights();
  const vars = [tf.variable(tf.tensor(w.w1, [784, 128])), tf.variable(tf.tensor(w.b1, [128])), tf.variable(tf.tensor(w.w2, [128, 10])), tf.variable(tf.tensor(w.b2, [10]))];
  const [w1, b1, w2, b2] = vars;
  const opt = tf.train.sgd(0.1);
  const epoch = (dd: Data): number => {
    const X = tf.tensor(dd.x, [dd.n, 784]), Y = tf.tensor(dd.y, [dd.n, 10]);
    const t0 = now();
    for (let s = 0; s < dd.n; s += BATCH) {
      const m = Math.min(BATCH, dd.n - s);
      tf.tidy(() => {
        const x = X.slice([s, 0], [m, 784]), y = Y.slice([s, 0], [m, 10]);
        const { grads } = tf.variableGrads(() => {
          const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
          const logits = tf.add(tf.matMul(h, w2), b2);
          return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1)));
        }, vars);
        opt.applyGradients(grads);
      });
    }
    tf.tidy(() => w1.sum().dataSync()); // wait for the last step
    const rate = dd.n / (now() - t0);
    X.dispose(); Y.dispose();
    return rate;
  };
  try {
    return afterWarmUp(d, epoch);
  } finally { for (const v of vars) v.dispose(); opt.dispose(); }
}

// ---- standalone: the three configurations interleaved ----------------------------------------
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string, def: number) => args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def;
  const rounds = opt('--rounds', 3), n = opt('--samples', 4000), threads = opt('--threads', 1);
  const rng = new Rng(1);
  const d: Data = { x: new Float32Array(n * 784), y: new Float32Array(n * 10), labels: new Int32Array(n), n };
  for (let i = 0; i < d.x.length; i++) d.x[i] = rng.uniform();
  for (let i = 0; i < n; i++) { d.labels[i] = rng.int(10); d.y[i * 10 + d.labels[i]!] = 1; }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let tf: any = null;
  if (!args.includes('--no-tfjs')) {
    tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname, join } = await import('node:path');
    wasm.setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    await tf.setBackend('wasm'); await tf.ready();
  }
  await setBackend('wasm'); setNumThreads(threads);
  const best = { fused: 0, custom: 0, layers: 0, tfjs: 0 };
  const line = (what: string, v: typeof best) => console.log(`${what}: fused ${Math.round(v.fused)}  custom (ops) ${Math.round(v.custom)}  custom (layer.call) ${Math.round(v.layers)}  ` +
    `tfjs-wasm custom ${Math.round(v.tfjs)}  | ops/fused ${(v.custom / v.fused).toFixed(2)}  layer.call/fused ${(v.layers / v.fused).toFixed(2)}  ops/tfjs ${tf ? (v.custom / v.tfjs).toFixed(1) : '-'}`);
  for (let r = 0; r < rounds; r++) {
    const v = { fused: await nablaFusedW1(d), custom: nablaCustomW1(d), layers: nablaLayersW1(d), tfjs: tf ? tfjsCustomW1(tf, d) : 0 };
    for (const k of Object.keys(best) as (keyof typeof best)[]) best[k] = Math.max(best[k], v[k]);
    line(`round ${r + 1}`, v);
  }
  line('best', best);
  process.exit(0);
}
