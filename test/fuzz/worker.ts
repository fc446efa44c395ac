// The fuzz cases of test/fuzz/readers.test.ts, run in a child process with a small heap
// (`node --max-old-space-size=512 --import tsx test/fuzz/worker.ts idx:300,png:400 <seed>`), so a
// memory blow-up fails the case instead of the machine (the peak RSS is checked after each case
// too, as typed arrays live outside the heap).
//
// For one reader of outside bytes it feeds seeded fast-check inputs: mutations of a valid file
// (flipped bytes, truncation, inserted bytes, a header field replaced with an extreme number) and
// random bytes. Each input must either give a valid result or throw a file error
// (DataFileError / ModelFileError) with a known code and a one-line message. Per reader one line
// of JSON on stdout: { reader, runs, ms } (or { reader, failed: true }, with fast-check's report
// (seed, path and the shrunk counterexample) on stderr and exit code 1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { DataFileError } from '../../src/data/files.js';
import { readCsv } from '../../src/data/csv.js';
import { encodeIdx, readIdx } from '../../src/data/idx.js';
import { readImage } from '../../src/data/image.js';
import { FILE_ERROR_CODES } from '../../src/errors.js';
import { encodeModel } from '../../src/io/model-format.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { ModelFileError } from '../../src/io/validate.js';
import { loadModel } from '../../src/models/load.js';
import { toSaved } from '../../src/models/persistence.js';
import { encodeTfjs } from '../../src/interop/tfjs-format.js';
import { Sequential } from '../../src/models/sequential.js';
import { BatchNormalization, Conv2D, Dense, Flatten } from '../../src/nn/layers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Numbers a hostile header likes: zero, one, powers of two at the integer limits, huge. */
const EXTREMES = [0, 1, 255, 256, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 1e6, 1e9];

/** The checks every thrown error must pass. */
function assertFileError(e: unknown): void {
  if (!(e instanceof DataFileError) && !(e instanceof ModelFileError)) throw new Error(`not a file error: ${String((e as Error)?.stack ?? e)}`);
  if (!FILE_ERROR_CODES.includes(e.code)) throw new Error(`unknown code ${String(e.code)}`);
  if (e.message.includes('\n')) throw new Error(`message is not one line: ${e.message.slice(0, 200)}`);
}

/** A mutation of `valid`: flips, a truncation, an insertion, a field overwritten, or random bytes. */
function mutated(valid: Uint8Array, fieldOffsets: readonly number[]): fc.Arbitrary<Uint8Array> {
  const n = valid.length;
  const flips = fc.array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }).map((fs) => {
    const out = Uint8Array.from(valid);
    for (const [i, x] of fs) out[i]! ^= x;
    return out;
  });
  const truncated = fc.nat(n - 1).map((k) => valid.slice(0, k));
  const inserted = fc.tuple(fc.nat(n), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, bytes]) => {
    const out = new Uint8Array(n + bytes.length);
    out.set(valid.subarray(0, at)); out.set(bytes, at); out.set(valid.subarray(at), at + bytes.length);
    return out;
  });
  const field = fc.tuple(fc.constantFrom(...fieldOffsets), fc.constantFrom(...EXTREMES), fc.boolean()).map(([at, v, little]) => {
    const out = Uint8Array.from(valid);
    if (at + 4 <= n) new DataView(out.buffer).setUint32(at, v >>> 0, little);
    return out;
  });
  const random = fc.uint8Array({ maxLength: 512 });
  return fc.oneof(flips, truncated, inserted, field, random);
}

/**
 * Text mutations of a JSON or CSV file: its numbers replaced by extreme ones, keys by prototype
 * names, byte mutations, or brackets nested up to `maxNesting` deep.
 */
function mutatedText(valid: string, maxNesting: number): fc.Arbitrary<Uint8Array> {
  const enc = (s: string) => new TextEncoder().encode(s);
  const numbers = [...valid.matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/g)].map((m) => [m.index!, m[0].length] as const);
  const numberSwap = fc.tuple(fc.constantFrom(...numbers), fc.constantFrom('0', '-1', '1e308', '-1e308', '1e6', '9007199254740993', '2147483648', '0.5', 'NaN', '"x"', 'null', '[]', '{}'))
    .map(([[at, len], v]) => enc(valid.slice(0, at) + v + valid.slice(at + len)));
  const keys = [...valid.matchAll(/"([A-Za-z_]+)":/g)].map((m) => [m.index! + 1, m[1]!.length] as const);
  const keySwap = keys.length === 0 ? numberSwap : fc.tuple(fc.constantFrom(...keys), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'))
    .map(([[at, len], k]) => enc(valid.slice(0, at) + k + valid.slice(at + len)));
  const nesting = fc.integer({ min: 1, max: maxNesting }).map((d) => enc('['.repeat(d) + ']'.repeat(d)));
  return fc.oneof({ weight: 3, arbitrary: numberSwap }, { weight: 2, arbitrary: keySwap }, { weight: 3, arbitrary: mutated(enc(valid), [0]) }, { weight: 1, arbitrary: nesting });
}

let counter = 0;
function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

/**
 * The peak resident memory a case may bring the process to. --max-old-space-size bounds the
 * JavaScript heap only; typed arrays and Buffers live outside it, so the peak RSS is checked too.
 */
const MAX_RSS_KB = 1024 * 1024;

