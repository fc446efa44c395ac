// Kernel benchmark: sgemm GFLOP/s at 256/512/1024 (wasm, 1 thread and all threads) and the
// samples/s of one epoch of W1 (MLP 784-128 relu - 10 softmax, categorical cross-entropy, SGD 0.1,
// batch 64, 10,000 samples), W1 inference at batch 1000, and W2 (conv 5x5x8 valid relu - maxpool
// 2 - dense 10, same settings, 5,000 samples) on the js and wasm backends.
//
//   node --import tsx bench/kernels.ts
//   node --import tsx bench/kernels.ts --quick    (fewer repetitions)
//
// Numbers are the best of several runs (this machine is shared; the best run is the least
// disturbed). The full competitor benchmark (`npm run bench`) is separate.
import { availableParallelism } from 'node:os';
import { Conv2D, Dense, Flatten, MaxPooling2D, Sequential, SGD, Rng, Tensor, getKernels, getBackend, setBackend, setNumThreads, getNumThreads } from '../src/index.js';

const quick = process.argv.includes('--quick');
const rng = new Rng(1);

function sgemmGflops(size: number): number {
  const k = getKernels();
  const a = k.alloc('float32', size * size), b = k.alloc('float32', size * size), c = k.alloc('float32', size * size);
  for (let i = 0; i < a.length; i++) { a[i] = rng.normal(); b[i] = rng.normal(); }
  const flop = 2 * size ** 3;
  const reps = Math.max(1, Math.round((quick ? 5e8 : 2e9) / flop / 8));
  let best = 0;
  for (let round = 0; round < (quick ? 4 : 8); round++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) k.gemm(false, false, size, size, size, 1, a, b, 0, c);
    const dt = (performance.now() - t0) / 1000 / reps;
    best = Math.max(best, flop / dt / 1e9);
  }
  k.free(a); k.free(b); k.free(c);
  return best;
}

/** n random 28x28 images in [0, 1) shaped `[n, ...shape]` and n random one-hot rows of 10 classes. */
function randomMnist(n: number, shape: number[]): { xt: Tensor; yt: Tensor } {
  const x = new Float32Array(n * 784), y = new Float32Array(n * 10);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  for (let i = 0; i < n; i++) y[i * 10 + rng.int(10)] = 1;
  return { xt: new Tensor(x, [n, ...shape]), yt: new Tensor(y, [n, 10]) };
}

/** W1 inference: predict 10,000 samples at batch 1000 (forward only). */
function w1InferenceSamplesPerSecond(): number {
  const n = 10000;
  const { xt } = randomMnist(n, [784]);
  const model = new Sequential([new Dense({ units: 128, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
  model.predict(xt, { batchSize: 1000 }); // warm-up
  let best = 0;
  for (let round = 0; round < (quick ? 3 : 8); round++) {
    const t0 = performance.now();
    model.predict(xt, { batchSize: 1000 });
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  model.dispose();
  return best;
}

async function w1SamplesPerSecond(): Promise<number> {
  const n = 10000;
  const { xt, yt } = randomMnist(n, [784]);
  let best = 0;
  for (let round = 0; round < (quick ? 2 : 4); round++) {
    const model = new Sequential([new Dense({ units: 128, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
    await model.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 1 }); // warm-up (JIT, tier-up, buffers)
    const t0 = performance.now();
    await model.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 2 });
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
    model.dispose();
  }
  return best;
}

/** W2: conv 5x5x8 valid relu - maxpool 2 - dense 10 softmax, SGD 0.1, batch 64, 5,000 samples. */
async function w2SamplesPerSecond(): Promise<number> {
  const n = 5000;
  const { xt, yt } = randomMnist(n, [28, 28, 1]);
  let best = 0;
  const rounds = getBackend() === 'js' ? 1 : quick ? 2 : 4;
  for (let round = 0; round < rounds; round++) {
    const model = new Sequential([
      new Conv2D({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
      new Flatten(), new Dense({ units: 10, activation: 'softmax' }),
    ], { seed: 1 });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
    if (getBackend() !== 'js') await model.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 1 }); // warm-up
    const t0 = performance.now();
    await model.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 2 });
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
    model.dispose();
  }
  return best;
}

const threads = Number(process.env['NABLA_THREADS'] ?? availableParallelism());
console.log(`node ${process.version}, ${availableParallelism()} logical CPUs`);
await setBackend('wasm');
for (const t of [...new Set([1, threads])]) {
  setNumThreads(t);
  const line = [256, 512, 1024].map((s) => `${s}: ${sgemmGflops(s).toFixed(1)}`).join('  ');
  console.log(`sgemm GFLOP/s, wasm, ${getNumThreads()} thread(s)   ${line}`);
}
setNumThreads(threads);
for (const backend of ['js', 'wasm'] as const) {
  await setBackend(backend);
  const tag = `${backend}${backend === 'wasm' ? `, ${getNumThreads()} thread(s)` : ''}`;
  console.log(`W1 training (784-128-10, batch 64), ${tag}: ${Math.round(await w1SamplesPerSecond())} samples/s`);
  console.log(`W1 inference (batch 1000), ${tag}: ${Math.round(w1InferenceSamplesPerSecond())} samples/s`);
  console.log(`W2 training (conv 5x5x8 - maxpool - 10, batch 64), ${tag}: ${Math.round(await w2SamplesPerSecond())} samples/s`);
}
if (threads > 1) {
  setNumThreads(1);
  await setBackend('wasm');
  console.log(`W1 training (784-128-10, batch 64), wasm, 1 thread: ${Math.round(await w1SamplesPerSecond())} samples/s`);
  console.log(`W1 inference (batch 1000), wasm, 1 thread: ${Math.round(w1InferenceSamplesPerSecond())} samples/s`);
  console.log(`W2 training (conv 5x5x8 - maxpool - 10, batch 64), wasm, 1 thread: ${Math.round(await w2SamplesPerSecond())} samples/s`);
}
