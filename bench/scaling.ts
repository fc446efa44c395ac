// `npm run bench -- --scaling [--quick] [--figure] [--no-torch] [--out base]`: scaling curves of
// W1 training (784-h relu - 10 softmax, categorical cross-entropy, SGD 0.1) for nabla (wasm, its
// defaults) and PyTorch (bench/competitors/torch_scaling.py, a child process with
// OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset, /usr/bin/python3):
//   - throughput against hidden width h = 32..4096 (batch 64) and batch size 1..1024 (h = 128),
//     each on 1 and 2 threads, as a FRACTION OF PEAK = samples/s x FLOPs per sample / (the same
//     library's 2-thread sgemm-1024 GFLOP/s, measured in the same run);
//     FLOPs per training sample = 4 x 794 h + 20 h (forward, weight gradients, the output
//     layer's input gradient; 0.41 MFLOP at h = 128);
//   - inference latency at batch 1 (h = 128, softmax included), median microseconds per call.
// Writes bench/results/scaling-<date>[-quick].json and .png (with --figure the PNG goes to
// docs/examples/scaling.png, the committed figure). --quick: 3 widths, 3 batch sizes, small
// budgets (about a minute on a quiet 2-core machine). nabla runs first, then PyTorch; each
// library's fractions divide by its own peak from the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dense, Rng, SGD, Sequential, Tensor, getBackendInfo, getKernels, setBackend, setNumThreads } from '../src/index.js';
import { lineChart, renderSvg, svgToPng } from '../src/plots/index.js';
import { torchEnv, torchMissing } from './competitors/torch.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const log = (s: string) => process.stderr.write(s + '\n');
const cfg = {
  widths: quick ? [32, 512, 4096] : [32, 64, 128, 256, 512, 1024, 2048, 4096],
  batches: quick ? [1, 32, 1024] : [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  threads: [1, 2],
  budget: quick ? 3e8 : 3e9,
  maxSteps: quick ? 150 : 1500,
  latencyCalls: quick ? 300 : 3000,
};
/** Training FLOPs per sample of W1 with hidden width h. */
const flopsPerSample = (h: number) => 4 * 794 * h + 20 * h;
const samplesFor = (h: number, batch: number) => Math.max(batch * 2, Math.min(Math.floor(cfg.budget / flopsPerSample(h)), batch * cfg.maxSteps, 60000));

// ---- nabla -------------------------------------------------------------------------------------
await setBackend('wasm');
const rng = new Rng(1), NMAX = 60000;
const X = new Float32Array(NMAX * 784).map(() => rng.uniform()), Y = new Float32Array(NMAX * 10);
for (let i = 0; i < NMAX; i++) Y[i * 10 + rng.int(10)] = 1;
const w1 = (h: number) => new Sequential([new Dense({ units: h, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });

async function trainRate(h: number, batch: number): Promise<number> {
  const n = samplesFor(h, batch), nw = Math.min(n, Math.max(batch * 4, 256));
  const model = w1(h);
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  await model.fit(new Tensor(X.subarray(0, nw * 784), [nw, 784]), new Tensor(Y.subarray(0, nw * 10), [nw, 10]), { epochs: 1, batchSize: batch, seed: 1 });
  const t0 = performance.now();
  await model.fit(new Tensor(X.subarray(0, n * 784), [n, 784]), new Tensor(Y.subarray(0, n * 10), [n, 10]), { epochs: 1, batchSize: batch, seed: 2 });
  const rate = n / ((performance.now() - t0) / 1000);
  model.dispose();
  return rate;
}

function sgemm1024(): number {
  const k = getKernels(), s = 1024, flop = 2 * s ** 3;
  const a = k.alloc('float32', s * s), b = k.alloc('float32', s * s), c = k.alloc('float32', s * s);
  for (let i = 0; i < a.length; i++) { a[i] = rng.normal(); b[i] = rng.normal(); }
  k.gemm(false, false, s, s, s, 1, a, b, 0, c);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let q = 0; q < 4; q++) k.gemm(false, false, s, s, s, 1, a, b, 0, c);
    best = Math.max(best, (4 * flop) / ((performance.now() - t0) / 1000) / 1e9);
  }
  k.free(a); k.free(b); k.free(c);
  return best;
}

function latencyUs(): number {
  const model = w1(128), x = new Tensor(X.slice(0, 784), [1, 784]), times: number[] = [];
  for (let i = 0; i < 50; i++) model.predict(x).dispose();
  for (let i = 0; i < cfg.latencyCalls; i++) {
    const t0 = performance.now();
    model.predict(x).dispose();
    times.push((performance.now() - t0) * 1000);
  }
  model.dispose();
  return times.sort((p, q) => p - q)[times.length >> 1]!;
}

interface Side { version?: string; blas?: unknown; sgemm1024: number; width: Record<string, Record<string, number>>; batch: Record<string, Record<string, number>>; latencyUs: Record<string, number> }
log(`nabla scaling${quick ? ' --quick' : ''}: ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
setNumThreads(2);
const nabla: Side = { sgemm1024: sgemm1024(), width: {}, batch: {}, latencyUs: {} };
for (const t of cfg.threads) {
  setNumThreads(t);
  log(`  nabla, ${t} thread(s)`);
  nabla.width[t] = {}; nabla.batch[t] = {};
  for (const h of cfg.widths) nabla.width[t]![h] = await trainRate(h, 64);
  for (const b of cfg.batches) nabla.batch[t]![b] = await trainRate(128, b);
  nabla.latencyUs[t] = latencyUs();
}
const info = getBackendInfo();

// ---- PyTorch -----------------------------------------------------------------------------------
let torch: Side | null = null, torchNote = '';
const missing = args.includes('--no-torch') ? 'not run (--no-torch)' : torchMissing();
if (missing !== null) torchNote = `PyTorch: ${missing}`;
else {
  log('  PyTorch (child process)');
  const out = spawnSync('/usr/bin/python3', [join(HERE, 'competitors', 'torch_scaling.py'), JSON.stringify(cfg)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: torchEnv(), maxBuffer: 1 << 20 });
  try { torch = JSON.parse(out.stdout.trim().split('\n').pop()!) as Side; } catch { torchNote = `PyTorch: failed (exit ${out.status})`; }
}
if (torchNote) log(torchNote);

// ---- results -----------------------------------------------------------------------------------
const frac = (side: Side, rates: Record<string, number>, h: (key: number) => number) =>
  Object.entries(rates).map(([k, r]) => ({ x: Number(k), y: (r * flopsPerSample(h(Number(k)))) / (side.sgemm1024 * 1e9) }));
const sides: [string, Side][] = [[`nabla${info.fma ? ' (FMA)' : ''}`, nabla], ...(torch ? [[`PyTorch ${torch.version} (${(torch.blas as { name?: string })?.name ?? '?'})`, torch] as [string, Side]] : [])];
const series = (what: 'width' | 'batch') => sides.flatMap(([name, s], i) => cfg.threads.map((t) => {
  const pts = frac(s, s[what][t]!, what === 'width' ? (h) => h : () => 128);
  return { name: `${name}, ${t} thread${t > 1 ? 's' : ''}`, x: pts.map((p) => p.x), y: pts.map((p) => p.y), mark: 'linePoint' as const, dashed: t === 1, color: ['#1f77b4', '#d62728'][i] };
}));
const lat = sides.map(([name, s]) => `${name.split(' (')[0]} ${Math.min(...Object.values(s.latencyUs)).toFixed(0)} us`).join(', ');
const peaks = sides.map(([name, s]) => `${name.split(' (')[0]} ${s.sgemm1024.toFixed(0)}`).join(', ');
const strip = (spec: ReturnType<typeof lineChart>) => { const { config: _c, background: _b, $schema: _s, ...rest } = spec as unknown as Record<string, unknown>; return rest; };
const panel = (what: 'width' | 'batch') => strip(lineChart({
  title: what === 'width' ? 'W1 training vs hidden width (batch 64)' : 'W1 training vs batch size (width 128)',
  xTitle: what === 'width' ? 'hidden width' : 'batch size', yTitle: 'fraction of peak', xScale: 'log', xDomain: what === 'width' ? [32, 4096] : [1, 1024], yDomain: [0, 1], width: 360, height: 260, series: series(what),
}));
const base = lineChart({ xTitle: '', yTitle: '', series: [{ name: '', x: [0], y: [0] }] }) as unknown as Record<string, unknown>;
const spec = {
  $schema: base.$schema, background: 'white', config: base.config,
  title: { text: [`W1 training, fraction of peak (peak = the library's 2-thread sgemm-1024 GFLOP/s, same run: ${peaks})`, `batch-1 inference latency (median): ${lat}`], fontSize: 12 },
  hconcat: [panel('width'), panel('batch')],
};
const stamp = new Date().toISOString();
const file = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(HERE, 'results', `scaling-${stamp.slice(0, 10)}${quick ? '-quick' : ''}`);
const png = await svgToPng(await renderSvg(spec as unknown as Parameters<typeof renderSvg>[0]), { scale: 1.25 });
const pngFile = args.includes('--figure') ? join(HERE, '..', 'docs', 'examples', 'scaling.png') : `${file}.png`;
mkdirSync(dirname(file), { recursive: true });
mkdirSync(dirname(pngFile), { recursive: true });
writeFileSync(pngFile, png);
const result = {
  date: stamp, command: `npm run bench -- --scaling${quick ? ' --quick' : ''}`, machine: { cpu: cpus()[0]?.model ?? 'unknown', loadAverageEnd: loadavg(), node: process.version },
  config: cfg, flopsPerSample: 'training FLOPs per sample = 4 * 794 * h + 20 * h', backend: info,
  nabla, torch, torchNote: torchNote || undefined,
  fractionOfPeak: Object.fromEntries(sides.map(([name, s]) => [name, Object.fromEntries(cfg.threads.map((t) => [t, {
    width: frac(s, s.width[t]!, (h) => h), batch: frac(s, s.batch[t]!, () => 128) }]))])),
};
writeFileSync(`${file}.json`, JSON.stringify(result, null, 2) + '\n');
console.log(`peak (2-thread sgemm 1024, GFLOP/s): ${peaks}\nbatch-1 inference latency (median, best thread count): ${lat}`);
for (const [name, s] of sides) for (const t of cfg.threads) {
  const w = frac(s, s.width[t]!, (h) => h).map((p) => `${p.x}:${p.y.toFixed(2)}`).join(' '), b = frac(s, s.batch[t]!, () => 128).map((p) => `${p.x}:${p.y.toFixed(2)}`).join(' ');
  console.log(`${name}, ${t} thread(s): width ${w} | batch ${b}`);
}
console.log(`wrote ${file}.json and ${pngFile}`);
