// Thread-sharing thresholds, A/B: trains the LeNet-sized CNN (`nabla train --model cnn`'s layers)
// or W2 on 1 thread and on 2 threads with the pool's current and old thresholds, INTERLEAVED
// round by round in one process (best of 4 each). Interleaving matters on a machine whose speed
// swings over minutes: one-shot runs of each configuration compare different moments, not
// different settings. Used to choose ThreadPool.minFlopsPerByte and windowParallelSize.
//
//   node --import tsx bench/threads.ts [--model lenet|w2] [--rounds 4]
import { Adam, Conv2D, Dense, Flatten, MaxPooling2D, Rng, Sequential, Tensor, setBackend, setNumThreads } from '../src/index.js';
import { loadWasmBackend } from '../src/kernels/wasm/index.js';

const args = process.argv.slice(2);
const model = args.includes('--model') ? args[args.indexOf('--model') + 1] : 'lenet';
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 4;
await setBackend('wasm');
const w = await loadWasmBackend();
if (!w.pool) throw new Error('no thread pool in this runtime');
const rng = new Rng(1), n = 3200;
const x = new Float32Array(n * 784).map(() => rng.uniform()), y = Float32Array.from({ length: n }, () => rng.int(10));
const make = () => new Sequential(model === 'w2'
  ? [new Conv2D({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }), new Flatten(), new Dense({ units: 10, activation: 'softmax' })]
  : [new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
    new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu' }), new MaxPooling2D({ poolSize: 2 }), new Flatten(),
    new Dense({ units: 120, activation: 'relu' }), new Dense({ units: 84, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
const current = { minFlopsPerByte: w.pool.minFlopsPerByte, windowParallelSize: w.pool.windowParallelSize };
const configs = [
  { name: '1 thread', threads: 1, ...current },
  { name: `2 threads, current (${current.minFlopsPerByte} flops/byte, windows from ${current.windowParallelSize})`, threads: 2, ...current },
  { name: '2 threads, convolution on one thread (8 flops/byte, no windows)', threads: 2, minFlopsPerByte: 8, windowParallelSize: Infinity },
];
const best = new Map<string, number>();
const xt = new Tensor(x, [n, 28, 28, 1]), yt = new Tensor(y, [n]);
const xw = new Tensor(x.subarray(0, 640 * 784), [640, 28, 28, 1]), yw = new Tensor(y.subarray(0, 640), [640]);
for (let r = 0; r < rounds; r++) for (const c of configs) {
  setNumThreads(c.threads);
  w.pool.minFlopsPerByte = c.minFlopsPerByte;
  w.pool.windowParallelSize = c.windowParallelSize;
  const m = make();
  m.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy' });
  await m.fit(xw, yw, { epochs: 1, batchSize: 64, seed: 1 }); // warm-up
  const t0 = performance.now();
  await m.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 2 });
  best.set(c.name, Math.max(best.get(c.name) ?? 0, n / ((performance.now() - t0) / 1000)));
  m.dispose();
}
console.log(`${model === 'w2' ? 'W2' : 'LeNet CNN'} training, Adam, batch 64, ${n} samples, best of ${rounds} interleaved rounds:`);
for (const [name, v] of best) console.log(`  ${Math.round(v).toLocaleString('en-US').padStart(7)} samples/s  ${name}`);
process.exit(0);
