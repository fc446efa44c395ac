// `npm run bench` / `nabla bench`: nabla (js; wasm 1 thread; wasm all threads) against the
// JavaScript field and PyTorch CPU. Every library configuration runs in a CHILD PROCESS of its own,
// one after another, as its users run it (one library, one backend in a process): none of them
// pays for the heap, the compiled code or the threads another one left behind. Prints a table of
// samples/s with each competitor's ratio to nabla's best configuration and writes it as JSON under
// bench/results/<date>.json.
//
//   node --import tsx bench/run.ts [--quick] [--only nabla] [--passes N] [--out file.json] [--no-save] [--no-rnn]
//                                  [--threads-ab] [--no-threads-ab] [--ab-rounds N] [--scaling]
//
// Every run on a machine with 2+ cores ends with an interleaved A/B of nabla (wasm) on 1 thread
// against all threads for every workload, reported as ratios (bench/threads-ab.ts; 4 rounds, 2
// with --quick, --ab-rounds N); --threads-ab runs only that, --no-threads-ab skips it.
// --scaling runs bench/scaling.ts instead (the scaling curves; see there).
//
// nabla runs with its defaults: the relaxed-SIMD (FMA) build wherever relaxed SIMD runs (Node 20
// included: the backend sets the V8 flag itself). In full runs the wasm configurations run once
// more in children with NABLA_FMA=0, as extra plain-build rows (shown, not used for the ratios).
// `--adapter ID` is a child's mode: run that one configuration (ids in ADAPTER_IDS) for one pass
// and print its row as JSON.
// PyTorch runs in a child with 1 and 2 threads, keeping the best, and its row names the BLAS that
// served it ("PyTorch (reference BLAS)" for Debian's libblas3); `bench/setup.sh` (as root, once)
// installs python3-torch and OpenBLAS. `npm run bench` itself never needs root.
//
// Workloads (random uniform inputs and random one-hot targets unless stated):
//   W1  MLP 784-128 relu - 10 softmax, categorical cross-entropy, SGD 0.1, batch 64, 10,000 samples
//   W2  conv 5x5x8 valid relu - maxpool 2 - dense 10 softmax, same settings, 5,000 samples
//   W3  the main job's model (784-128 relu - 10 softmax, sparse cross-entropy, Adam 0.002, batch 64),
//       one epoch of MNIST's 60,000 training images
//   LeNet the CNN of `nabla train --model cnn`: conv 5x5x6 'same' - maxpool 2 - conv 5x5x16 - maxpool 2 -
//       dense 120 - dense 84 - dense 10 softmax, relu, sparse cross-entropy, Adam 0.002, batch 64,
//       on the W2 inputs (5,000 random 28x28x1 images)
//   W1 inference at batch 1000 (10,000 samples), and sgemm GFLOP/s at 256, 512, 1024.
//   W1 custom loop: W1 written with ops + variableGrads + SGD (bench/custom-loop.ts), for nabla and
//       TF.js (tf.variableGrads); "W1 layer.call loop" the same loop with nabla's two Dense layers
//       called on the tape. The report adds each nabla row's custom-loop / fused-W1 ratio and the
//       custom loop against TF.js wasm's, all from this run.
// Slow libraries train on a prefix of the data (the JSON records how many samples each used);
// each training figure is one timed epoch after a warm-up epoch on the same data (WARMUP_SAMPLES) per
// pass, and the table keeps
// the best of the passes (2 by default; 1 with --quick), for every library alike.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, Sequential, SGD, Adam, Rng, Tensor, getKernels,
  setBackend, setNumThreads, loadMnist, getBackendInfo,
} from '../src/index.js';
import { type Adapter, type Data, WARMUP_SAMPLES, now, slice } from './competitors/common.js';
import { runTorch, torchLabel, torchMissing, type TorchBlas } from './competitors/torch.js';
import { nablaCustomW1, nablaLayersW1 } from './custom-loop.js';
import { threadsAb, threadsAbTable, type ThreadsAbRow } from './threads-ab.js';

