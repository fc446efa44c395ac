// Limits on untrusted model files (model.json, weights.safetensors): each hostile file is refused
// with a ModelFileError that names the file, carries a stable code and, for a limit, names it;
// before anything of the size the file claims is allocated.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Dense, loadModel, saveModel, Sequential, Tensor } from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { jsonNestingDepth, ModelFileError, parseJsonFile } from '../../src/io/validate.js';
import { Conv2D, BatchNormalization, Flatten, MaxPooling2D, Dropout } from '../../src/nn/layers/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-io-limits-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function savedModel(): Promise<{ json: Record<string, any>; weights: Buffer }> {
  const dir = join(root, `saved-${Math.random().toString(36).slice(2)}`);
  const m = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [784] })], { seed: 1 });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await saveModel(m, dir);
  return { json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), weights: readFileSync(join(dir, 'weights.safetensors')) };
}

let n = 0;
function modelDir(json: unknown, weights: Uint8Array): string {
  const dir = join(root, `m${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  writeFileSync(join(dir, 'weights.safetensors'), weights);
  return dir;
}

async function refuses(p: Promise<unknown>, code: string, pattern: RegExp): Promise<ModelFileError> {
  let err: unknown;
  try { await p; } catch (e) { err = e; }
  assert.ok(err instanceof ModelFileError, `expected a ModelFileError, got ${String((err as Error)?.stack ?? err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, pattern);
  assert.ok(!err.message.includes('\n'), 'one line');
  return err;
}

describe('model.json limits', () => {
  it('a Dense with 1e6 units is refused before allocation, naming the layer and LIMITS.maxParams', async () => {
    const { json, weights } = await savedModel();
    json.model.layers[0].config.units = 1_000_000;
    const before = process.memoryUsage().arrayBuffers;
    await refuses(loadModel(modelDir(json, weights)), 'E_TOO_LARGE',
      /^model\.json: model\.layers\[0\] \(Dense\) would bring the model to 785000000 parameters, which exceeds LIMITS\.maxParams \(100000000\); raise it with \{ limits: \{ maxParams \} \} \(in .*model\.json\)$/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'nothing of the claimed size was allocated');
  });

  it("a first layer whose own inputShape differs from the model's is refused before it is built (found by the fuzz test)", async () => {
    const { json, weights } = await savedModel();
    json.model.layers[0].config.inputShape = [1e308];
    const before = process.memoryUsage().arrayBuffers;
    await refuses(loadModel(modelDir(json, weights)), 'E_INVALID', /model\.layers\[0\]'s inputShape \[1e\+308\] differs from the model's inputShape \[784\]/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'nothing of the claimed size was allocated');
  });

  it('maxParams is per call; under it, layers making more parameters than the weights hold are E_INVALID', async () => {
    const { json, weights } = await savedModel();
    await refuses(loadModel(modelDir(json, weights), { limits: { maxParams: 10 } }), 'E_TOO_LARGE', /would bring the model to 2355 parameters, which exceeds LIMITS\.maxParams \(10\)/);
    json.model.layers[0].config.units = 30_000;
    await refuses(loadModel(modelDir(json, weights)), 'E_INVALID', /the layers make 23550000 parameters but field 'weights' lists 2355/);
  });

  it('countParams of every built-in layer matches what build allocates (weights and saved state)', () => {
    const layers = [new Conv2D({ filters: 4, kernelSize: 3, inputShape: [8, 8, 2] }), new BatchNormalization(), new MaxPooling2D({ poolSize: 2 }),
      new Dropout({ rate: 0.5 }), new Flatten(), new Dense({ units: 5 }), new Dense({ units: 2, useBias: false })];
    const m = new Sequential(layers, { seed: 1 });
    m.build();
    let shape = [1, 8, 8, 2];
    for (const l of layers) {
      const counted = l.countParams(shape);
      const allocated = l.params().reduce((s, p) => s + p.value.size, 0) + l.stateTensors().reduce((s, t) => s + t.value.size, 0);
      assert.equal(counted, allocated, l.describe());
      shape = l.computeOutputShape(shape);
    }
    assert.equal(layers[0]!.countParams([1, 8, 8, 2]), 3 * 3 * 2 * 4 + 4);
  });

  it('a model.json nested 10^5 levels deep is a one-line E_TOO_LARGE naming LIMITS.maxJsonDepth (no stack overflow)', async () => {
    const { weights } = await savedModel();
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    await refuses(loadModel(modelDir(deep, weights)), 'E_TOO_LARGE', /^model\.json: nests arrays or objects deeper than LIMITS\.maxJsonDepth \(64\); raise it with/);
    assert.equal(jsonNestingDepth('[{"a": "[[[["}, [1]]'), 2);
    assert.throws(() => parseJsonFile('[[[]]]', 'x.json', 2), /x\.json: nests arrays or objects deeper than LIMITS\.maxJsonDepth \(2\)/);
  });

  it('keys named __proto__ and constructor are data or an error, never a crash', async () => {
    const { json, weights } = await savedModel();
    const text = JSON.stringify(json);
    const cases: [string, RegExp][] = [
      [text.replace('"config":{', '"config":{"__proto__":{"units":5},'), /Dense: unknown option '__proto__'/],
      [text.replace('"config":{', '"config":{"constructor":1,'), /Dense: unknown option 'constructor'/],
      [text.replace('"className":"Dense"', '"className":"constructor"'), /unknown layer class "constructor"/],
      [text.replace('"activation":"softmax"', '"activation":"__proto__"'), /unknown activation "__proto__"/],
      [text.replace('{"className":"glorotUniform"}', '{"className":"constructor"}'), /unknown initializer \{"className":"constructor"\}/],
      [text.replace('"history":[]', '"history":[{"epoch":[1],"history":{"__proto__":[1]}}]'), /'__proto__' cannot name a logged quantity/],
      [text.replace('"history":[]', '"history":[{"epoch":[1],"history":{"constructor":[1]}}]'), /'constructor' cannot name a logged quantity/],
    ];
    for (const [bad, pattern] of cases) {
      assert.notEqual(bad, text, `the case applies: ${pattern}`);
      await refuses(loadModel(modelDir(bad, weights)), 'E_INVALID', pattern);
    }
  });

  it('symbolic links to /dev/zero as model.json or weights.safetensors, a FIFO and a folder are E_NOT_REGULAR_FILE', async () => {
    const { json, weights } = await savedModel();
    const a = join(root, 'zero-json');
    mkdirSync(a);
    symlinkSync('/dev/zero', join(a, 'model.json'));
    writeFileSync(join(a, 'weights.safetensors'), weights);
    await refuses(loadModel(a), 'E_NOT_REGULAR_FILE', /^model\.json: is a character device, expected a regular file \(in .*zero-json\/model\.json\)$/);
    const b = modelDir(json, weights);
    rmSync(join(b, 'weights.safetensors'));
    symlinkSync('/dev/zero', join(b, 'weights.safetensors'));
    await refuses(loadModel(b), 'E_NOT_REGULAR_FILE', /^weights\.safetensors: is a character device/);
    const c = modelDir(json, weights);
    rmSync(join(c, 'model.json'));
    execFileSync('mkfifo', [join(c, 'model.json')]);
    await refuses(loadModel(c), 'E_NOT_REGULAR_FILE', /^model\.json: is a FIFO/);
    const d = modelDir(json, weights);
    rmSync(join(d, 'weights.safetensors'));
    mkdirSync(join(d, 'weights.safetensors'));
    await refuses(loadModel(d), 'E_NOT_REGULAR_FILE', /^weights\.safetensors: is a folder/);
    await refuses(loadModel(join(root, 'absent')), 'E_NOT_FOUND', /^model\.json: does not exist/);
  });

  it('a file over LIMITS.maxFileBytes.json is refused from its size', async () => {
    const { json, weights } = await savedModel();
    await refuses(loadModel(modelDir(json, weights), { limits: { maxFileBytes: { json: 100 } } }), 'E_TOO_LARGE',
      /model\.json: is \d+ bytes, which exceeds LIMITS\.maxFileBytes\.json \(100\); raise it with \{ limits: \{ maxFileBytes: \{ json: bytes \} \} \}/);
  });
});

describe('weights limits', () => {
  it('NaN or Infinity in the weights is E_NON_FINITE naming the tensor, unless allowNonFinite', async () => {
    const { json, weights } = await savedModel();
    for (const bad of [NaN, Infinity, -Infinity]) {
      const w = Buffer.from(weights);
      w.writeFloatLE(bad, w.length - 4); // the last bias value
      const dir = modelDir(json, w);
      await refuses(loadModel(dir), 'E_NON_FINITE', new RegExp(`^weights\\.safetensors: tensor 'dense_1/bias' holds ${String(bad)} at index 2: .*--allow-non-finite`));
      const m = await loadModel(dir, { allowNonFinite: true });
      assert.ok(Object.is(m.getWeights()[1]!.data[2], bad));
    }
  });

  it('a safetensors header whose offsets overlap is E_CORRUPT', () => {
    const good = encodeSafetensors([{ name: 'a', tensor: new Tensor(new Float32Array(2), [2]) }, { name: 'b', tensor: new Tensor(new Float32Array(2), [2]) }]);
    const text = new TextDecoder().decode(good.subarray(8, 8 + Number(new DataView(good.buffer).getBigUint64(0, true))));
    const overlapping = text.replace('"data_offsets":[8,16]', '"data_offsets":[4,12]');
    assert.notEqual(overlapping, text);
    const bytes = Uint8Array.from(good);
    bytes.set(new TextEncoder().encode(overlapping), 8);
    let err: unknown;
    try { decodeSafetensors(bytes, 'w.safetensors'); } catch (e) { err = e; }
    assert.ok(err instanceof ModelFileError);
    assert.equal(err.code, 'E_CORRUPT');
    assert.match(err.message, /^w\.safetensors: the data of tensors 'a' \(bytes 0 to 8\) and 'b' \(bytes 4 to 12\) overlap/);
  });

  it('a safetensors header nested too deeply is E_TOO_LARGE', () => {
    const header = '{"__metadata__":' + '['.repeat(200) + ']'.repeat(200) + '}';
    const padded = header + ' '.repeat((8 - (header.length % 8)) % 8);
    const bytes = new Uint8Array(8 + padded.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(padded.length), true);
    bytes.set(new TextEncoder().encode(padded), 8);
    assert.throws(() => decodeSafetensors(bytes, 'w.safetensors'), (e: unknown) => e instanceof ModelFileError && e.code === 'E_TOO_LARGE' && /LIMITS\.maxJsonDepth \(64\)/.test(e.message));
  });
});
