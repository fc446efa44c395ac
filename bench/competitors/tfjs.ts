// TensorFlow.js adapters: the pure-JS 'cpu' backend (@tensorflow/tfjs) and the wasm backend
// (@tensorflow/tfjs-backend-wasm, XNNPACK; its .wasm files ship in the npm package).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Adapter, type Data, WARMUP_SAMPLES, now, slice } from './common.js';
import { tfjsCustomW1 } from '../custom-loop.js';

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

export async function tfjsAdapter(backend: 'cpu' | 'wasm', quick: boolean): Promise<Adapter> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tf: any = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const wasm: any = await import('@tensorflow/tfjs-backend-wasm');
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    if (!wasmPathsSet) wasm.setWasmPaths(join(dir, 'dist') + '/'); // once: later passes reuse the initialised backend
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const warm = WARMUP_SAMPLES;

  const mlp = () => tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  // The LeNet CNN of `nabla train --model cnn` (src/cli/model-spec.ts), relu.
  const lenet = () => tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(),
    tf.layers.dense({ units: 120, activation: 'relu' }), tf.layers.dense({ units: 84, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  const fitRate = async (make: () => unknown, d: Data, shape: number[], sparse = false) => {
    const model: any = make();
    model.compile({ optimizer: sparse ? tf.train.adam(0.002) : tf.train.sgd(0.1), loss: sparse ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy' });
    const run = async (dd: Data) => {
      const x = tf.tensor(dd.x, [dd.n, ...shape]);
      const y = sparse ? tf.tensor(Float32Array.from(dd.labels), [dd.n, 1]) : tf.tensor(dd.y, [dd.n, 10]);
      const t0 = now();
      await model.fit(x, y, { batchSize: 64, epochs: 1, shuffle: true, verbose: 0 });
      const dt = now() - t0;
      x.dispose(); y.dispose();
      return dd.n / dt;
    };
    await run(slice(d, warm));
    const r = await run(d);
    model.dispose();
    return r;
  };
  const notes: Record<string, string> = {};
  const a: Adapter = {
    name: `TF.js ${backend} ${tf.version.tfjs}`, notes,
    caps: backend === 'cpu' ? { w1Custom: quick ? 500 : 2000, w2: quick ? 128 : 640, w3: quick ? 2000 : 10000, lenet: quick ? 128 : 640 } : { w3: quick ? 2000 : 20000 },
    w1: (d) => fitRate(mlp, d, [784]),
    w1Custom: async (d) => tfjsCustomW1(tf, d),
    w3: (d) => fitRate(mlp, d, [784], true),
    w2: (d) => fitRate(() => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' })] }), d, [28, 28, 1]),
    lenet: (d) => fitRate(lenet, d, [28, 28, 1], true),
    async w1Infer(d) {
      const model = mlp();
      const x = tf.tensor(d.x, [d.n, 784]);
      tf.tidy(() => model.predict(x.slice(0, 1000), { batchSize: 1000 }).dataSync());
      let best = 0;
      for (let r = 0; r < (quick ? 2 : 5); r++) {
        const t0 = now();
        tf.tidy(() => model.predict(x, { batchSize: 1000 }).dataSync());
        best = Math.max(best, d.n / (now() - t0));
      }
      x.dispose(); model.dispose();
      return best;
    },
    async sgemm(s) {
      const A = tf.randomNormal([s, s]), B = tf.randomNormal([s, s]);
      tf.tidy(() => tf.matMul(A, B).dataSync());
      const flop = 2 * s ** 3;
      const reps = Math.max(1, Math.round((quick ? 1e8 : 5e8) / flop / (backend === 'cpu' ? 10 : 1)));
      let best = 0;
      for (let r = 0; r < (quick ? 2 : 3); r++) {
        const t0 = now();
        for (let i = 0; i < reps; i++) tf.tidy(() => tf.matMul(A, B).dataSync());
        best = Math.max(best, flop * reps / (now() - t0) / 1e9);
      }
      A.dispose(); B.dispose();
      return best;
    },
  };
  return a;
}
