// A workload profiled with V8's sampling profiler (the one `node --cpu-prof` runs, started through
// node:inspector around the timed training only, so start-up and data generation stay out): W1
// (784-128 relu - 10 softmax, categorical cross-entropy, SGD 0.1), W3's model with Adam and
// sparse labels, or the LeNet CNN of `npm run bench` (Adam 0.002, sparse labels), batch 64, on the
// wasm backend, a few epochs of random data. Writes the
// .cpuprofile (open it in Chrome DevTools) and prints its top entries by self time.
//
//   node --import tsx bench/profile.ts [--model w1|w3|lenet] [--threads 1] [--samples 20000] [--epochs 8] [--out file.cpuprofile] [--count 15]
//   node --import tsx bench/profile.ts --top <file>.cpuprofile [--count 15]     (top entries of any profile, e.g. from --cpu-prof)
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : d);

/** wasm function index -> export name, from the module's export section (the builds carry no name section). */
async function wasmExportNames(): Promise<Map<number, string>> {
  const { WASM_BASE64, WASM_RELAXED_BASE64 } = await import('../src/kernels/wasm/binary.generated.js');
  const b = Buffer.from(process.env.NABLA_FMA === '0' ? WASM_BASE64 : WASM_RELAXED_BASE64, 'base64'), names = new Map<number, string>();
  let pos = 8;
  const leb = () => { let r = 0, shift = 0, byte: number; do { byte = b[pos++]!; r |= (byte & 127) << shift; shift += 7; } while (byte & 128); return r >>> 0; };
  while (pos < b.length) {
    const id = b[pos++]!, size = leb(), end = pos + size;
    if (id === 7) for (let count = leb(), i = 0; i < count; i++) {
      const len = leb(), name = b.subarray(pos, pos + len).toString('utf8');
      pos += len;
      const kind = b[pos++]!, index = leb();
      if (kind === 0) names.set(index, name);
    }
    pos = end;
  }
  return names;
}

interface Profile { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[] }

/** Prints the `count` entries with the most self time (share of all samples; wasm functions by export name). */
function printTop(p: Profile, exportsByIndex: Map<number, string>, count: number): void {
  const self = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const f = n.callFrame, wasm = /^wasm-function\[(\d+)\]$/.exec(f.functionName);
    const key = wasm ? `wasm ${exportsByIndex.get(Number(wasm[1])) ?? `internal function ${wasm[1]}`}`
      : `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
    total += n.hitCount ?? 0;
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [k, v] of top) console.log(`${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
}

if (args.includes('--top')) {
  printTop(JSON.parse(readFileSync(opt('--top', ''), 'utf8')) as Profile, await wasmExportNames(), Number(opt('--count', '15')));
  process.exit(0);
}

const { Adam, Conv2D, Dense, Flatten, MaxPooling2D, Rng, SGD, Sequential, Tensor, setBackend, setNumThreads } = await import('../src/index.js');
await setBackend('wasm');
setNumThreads(Number(opt('--threads', '1')));
const modelName = opt('--model', 'w1'), lenet = modelName === 'lenet', w3 = modelName === 'w3' || lenet;
const n = Number(opt('--samples', lenet ? '5000' : '20000'));
const rng = new Rng(1), x = new Float32Array(n * 784).map(() => rng.uniform()), y = new Float32Array(w3 ? n : n * 10);
for (let i = 0; i < n; i++) { if (w3) y[i] = rng.int(10); else y[i * 10 + rng.int(10)] = 1; }
const model = lenet ? new Sequential([
  new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
  new Conv2D({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }), new MaxPooling2D({ poolSize: 2 }), new Flatten(),
  new Dense({ units: 120, activation: 'relu' }), new Dense({ units: 84, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 })
  : new Sequential([...(w3 ? [new Flatten({ inputShape: [28, 28, 1] })] : []),
    new Dense({ units: 128, activation: 'relu', ...(w3 ? {} : { inputShape: [784] }) }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
model.compile({ optimizer: w3 ? new Adam({ learningRate: 0.002 }) : new SGD({ learningRate: 0.1 }), loss: w3 ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy' });
const xt = new Tensor(x, w3 ? [n, 28, 28, 1] : [n, 784]), yt = new Tensor(y, w3 ? [n] : [n, 10]);
const epochs = Number(opt('--epochs', lenet ? '4' : '8'));
await model.fit(xt, yt, { epochs: 1, batchSize: 64, seed: 9 }); // warm-up
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t0 = performance.now();
await model.fit(xt, yt, { epochs, batchSize: 64, seed: 1 });
const rate = epochs * n / ((performance.now() - t0) / 1000);
const { profile } = await session.post('Profiler.stop');
const file = opt('--out', join(tmpdir(), `nabla-${modelName}-${process.pid}.cpuprofile`));
writeFileSync(file, JSON.stringify(profile));
console.log(`${modelName.toUpperCase()}, ${opt('--threads', '1')} thread(s): ${Math.round(rate)} samples/s; profile ${file}`);
printTop(profile as unknown as Profile, await wasmExportNames(), Number(opt('--count', '15')));
process.exit(0);
