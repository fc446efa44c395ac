// The character-LSTM rows of `npm run bench` (issue 14): training throughput in characters/s
// (= batch x sequence length / step time) of the same model in nabla, TensorFlow.js (wasm and cpu
// backends, the best kept), brain.js's recurrent.LSTM and PyTorch (child process, OpenBLAS).
//
//   node --import tsx bench/recurrent.ts [--quick] [--passes N]     (alone)
//   bench/run.ts calls runRecurrentBench() after its own table.
//
// Model: Embedding(65 -> 64) - LSTM(256, returnSequences) - LSTM(256, returnSequences) - Dense(65,
// softmax) on every step, categorical cross-entropy averaged over every step, Adam 0.002, batch 64,
// sequence length 100, random character ids and random next-character targets. nabla runs with
// its defaults (wasm, all threads, FMA where relaxed SIMD runs); LSTMs with Keras's defaults
// (sigmoid gates; TF.js is told recurrentActivation 'sigmoid', its own default being hardSigmoid).
// TF.js runs on shorter sequences, time-boxed (bench/competitors/tfjs_rnn.ts says how and why).
// Each figure: one warm-up step, then timed steps; passes interleave the libraries (nabla,
// PyTorch, brain.js, TF.js wasm, TF.js cpu, then again) and each keeps its best pass, as bench/run.ts does.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Adam, Dense, Embedding, getBackendInfo, LSTM, Rng, Sequential, setBackend, setNumThreads, Tensor } from '../src/index.js';
import { now } from './competitors/common.js';
import { tfjsRnnRate } from './competitors/tfjs_rnn.js';
import { torchEnv, torchLabel, torchMissing, type TorchBlas } from './competitors/torch.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const V = 65, E = 64, U = 256, B = 64, T = 100;

/** One library's figure. */
export interface RecurrentRow { name: string; charsPerS: number | null; note: string; kind: 'nabla' | 'competitor' }

/** Random ids [B, T] and one-hot next-character targets [B, T, V] (seeded). */
function batch(): { ids: Float32Array; oneHot: Float32Array; labels: Int32Array } {
  const rng = new Rng(7), ids = new Float32Array(B * T), labels = new Int32Array(B * T), oneHot = new Float32Array(B * T * V);
  for (let i = 0; i < B * T; i++) { ids[i] = rng.int(V); labels[i] = rng.int(V); oneHot[i * V + labels[i]!] = 1; }
  return { ids, oneHot, labels };
}

/** nabla with its defaults: chars/s over `steps` timed steps after one warm-up step. */
async function nablaRate(steps: number): Promise<{ rate: number; note: string }> {
  await setBackend('wasm');
  setNumThreads(availableParallelism());
  const d = batch();
  const model = new Sequential([
    new Embedding({ inputDim: V, outputDim: E, inputLength: T }),
    new LSTM({ units: U, returnSequences: true }), new LSTM({ units: U, returnSequences: true }),
    new Dense({ units: V, activation: 'softmax' })], { seed: 1 });
  model.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'categoricalCrossentropy' });
  const x = new Tensor(d.ids, [B, T]), y = new Tensor(d.oneHot, [B, T, V]);
  await model.trainOnBatch(x, y);
  const c0 = process.cpuUsage(), t0 = now();
  for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y);
  const rate = B * T * steps / (now() - t0), cpu = process.cpuUsage(c0);
  const perCpuS = B * T * steps / ((cpu.user + cpu.system) / 1e6); // every thread of the process
  model.dispose();
  const info = getBackendInfo();
  return { rate, note: `${info.name}${info.fma ? ' FMA' : ''}, ${info.threads} thread${info.threads > 1 ? 's' : ''}, ${steps} timed steps; ${Math.round(perCpuS)} chars per CPU-second` };
}

/**
 * brain.js's recurrent.LSTM, hidden layers [256, 256], over the same characters: it trains one
 * sequence at a time (no batches), with its own RMSProp-like update and its embedding of width =
 * the vocabulary (its DataFormatter fixes inputSize). chars/s over `seqs` sequences of 100.
 */
function brainRate(seqs: number): { rate: number; version: string } {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const brain: any = require('brain.js');
  const chars = Array.from({ length: V }, (_, i) => String.fromCharCode(48 + i));
  const df = new brain.utilities.DataFormatter(chars);
  const net = new brain.recurrent.LSTM({ hiddenLayers: [U, U], dataFormatter: df });
  const d = batch();
  const text = (b: number) => Array.from(d.ids.subarray(b * T, (b + 1) * T), (c) => chars[c]!).join('');
  net.train([text(0)], { iterations: 1, errorThresh: 0, learningRate: 0.002 }); // builds the model; warm-up
  const data = Array.from({ length: seqs }, (_, i) => df.toIndexes(text(1 + i)));
  const t0 = now();
  for (const s of data) net.trainPattern(s);
  return { rate: T * seqs / (now() - t0), version: require('brain.js/package.json').version as string };
}

/** torch_rnn.py's JSON line. */
interface TorchRnn { version: string; blas: TorchBlas; by_threads: Record<string, number>; threads_used: number; chars_per_s: number }

