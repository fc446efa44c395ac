// W1 (or LeNet) training speed, A/B between two checkouts, INTERLEAVED: each round runs one child
// process per checkout (alternating which goes first), each training on the wasm backend after a
// warm-up epoch of 640 samples, and prints samples/s and a hash of the trained weights
// (bit-identity check). W1: the MLP 784-128 relu - 10 softmax, categorical cross-entropy, SGD
// 0.1, batch 64, 10,000 random samples. --model lenet: the LeNet CNN of `npm run bench`
// (bench/run.ts), Adam 0.002, sparse labels, batch 64, 5,000 random samples, as the bench runs it.
// --model infer: W1 inference, predict on the 10,000 samples at batch 1000 (the bench's W1
// inference), timed over 5 calls after 3 warm-up calls; the hash is of the predictions.
//
//   node --import tsx bench/ab-w1.ts <checkoutA> <checkoutB> [--rounds 5] [--threads 1] [--model w1|lenet|infer]
//   node --import tsx bench/ab-w1.ts --child <checkout> <threads> [w1|lenet|infer]     (one measurement)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const nb = await import(pathToFileURL(resolve(args[1]!, 'src', 'index.ts')).href);
  await nb.setBackend('wasm');
  nb.setNumThreads(Number(args[2]));
  const lenet = args[3] === 'lenet', rng = new nb.Rng(1), n = lenet ? 5000 : 10000, cls = lenet ? 1 : 10;
  const x = new Float32Array(n * 784).map(() => rng.uniform()), y = new Float32Array(n * cls);
  for (let i = 0; i < n; i++) { if (lenet) y[i] = rng.int(10); else y[i * 10 + rng.int(10)] = 1; }
  const model = lenet ? new nb.Sequential([
    new nb.Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new nb.MaxPooling2D({ poolSize: 2 }),
    new nb.Conv2D({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }), new nb.MaxPooling2D({ poolSize: 2 }), new nb.Flatten(),
    new nb.Dense({ units: 120, activation: 'relu' }), new nb.Dense({ units: 84, activation: 'relu' }), new nb.Dense({ units: 10, activation: 'softmax' })], { seed: 1 })
    : new nb.Sequential([new nb.Dense({ units: 128, activation: 'relu', inputShape: [784] }), new nb.Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
  model.compile(lenet ? { optimizer: new nb.Adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy' }
    : { optimizer: new nb.SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  const shape = lenet ? [28, 28, 1] : [784];
  await model.fit(new nb.Tensor(x.subarray(0, 640 * 784), [640, ...shape]), new nb.Tensor(y.subarray(0, 640 * cls), lenet ? [640] : [640, 10]), { epochs: 1, batchSize: 64, seed: 1 });
  const h = createHash('sha256');
  let rate: number;
  if (args[3] === 'infer') {
    const xt = new nb.Tensor(x, [n, 784]);
    for (let i = 0; i < 3; i++) model.predict(xt, { batchSize: 1000 });
    const t0 = performance.now();
    let out = null;
    for (let i = 0; i < 5; i++) out = model.predict(xt, { batchSize: 1000 });
    rate = 5 * n / ((performance.now() - t0) / 1000);
    h.update(new Uint8Array((out.data as Float32Array).slice().buffer));
  } else {
    const t0 = performance.now();
    await model.fit(new nb.Tensor(x, [n, ...shape]), new nb.Tensor(y, lenet ? [n] : [n, 10]), { epochs: 1, batchSize: 64, seed: 2 });
    rate = n / ((performance.now() - t0) / 1000);
    for (const w of model.getWeights()) h.update(new Uint8Array((w.data as Float32Array).slice().buffer));
  }
  console.log(JSON.stringify({ rate, hash: h.digest('hex').slice(0, 16) }));
  process.exit(0);
}
const [a, b] = args;
if (!a || !b) { console.error('usage: bench/ab-w1.ts <checkoutA> <checkoutB> [--rounds N] [--threads T] [--model w1|lenet|infer]'); process.exit(2); }
const modelName = args.includes('--model') ? args[args.indexOf('--model') + 1]! : 'w1';
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 5;
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;
const runs: Record<string, number[]> = { [a]: [], [b]: [] };
const hashes: Record<string, Set<string>> = { [a]: new Set(), [b]: new Set() };
for (let r = 0; r < rounds; r++) {
  for (const c of r % 2 === 0 ? [a, b] : [b, a]) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', c, String(threads), modelName], { encoding: 'utf8' });
    if (out.status !== 0) { console.error(out.stderr); process.exit(1); }
    const j = JSON.parse(out.stdout.trim().split('\n').pop()!) as { rate: number; hash: string };
    runs[c]!.push(j.rate); hashes[c]!.add(j.hash);
  }
}
const med = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)]!;
console.log(`${modelName === 'lenet' ? 'LeNet training' : modelName === 'infer' ? 'W1 inference (batch 1000)' : 'W1 training'} on wasm, ${threads} thread(s), ${rounds} interleaved rounds (samples/s):`);
for (const c of [a, b]) console.log(`  ${c}: best ${Math.round(Math.max(...runs[c]!))}, median ${Math.round(med(runs[c]!))}  [${runs[c]!.map(Math.round).join(', ')}]  ${modelName === 'infer' ? 'predictions' : 'weights'} ${[...hashes[c]!].join(', ')}`);