if (process.argv.includes('--scaling')) {
  await import('./scaling.js');
  process.exit(0);
}

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const outArg = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const noSave = args.includes('--no-save');
/** Child mode: run one library configuration (an id of ADAPTER_IDS) for one pass and print its row as one JSON line. */
const childAdapter = args.includes('--adapter') ? args[args.indexOf('--adapter') + 1] : undefined;
/** Only the 1-vs-all-threads A/B; or none of it. */
const abOnly = args.includes('--threads-ab'), abSkip = args.includes('--no-threads-ab');
const abRounds = args.includes('--ab-rounds') ? Number(args[args.indexOf('--ab-rounds') + 1]) : quick ? 2 : 4;
if (!Number.isInteger(abRounds) || abRounds < 1) { console.error('bench: --ab-rounds must be a positive integer'); process.exit(2); }
/**
 * Passes over every library, each timing every workload once; a figure is the best of its passes.
 * Passes, not back-to-back repeats, because a shared machine's speed swings over minutes: each
 * library then gets its runs at the same spread of moments as the others.
 */
const passes = args.includes('--passes') ? Number(args[args.indexOf('--passes') + 1]) : quick || childAdapter !== undefined ? 1 : 2;
if (!Number.isInteger(passes) || passes < 1) { console.error('bench: --passes must be a positive integer'); process.exit(2); }
const log = (s: string) => process.stderr.write(s + '\n');

type Key = 'w1' | 'w1Custom' | 'w1Layers' | 'w1Mnist' | 'w2' | 'w3' | 'lenet' | 'w1Infer' | 'w1InferMnist' | 'sgemm256' | 'sgemm512' | 'sgemm1024';
const KEYS: Key[] = ['w1', 'w1Custom', 'w1Layers', 'w1Mnist', 'w2', 'w3', 'lenet', 'w1Infer', 'w1InferMnist', 'sgemm256', 'sgemm512', 'sgemm1024'];
const LABELS: Record<Key, string> = {
  w1: 'W1 MLP train (samples/s)', w1Custom: 'W1 custom loop (samples/s)', w1Layers: 'W1 layer.call loop (samples/s)', w1Mnist: 'W1 train on MNIST pixels (samples/s)', w2: 'W2 CNN train (samples/s)', w3: 'W3 MNIST Adam (samples/s)', lenet: 'LeNet CNN Adam (samples/s)',
  w1Infer: 'W1 inference b1000 (samples/s)', w1InferMnist: 'W1 inference b1000, MNIST pixels (samples/s)', sgemm256: 'sgemm 256 (GFLOP/s)', sgemm512: 'sgemm 512 (GFLOP/s)', sgemm1024: 'sgemm 1024 (GFLOP/s)',
};
interface Row {
  name: string; kind: 'nabla' | 'nabla-plain' | 'competitor'; values: Partial<Record<Key, number>>; samples: Partial<Record<Key, number>>; notes: Record<string, string>;
  /** PyTorch's BLAS (the library that served sgemm) */
  blas?: TorchBlas;
  /** PyTorch's figures per thread count, before keeping the best */
  byThreads?: Record<string, Record<string, number>>;
}

// ---- data ------------------------------------------------------------------------------------
const rng = new Rng(1);
function randomData(n: number): Data {
  const x = new Float32Array(n * 784), y = new Float32Array(n * 10), labels = new Int32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  for (let i = 0; i < n; i++) { labels[i] = rng.int(10); y[i * 10 + labels[i]!] = 1; }
  return { x, y, labels, n };
}
const N1 = quick ? 2000 : 10000, N2 = quick ? 500 : 5000, NI = quick ? 2000 : 10000;
const d1 = randomData(N1), d2 = randomData(N2), dInfer = randomData(NI);
let mnist: Data | undefined;
try {
  const m = loadMnist();
  const n = quick ? 5000 : m.train.images.shape[0]!;
  const x = new Float32Array(m.train.images.data as ArrayLike<number> as Float32Array).subarray(0, n * 784);
  const lab = m.train.labels.data as ArrayLike<number>;
  const labels = new Int32Array(n), y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) { labels[i] = lab[i]!; y[i * 10 + labels[i]!] = 1; }
  mnist = { x: x.slice(), y, labels, n };
} catch (e) { log(`W3 skipped: MNIST did not load (${(e as Error).message})`); }
// W1 on MNIST's own pixels (81% zeros, which nabla's gemm skips; docs/guides/benchmarks.md): the
// first N1 / NI training images, as many as W1 and its inference take of the random data.
const mnist1 = mnist && slice(mnist, N1), mnistInfer = mnist && slice(mnist, NI);