function torchRate(steps: number): TorchRnn {
  const out = spawnSync('/usr/bin/python3', [join(HERE, 'competitors', 'torch_rnn.py'), String(steps)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: torchEnv(), maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`torch_rnn.py exited with ${out.status}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as TorchRnn;
}

/**
 * Runs every library `passes` times, interleaved, keeping each one's best; returns the rows
 * (nabla first). A library that cannot run gets a row with charsPerS null and the reason.
 */
export async function runRecurrentBench(quick: boolean, passes = quick ? 1 : 2, log: (s: string) => void = (s) => process.stderr.write(s + '\n'),
                                        nablaOnly = false): Promise<RecurrentRow[]> {
  const rows = new Map<string, RecurrentRow>();
  const keep = (name: string, kind: RecurrentRow['kind'], rate: number | null, note: string) => {
    log(`    ${name}: ${rate === null ? note : `${Math.round(rate)} chars/s`}`);
    const old = rows.get(name);
    if (!old || (rate !== null && (old.charsPerS === null || rate > old.charsPerS))) rows.set(name, { name, kind, charsPerS: rate, note });
  };
  const tfWasmLens = quick ? [10, 25] : [25, 50], tfCpuLen = quick ? 5 : 10, tfSteps = quick ? 1 : 2;
  const d = batch();
  for (let pass = 1; pass <= passes; pass++) {
    log(`  char-LSTM pass ${pass} of ${passes}: nabla`);
    const n = await nablaRate(quick ? 2 : 5);
    keep('nabla', 'nabla', n.rate, n.note);
    if (nablaOnly) continue;
    const missing = torchMissing();
    if (missing !== null) keep('PyTorch', 'competitor', null, `skipped (${missing})`);
    else {
      log('  char-LSTM: PyTorch (child process, 1 and 2 threads)');
      try {
        const j = torchRate(quick ? 2 : 5);
        keep(torchLabel(j.version, j.blas), 'competitor', j.chars_per_s,
          `best of 1 and 2 threads (${Object.entries(j.by_threads).map(([t, r]) => `${t}: ${Math.round(r)}`).join(', ')}); ${j.blas.config || j.blas.name}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset`);
      } catch (e) { keep('PyTorch', 'competitor', null, `failed (${(e as Error).message.split('\n')[0]})`); }
    }
    log('  char-LSTM: brain.js');
    try {
      const r = brainRate(quick ? 1 : 3);
      keep(`brain.js ${r.version}`, 'competitor', r.rate, 'recurrent.LSTM [256, 256], one sequence at a time, its RMSProp-like update, embedding width 65');
    } catch (e) { keep('brain.js', 'competitor', null, `failed (${(e as Error).message.split('\n')[0]})`); }
    // TF.js (bench/competitors/tfjs_rnn.ts): shorter sequences keep its rows bounded (a 100-character
    // batch takes 30 s on wasm, 2 min on cpu); wasm at two lengths shows chars/s do not depend on it.
    for (const [backend, len] of [...tfWasmLens.map((l) => ['wasm', l] as const), ['cpu', tfCpuLen] as const]) {
      const name = `TF.js ${backend}, seq ${len}`;
      log(`  char-LSTM: ${name}`);
      try {
        const r = await tfjsRnnRate(backend, len, tfSteps, d.ids, d.labels, T);
        keep(`TF.js ${r.version} ${backend}, seq ${len}`, 'competitor', r.rate,
          `one-hot input, sigmoid gates, glorot recurrent init; ${backend === 'wasm' ? 'XNNPACK' : 'pure JS'}, ${r.threads} thread; ` +
          `sequence length ${len} (not 100: time-boxed), ${r.steps} timed step${r.steps > 1 ? 's' : ''}; ${Math.round(r.perCpuS)} chars per CPU-second`);
      } catch (e) { keep(name, 'competitor', null, `failed (${(e as Error).message.split('\n')[0]})`); }
    }
  }
  return [...rows.values()];
}

const times = (x: number) => `${x.toFixed(x < 1 ? 2 : 1)}x`;

/**
 * The rows as a Markdown table with each competitor's ratio nabla / it (the fastest TF.js row is
 * marked "TF.js best"), then the issue's two ratios: nabla / TF.js best (target >= 10x) and
 * nabla / PyTorch (target >= 0.5x), from the same run.
 */
export function recurrentTable(rows: readonly RecurrentRow[]): string {
  const nabla = rows.find((r) => r.kind === 'nabla')?.charsPerS ?? null;
  const tfBest = Math.max(0, ...rows.filter((r) => r.name.startsWith('TF.js')).map((r) => r.charsPerS ?? 0));
  const torch = rows.find((r) => r.name.startsWith('PyTorch'))?.charsPerS ?? null;
  const lines = ['| char-LSTM 2x256, batch 64, seq 100, Adam | chars/s | nabla / it | notes |', '|---|---:|---:|---|'];
  for (const r of rows) {
    const v = r.charsPerS === null ? '-' : Math.round(r.charsPerS).toLocaleString('en-US');
    const ratio = r.kind === 'nabla' || r.charsPerS === null || nabla === null ? '' : times(nabla / r.charsPerS);
    const best = r.name.startsWith('TF.js') && r.charsPerS === tfBest && tfBest > 0 ? ' (TF.js best)' : '';
    lines.push(`| ${r.name}${best} | ${v} | ${ratio} | ${r.note} |`);
  }
  const ratio = (label: string, other: number | null, target: number) => nabla === null || other === null || other <= 0
    ? `${label}: not measured`
    : `${label}: ${times(nabla / other)} (target >= ${target}x: ${nabla / other >= target ? 'met' : 'NOT met'})`;
  lines.push('', ratio('nabla / TF.js best', tfBest, 10), ratio('nabla / PyTorch', torch, 0.5));
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const passes = args.includes('--passes') ? Number(args[args.indexOf('--passes') + 1]) : undefined;
  const rows = await runRecurrentBench(args.includes('--quick'), passes);
  console.log(recurrentTable(rows));
  process.exit(0);
}