/** Expects `f` to return (then `valid` checks the result) or to throw a file error; then checks the peak RSS. */
async function either<T>(f: () => T | Promise<T>, valid: (r: T) => void): Promise<void> {
  let r: T | undefined, ok = false;
  try { r = await f(); ok = true; } catch (e) { assertFileError(e); }
  const peak = process.resourceUsage().maxRSS;
  if (peak > MAX_RSS_KB) throw new Error(`memory blow-up: peak RSS ${Math.round(peak / 1024)} MB > ${MAX_RSS_KB / 1024} MB`);
  if (ok) valid(r as T);
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const idxValid = encodeIdx({ dtype: 'uint8', shape: [3, 4, 5], data: Uint8Array.from({ length: 60 }, (_, i) => i) });
const idxFloat = encodeIdx({ dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });

/** CRC-32 (ISO 3309, as PNG chunks use it). */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
}

/** Rewrites the IHDR chunk's CRC so a mutated header reaches the decoder instead of failing its CRC. */
function fixIhdrCrc(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 33) return bytes;
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(29, crc32(out.subarray(12, 29)), false);
  return out;
}

function pngValid(): Uint8Array {
  const png = new PNG({ width: 6, height: 5 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) & 255;
  return PNG.sync.write(png);
}

function modelFiles(): { json: string; weights: Uint8Array } {
  const m = new Sequential([
    new Conv2D({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), new BatchNormalization(), new Flatten(), new Dense({ units: 3, activation: 'softmax' }),
  ], { seed: 1 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const files = encodeModel(toSaved(m));
  return { json: files['model.json'], weights: files['weights.safetensors'] };
}

type Property = fc.IAsyncPropertyWithHooks<[Uint8Array]> | fc.IAsyncProperty<[Uint8Array]>;

const READERS: Record<string, () => Property> = {
  idx: () => fc.asyncProperty(fc.oneof(mutated(idxValid, [4, 8, 12]), mutated(idxFloat, [4, 8])), async (bytes) => {
    const check = (r: { shape: number[]; data: ArrayLike<number> }) => { if (r.data.length !== size(r.shape)) throw new Error('IDX data length differs from its shape'); };
    await either(() => readIdx(file('x.idx', bytes)), check);
    await either(() => readIdx(file('x.idx.gz', gzipSync(bytes))), check);
  }),
  csv: () => fc.asyncProperty(mutatedText('a,b,c\n1,2.5,-3\n4,5e2,6\n"7",8,9\n', 200), async (bytes) => {
    await either(() => readCsv(file('t.csv', bytes)), (t) => { if (t.data.length !== t.rows * t.columns.length) throw new Error('CSV data length differs from rows x columns'); });
    await either(() => readCsv(file('t.csv.gz', gzipSync(bytes))), () => undefined);
  }),
  safetensors: () => {
    const { weights } = modelFiles();
    return fc.asyncProperty(mutated(weights, [0, 4]), async (bytes) => {
      await either(() => decodeSafetensors(bytes, 'weights.safetensors'), (d) => {
        for (const t of d.tensors.values()) if (t.data.length !== size(t.shape)) throw new Error('tensor length differs from its shape');
      });
    });
  },
  'model.json': () => {
    const { json, weights } = modelFiles();
    return fc.asyncProperty(mutatedText(json, 100_000), async (bytes) => {
      await either(() => loadModel({ modelJson: bytes, weights }), (m) => { if (!(m instanceof Sequential)) throw new Error('not a Sequential'); });
    });
  },
  // The TensorFlow.js Layers format (interop/): model.json (modelTopology + weightsManifest) and
  // its weight shard, each mutated while the other stays valid.
  tfjs: () => {
    const m = new Sequential([
      new Conv2D({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), new BatchNormalization(), new Flatten(), new Dense({ units: 3, activation: 'softmax' }),
    ], { seed: 1 });
    const { modelJson, shard } = encodeTfjs(m);
    const json = JSON.stringify(modelJson, null, 1);
    const check = (r: Sequential) => { if (!(r instanceof Sequential)) throw new Error('not a Sequential'); };
    return fc.asyncProperty(fc.oneof(
      mutatedText(json, 100_000).map((b) => ({ json: b, weights: shard })),
      mutated(shard, [0, 4, 8]).map((w) => ({ json: new TextEncoder().encode(json), weights: w })),
    ), async ({ json: j, weights }) => {
      await either(() => loadModel({ modelJson: j, weights }), check);
    }) as unknown as Property;
  },
  png: () => fc.asyncProperty(fc.tuple(mutated(pngValid(), [16, 20, 8]), fc.boolean()).map(([b, fix]) => (fix ? fixIhdrCrc(b) : b)), async (bytes) => {
    await either(() => readImage(file('i.png', bytes)), (img) => { if (img.data.length !== img.width * img.height * 4) throw new Error('RGBA length differs from width x height x 4'); });
  }),
};

// argv: a comma-separated list of reader:runs (e.g. idx:300,png:400) and the seed.
const [listArg = '', seedArg = '42'] = process.argv.slice(2);
for (const item of listArg.split(',')) {
  const [reader = '', runsArg = '200'] = item.split(':');
  const make = READERS[reader];
  if (!make) { console.error(`unknown reader '${reader}'; one of ${Object.keys(READERS).join(', ')}`); process.exit(2); }
  const t0 = performance.now();
  const details = await fc.check(make(), { numRuns: Number(runsArg), seed: Number(seedArg), endOnFailure: true });
  const ms = Math.round(performance.now() - t0);
  if (details.failed) {
    console.log(JSON.stringify({ reader, failed: true }));
    console.error(`${reader}: ${fc.defaultReportMessage(details) ?? 'failed'}`);
    process.exitCode = 1;
    continue;
  }
  console.log(JSON.stringify({ reader, runs: details.numRuns, ms }));
}