// ---- nabla -----------------------------------------------------------------------------------
async function nablaFit(make: () => Sequential, opt: () => SGD | Adam, loss: 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy', d: Data, shape: number[]): Promise<number> {
  const y = loss === 'sparseCategoricalCrossentropy' ? new Tensor(Float32Array.from(d.labels), [d.n]) : new Tensor(d.y, [d.n, 10]);
  const x = new Tensor(d.x, [d.n, ...shape]);
  const w = slice(d, WARMUP_SAMPLES);
  const xw = new Tensor(w.x, [w.n, ...shape]);
  const yw = loss === 'sparseCategoricalCrossentropy' ? new Tensor(Float32Array.from(w.labels), [w.n]) : new Tensor(w.y, [w.n, 10]);
  const model = make();
  model.compile({ optimizer: opt(), loss });
  await model.fit(xw, yw, { epochs: 1, batchSize: 64, seed: 1 });
  const t0 = now();
  await model.fit(x, y, { epochs: 1, batchSize: 64, seed: 2 });
  const rate = d.n / (now() - t0);
  model.dispose();
  return rate;
}
const mlp = (flat: boolean) => new Sequential([
  ...(flat ? [new Flatten({ inputShape: [28, 28, 1] })] : []),
  new Dense({ units: 128, activation: 'relu', ...(flat ? {} : { inputShape: [784] }) }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });

/** The LeNet CNN of `nabla train --model cnn` (src/cli/model-spec.ts) for 28x28x1 inputs, relu. */
const lenet = () => new Sequential([
  new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
  new Conv2D({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }), new MaxPooling2D({ poolSize: 2 }), new Flatten(),
  new Dense({ units: 120, activation: 'relu' }), new Dense({ units: 84, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });

function nablaAdapter(label: string, backend: 'js' | 'wasm', threads: number): Adapter {
  return {
    name: label, notes: {},
    caps: backend === 'js' ? { w1Custom: quick ? 500 : 2000, w1Layers: quick ? 500 : 2000, w2: quick ? 200 : 1000, w3: quick ? 2000 : 20000, lenet: quick ? 200 : 1000 } : {},
    w1: (d) => nablaFit(() => mlp(false), () => new SGD({ learningRate: 0.1 }), 'categoricalCrossentropy', d, [784]),
    w1Mnist(d) { return this.w1!(d); },
    w1Custom: async (d) => nablaCustomW1(d),
    w1Layers: async (d) => nablaLayersW1(d),
    w2: (d) => nablaFit(() => new Sequential([
      new Conv2D({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
      new Flatten(), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 }), () => new SGD({ learningRate: 0.1 }), 'categoricalCrossentropy', d, [28, 28, 1]),
    w3: (d) => nablaFit(() => mlp(true), () => new Adam({ learningRate: 0.002 }), 'sparseCategoricalCrossentropy', d, [28, 28, 1]),
    lenet: (d) => nablaFit(lenet, () => new Adam({ learningRate: 0.002 }), 'sparseCategoricalCrossentropy', d, [28, 28, 1]),
    w1InferMnist(d) { return this.w1Infer!(d); },
    async w1Infer(d) {
      const model = mlp(false);
      const x = new Tensor(d.x, [d.n, 784]);
      model.predict(x, { batchSize: 1000 });
      let best = 0;
      for (let r = 0; r < (quick ? 2 : 8); r++) {
        const t0 = now();
        model.predict(x, { batchSize: 1000 });
        best = Math.max(best, d.n / (now() - t0));
      }
      model.dispose();
      return best;
    },
    async sgemm(size) {
      const k = getKernels();
      const a = k.alloc('float32', size * size), b = k.alloc('float32', size * size), c = k.alloc('float32', size * size);
      for (let i = 0; i < a.length; i++) { a[i] = rng.normal(); b[i] = rng.normal(); }
      const flop = 2 * size ** 3;
      const reps = Math.max(1, Math.round((quick ? 2e8 : 1e9) / flop / (backend === 'js' ? 10 : 1)));
      k.gemm(false, false, size, size, size, 1, a, b, 0, c);
      let best = 0;
      for (let round = 0; round < (quick ? 2 : 5); round++) {
        const t0 = now();
        for (let r = 0; r < reps; r++) k.gemm(false, false, size, size, size, 1, a, b, 0, c);
        best = Math.max(best, flop * reps / (now() - t0) / 1e9);
      }
      k.free(a); k.free(b); k.free(c);
      return best;
    },
    dispose: async () => { void threads; },
  };
}

// ---- run -------------------------------------------------------------------------------------
const rows: Row[] = [];
const skipped: string[] = [];
async function runAdapter(a: Adapter, kind: Row['kind'], setup?: () => Promise<void>): Promise<void> {
  if (setup) await setup();
  const row: Row = { name: a.name, kind, values: {}, samples: {}, notes: { ...a.notes } };
  const data: Record<'w1' | 'w1Custom' | 'w1Layers' | 'w1Mnist' | 'w2' | 'w3' | 'lenet' | 'w1Infer' | 'w1InferMnist', Data | undefined> =
    { w1: d1, w1Custom: d1, w1Layers: d1, w1Mnist: mnist1, w2: d2, w3: mnist, lenet: d2, w1Infer: dInfer, w1InferMnist: mnistInfer };
  for (const key of ['w1', 'w1Custom', 'w1Layers', 'w1Mnist', 'w2', 'w3', 'lenet', 'w1Infer', 'w1InferMnist'] as const) {
    const fn = a[key];
    if (!fn) continue;
    let d = data[key];
    if (!d) { row.notes[key] = 'no data'; continue; }
    const cap = key === 'w1Infer' || key === 'w1InferMnist' ? undefined : a.caps?.[key as keyof NonNullable<Adapter['caps']>];
    if (cap !== undefined && cap < d.n) d = slice(d, cap);
    log(`  ${a.name}: ${key} (${d.n} samples)`);
    try {
      row.values[key] = await fn.call(a, d);
      row.samples[key] = d.n;
    } catch (e) {
      row.notes[key] = `failed: ${((e as Error).message ?? String(e)).split('\n')[0]!.slice(0, 160)}`;
      log(`    ${row.notes[key]}`);
    }
  }
  if (a.sgemm) for (const s of [256, 512, 1024]) {
    log(`  ${a.name}: sgemm ${s}`);
    try { row.values[`sgemm${s}` as Key] = await a.sgemm(s); } catch (e) { row.notes[`sgemm${s}`] = `failed: ${(e as Error).message}`; }
  }
  await a.dispose?.();
  addRow(row);
}

/** Adds a pass's row, or keeps the best of each figure when the library already has one. */
function addRow(row: Row): void {
  const old = rows.find((r) => r.name === row.name);
  if (!old) { rows.push(row); return; }
  for (const k of KEYS) {
    const v = row.values[k];
    if (v !== undefined && !(v <= (old.values[k] ?? 0))) { old.values[k] = v; old.samples[k] = row.samples[k]; }
  }
  Object.assign(old.notes, row.notes);
}

const threads = availableParallelism();
const started = new Date();
const load0 = loadavg();
if (childAdapter === undefined) log(`nabla bench${quick ? ' --quick' : ''}: ${cpus()[0]?.model ?? '?'}, ${threads} cores, node ${process.version}, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
const fma = getBackendInfo().fma ? ' FMA' : '';
/** Notes a library that could not run (once, however many passes). */
function skip(message: string): void {
  if (!skipped.includes(message)) { skipped.push(message); log(message); }
}

/**
 * The library configurations, each run in a child process of its own (`--adapter ID`): its
 * adapter, the row kind and the set-up of nabla's backend. A competitor that cannot load (a
 * package missing) reports why instead of a row.
 */
const ADAPTERS: Record<string, { kind: Row['kind']; load: () => Promise<Adapter> }> = {
  'nabla-js': { kind: 'nabla', load: async () => { await setBackend('js'); return nablaAdapter('nabla js', 'js', 1); } },
  'nabla-wasm-1': { kind: 'nabla', load: async () => { await setBackend('wasm'); setNumThreads(1); return nablaAdapter(`nabla wasm${fma} 1 thread`, 'wasm', 1); } },
  'nabla-wasm-all': { kind: 'nabla', load: async () => { await setBackend('wasm'); setNumThreads(threads); return nablaAdapter(`nabla wasm${fma} ${threads} threads`, 'wasm', threads); } },
  'tfjs-wasm': { kind: 'competitor', load: async () => (await import('./competitors/tfjs.js')).tfjsAdapter('wasm', quick) },
  'tfjs-cpu': { kind: 'competitor', load: async () => (await import('./competitors/tfjs.js')).tfjsAdapter('cpu', quick) },
  'convnetjs': { kind: 'competitor', load: async () => (await import('./competitors/convnetjs.js')).convnetjsAdapter(quick) },
  'brain': { kind: 'competitor', load: async () => (await import('./competitors/brain.js')).brainAdapter(quick) },
};
const ADAPTER_NAMES: Record<string, string> = { 'tfjs-wasm': 'TF.js wasm', 'tfjs-cpu': 'TF.js cpu', convnetjs: 'ConvNetJS', brain: 'brain.js' };

/** Child mode: one configuration, one pass; the last stdout line is {row} or {skipped}. */
async function runChild(id: string): Promise<never> {
  const spec = ADAPTERS[id];
  if (spec === undefined) { console.error(`bench: unknown --adapter ${id} (one of ${Object.keys(ADAPTERS).join(', ')})`); process.exit(2); }
  let a: Adapter;
  try { a = await spec.load(); } catch (e) {
    console.log(JSON.stringify({ skipped: `${ADAPTER_NAMES[id] ?? id}: skipped (${((e as Error).message ?? String(e)).split('\n')[0]!.slice(0, 200)})` }));
    process.exit(0);
  }
  await runAdapter(a, spec.kind);
  console.log(JSON.stringify({ row: rows[0] }));
  process.exit(0); // worker threads of the wasm backend and TF.js keep the loop alive
}

/** Runs configuration `id` in a child process (with `env` added) and adds its row; `rename` relabels a row. */
function runInChild(id: string, env: Record<string, string> = {}, rename?: (r: Row) => Row): void {
  log(`  ${ADAPTER_NAMES[id] ?? id}${Object.keys(env).length ? ` (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}: child process`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--adapter', id, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  try {
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { row?: Row; skipped?: string };
    if (out.skipped !== undefined) skip(out.skipped);
    else addRow(rename ? rename(out.row!) : out.row!);
  } catch (e) { skip(`${ADAPTER_NAMES[id] ?? id}: failed (exit ${child.status}; ${(e as Error).message.split('\n')[0]})`); }
}

/** One pass: every nabla configuration, then every competitor, each in its own child process, each workload timed once. */
function runPass(): void {
  const wasmIds = threads > 1 ? ['nabla-wasm-1', 'nabla-wasm-all'] : ['nabla-wasm-1'];
  for (const id of ['nabla-js', ...wasmIds]) runInChild(id);
  // FMA is the default (relaxed SIMD; Node 20 gets its flag from the backend): the plain build
  // runs once more with NABLA_FMA=0, as extra rows not used for the ratios.
  if (fma && !quick) for (const id of wasmIds) runInChild(id, { NABLA_FMA: '0' }, (r) => {
    if (r.name.includes('FMA')) throw new Error('the child loaded the relaxed-SIMD build');
    return { ...r, kind: 'nabla-plain', name: `${r.name} (NABLA_FMA=0)` };
  });
  if (only === 'nabla') return;
  for (const id of ['tfjs-wasm', 'tfjs-cpu', 'convnetjs', 'brain']) runInChild(id);
  // PyTorch CPU through Python (Debian's python3-torch; bench/setup.sh installs it with OpenBLAS).
  const missing = torchMissing();
  if (missing !== null) { skip(`PyTorch: skipped (${missing})`); return; }
  log('  PyTorch CPU (child process, 1 and 2 threads)');
  try {
    const j = runTorch(quick, mnist);
    addRow({
      name: torchLabel(j.version, j.blas), kind: 'competitor', blas: j.blas,
      values: { w1: j.w1, w1Mnist: j.w1_mnist, w2: j.w2, w3: j.w3, lenet: j.lenet, w1Infer: j.w1_infer, w1InferMnist: j.w1_infer_mnist, sgemm256: j.sgemm['256'], sgemm512: j.sgemm['512'], sgemm1024: j.sgemm['1024'] },
      samples: { w1: N1, w1Mnist: mnist1?.n, w2: N2, lenet: N2, w3: mnist ? Math.min(mnist.n, quick ? 5000 : 60000) : undefined },
      notes: { blas: `${j.blas.name}${j.blas.config ? ` (${j.blas.config})` : ''}${j.blas.library ? `, ${j.blas.library}` : ''}`,
        threads: `best of ${j.threads.join(' and ')} threads; used ${Object.entries(j.threads_used).map(([k, n]) => `${k} ${n}`).join(', ')}` },
      byThreads: j.by_threads,
    });
  } catch (e) { skip(`PyTorch: failed (${(e as Error).message.split('\n')[0]})`); }
}

if (childAdapter !== undefined) await runChild(childAdapter);
if (!abOnly) for (let pass = 1; pass <= passes; pass++) {
  if (passes > 1) log(`pass ${pass} of ${passes}`);
  runPass();
}

/** nabla (wasm, its defaults) on 1 thread against all threads, every workload, interleaved. */
async function runThreadsAb(): Promise<ThreadsAbRow[]> {
  await setBackend('wasm');
  const a = nablaAdapter('threads A/B', 'wasm', threads);
  const data: Record<string, Data | undefined> = { w1: d1, w1Mnist: mnist1, w2: d2, w3: mnist, lenet: d2, w1Infer: dInfer, w1InferMnist: mnistInfer };
  const workloads = ['w1', ...(mnist1 ? ['w1Mnist'] : []), 'w2', ...(mnist ? ['w3'] : []), 'lenet', 'w1Infer', ...(mnistInfer ? ['w1InferMnist'] : []), 'sgemm1024'];
  return threadsAb(workloads, threads, abRounds, async (key, t) => {
    setNumThreads(t);
    if (key === 'sgemm1024') return a.sgemm!(1024);
    return (a[key as 'w1'] as (d: Data) => Promise<number>).call(a, data[key]!);
  }, log);
}
const abRows = threads > 1 && !abSkip ? await runThreadsAb() : [];
const abTable = abRows.length ? threadsAbTable(abRows.map((r) => ({ ...r, workload: LABELS[r.workload as Key] ?? r.workload })), threads) : '';

// ---- report ----------------------------------------------------------------------------------
const best: Partial<Record<Key, number>> = {};
for (const r of rows) if (r.kind === 'nabla') for (const k of KEYS) { const v = r.values[k]; if (v !== undefined) best[k] = Math.max(best[k] ?? 0, v); }
const fmt = (v: number | undefined, k: Key) => v === undefined ? '-' : k.startsWith('sgemm') ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
const ratio = (v: number | undefined, k: Key) => v === undefined || !best[k] ? '' : ` (${(best[k]! / v).toFixed(1)}x)`;
const header = ['workload', ...rows.map((r) => r.name)];
const table = KEYS.map((k) => [LABELS[k], ...rows.map((r) => fmt(r.values[k], k) + (r.kind === 'competitor' ? ratio(r.values[k], k) : ''))]);
const widths = header.map((_, i) => Math.max(...[header, ...table].map((l) => l[i]!.length)));
const line = (cells: string[]) => '| ' + cells.map((c, i) => i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join(' | ') + ' |';
const md = [line(header), '|' + widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|') + '|', ...table.map(line)].join('\n');
if (!abOnly) console.log(md);
if (!abOnly) console.log('\n(x) = best nabla configuration / competitor: how many times faster nabla is.');
if (rows.some((r) => r.kind === 'nabla-plain'))
  console.log('NABLA_FMA=0 rows: the plain-SIMD build (no fused multiply-add), in a child process; not used for the ratios.');
if (rows.some((r) => r.blas !== undefined))
  console.log('PyTorch: best of 1 and 2 threads per workload, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its process; the row names the BLAS that served sgemm (bench/setup.sh installs OpenBLAS).');
for (const r of rows) for (const [k, n] of Object.entries(r.notes)) console.log(`${r.name} ${k}: ${n}`);
// The custom-loop targets of issue 13, from this run: against the fused W1 of the same row, and against TF.js wasm's custom loop.
const customRatios: string[] = [];
for (const r of rows) if (r.kind === 'nabla' && r.values.w1 && r.values.w1Custom)
  customRatios.push(`${r.name}: custom loop / fused W1 = ${(r.values.w1Custom / r.values.w1).toFixed(2)}` +
    (r.values.w1Layers ? `, layer.call loop / fused W1 = ${(r.values.w1Layers / r.values.w1).toFixed(2)}` : ''));
const tfWasm = rows.find((r) => r.name.startsWith('TF.js wasm'));
if (tfWasm?.values.w1Custom && best.w1Custom) customRatios.push(`best nabla custom loop / ${tfWasm.name} custom loop = ${(best.w1Custom / tfWasm.values.w1Custom).toFixed(1)}`);
if (customRatios.length > 0) console.log(`\nW1 custom loop (targets: >= 0.5x the fused W1, >= 5x TF.js wasm):\n  ${customRatios.join('\n  ')}`);
for (const s of skipped) console.log(s);
if (abTable) console.log(`\nnabla wasm${fma}: 1 thread against ${threads}, interleaved A/B over ${abRounds} rounds (ratio = median of the rounds' ${threads}-thread / 1-thread):\n${abTable}`);

const result = {
  date: started.toISOString(), command: `npm run bench${quick ? ' -- --quick' : ''}`, quick, passes,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: threads, fma: fma !== '', os: `${platform()} ${release()}`, node: process.version, loadAverageStart: load0, loadAverageEnd: loadavg() },
  bestNabla: best,
  rows: rows.map((r) => ({ ...r, ratioBestNablaOverThis: r.kind === 'competitor' ? Object.fromEntries(KEYS.filter((k) => r.values[k] && best[k]).map((k) => [k, best[k]! / r.values[k]!])) : undefined })),
  skipped, table: md,
  customLoopRatios: customRatios,
  threadsAb: abRows.length ? { rounds: abRounds, threads, rows: abRows, table: abTable } : undefined,
};
// ---- the character LSTM of issue 14 (bench/recurrent.ts): its own table, `recurrent` in the JSON; --no-rnn skips it
const { runRecurrentBench, recurrentTable } = await import('./recurrent.js');
const recurrent = args.includes('--no-rnn') ? [] : await runRecurrentBench(quick, passes, log, only === 'nabla');
if (recurrent.length > 0) console.log(`\n${recurrentTable(recurrent)}`);
Object.assign(result, { recurrent });
if (!noSave) {
  const file = outArg ?? join(HERE, 'results', `${started.toISOString().slice(0, 10)}${quick ? '-quick' : ''}${abOnly ? '-threads-ab' : ''}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}
// worker threads of the wasm backend and TF.js keep the loop alive
process.exit(0);
