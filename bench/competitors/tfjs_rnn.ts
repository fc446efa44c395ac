// TensorFlow.js side of the character-LSTM rows of `npm run bench` (bench/recurrent.ts).
//
// The same model as nabla's, through tf.layers: LSTM(256, returnSequences) - LSTM(256,
// returnSequences) - Dense(65, softmax) on every step, categorical cross-entropy, Adam 0.002,
// trainOnBatch, batch 64. What differs, and why:
// - one-hot inputs [64, len, 65] in place of Embedding(65 -> 64): TF.js's wasm backend has no
//   UnsortedSegmentSum, the Embedding's gradient ("Kernel 'UnsortedSegmentSum' not registered");
// - recurrentActivation 'sigmoid' (Keras's default; TF.js's own is hardSigmoid);
// - recurrentInitializer 'glorotUniform' (Keras's is orthogonal): TF.js builds the orthogonal
//   [256, 1024] matrix with a QR decomposition made of single ops, which on the pure-JS cpu
//   backend had not finished after 5 minutes (about 1 s on wasm). The initial values do not
//   change the cost of a training step;
// - a shorter sequence (len < 100) keeps a row's time bounded: TF.js wasm runs about 200
//   characters/s here, the cpu backend about 60, so one 100-character batch takes 30 s to 2
//   minutes. An LSTM's training cost is linear in the sequence length (the same work per step), so
//   characters/s do not depend on it; bench/recurrent.ts times wasm at two lengths to show it.
// Threads: tfjs-backend-wasm 4.22 loads its threaded binary only where WASM_HAS_MULTITHREAD_SUPPORT
// holds, and that flag is false under Node (tfjs issue #3830), so setThreadsCount() has no effect
// there and XNNPACK runs 1 thread; getThreadsCount() reports the count actually used.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { now } from './common.js';

const require = createRequire(import.meta.url);
const V = 65, U = 256, B = 64;
let wasmPathsSet = false;

/** One TF.js figure: chars/s (wall), chars per CPU-second of the process, and the backend's threads. */
export interface TfjsRnnRate { rate: number; perCpuS: number; steps: number; threads: number; version: string }

/**
 * Trains the char-LSTM with TF.js on `backend` on batches of 64 sequences of `len` characters:
 * one warm-up step, then `steps` timed trainOnBatch calls. `ids` and `labels` [64, >= len]
 * (row stride `stride`) are the input and next-character ids (any values: the speed does not
 * depend on them). Throws when the backend does not initialise.
 */
export async function tfjsRnnRate(backend: 'wasm' | 'cpu', len: number, steps: number,
                                  ids: ArrayLike<number>, labels: ArrayLike<number>, stride: number): Promise<TfjsRnnRate> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tf: any = await import('@tensorflow/tfjs');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let wasm: any = null;
  if (backend === 'wasm') {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const lstm = (first: boolean) => tf.layers.lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid',
    recurrentInitializer: 'glorotUniform', ...(first ? { inputShape: [len, V] } : {}) });
  const model = tf.sequential({ layers: [lstm(true), lstm(false), tf.layers.dense({ units: V, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy' });
  const xs = new Float32Array(B * len * V), ys = new Float32Array(B * len * V);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < len; t++) { xs[(b * len + t) * V + ids[b * stride + t]!] = 1; ys[(b * len + t) * V + labels[b * stride + t]!] = 1; }
  }
  const x = tf.tensor(xs, [B, len, V]), y = tf.tensor(ys, [B, len, V]);
  try {
    await model.trainOnBatch(x, y);
    const c0 = process.cpuUsage(), t0 = now();
    for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y);
    const wall = now() - t0, cpu = process.cpuUsage(c0);
    const chars = B * len * steps;
    return { rate: chars / wall, perCpuS: chars / ((cpu.user + cpu.system) / 1e6), steps,
             threads: wasm ? wasm.getThreadsCount() as number : 1, version: tf.version.tfjs as string };
  } finally { x.dispose(); y.dispose(); model.dispose(); }
}
