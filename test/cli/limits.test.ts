// Hostile inputs through the command line: each fails with exit code 1 and one line on stderr
// naming the file, never a stack trace. The PNG bomb's peak memory is bounded with
// /usr/bin/time -f %M when present (a bound on a hostile input, not a timing test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { Dense, saveModel, Sequential } from '../../src/index.js';
import { lines, nabla, NABLA_ARGV, ROOT, tmp } from './helpers.js';

const dir = tmp('nabla-cli-limits-');
after(() => rmSync(dir, { recursive: true, force: true }));
const model = join(dir, 'model');

/** One line on stderr, starting 'error: ' and matching `pattern`; exit code 1. */
function failsWith(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const ls = lines(r.stderr);
  assert.equal(ls.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(ls[0]!, /^error: /);
  assert.match(ls[0]!, pattern);
}

/** A valid 2x2 PNG whose IHDR then claims width x height (the size is checked before the CRC). */
function pngBomb(width: number, height: number): Buffer {
  const bytes = PNG.sync.write(new PNG({ width: 2, height: 2 }));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

describe('nabla with hostile files', () => {
  before(async () => {
    // A model directory holding model.json, as `nabla predict` takes one: 28x28 digits to 10 classes.
    const m = new Sequential([new Dense({ units: 10, activation: 'softmax', inputShape: [784] })], { seed: 1 });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await saveModel(m, model);
  });

  it('predict on a 200-byte PNG claiming 60000x60000 fails at once, in bounded memory, naming the limit', () => {
    const bomb = join(dir, 'bomb.png');
    writeFileSync(bomb, pngBomb(60000, 60000));
    assert.ok(readFileSync(bomb).length < 200);
    const timed = existsSync('/usr/bin/time');
    const argv = [...NABLA_ARGV, 'predict', model, bomb];
    const r = timed
      ? spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NABLA_DEBUG: '' } })
      : spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NABLA_DEBUG: '' } });
    const rss = /peak-rss-kb (\d+)/.exec(r.stderr);
    const stderr = r.stderr.replace(/^Command exited with non-zero status \d+\n/m, '').replace(/^peak-rss-kb \d+\n?/m, '');
    failsWith({ code: r.status, stderr }, /bomb\.png: declares 60000 x 60000 = 3600000000 pixels, which exceeds LIMITS\.maxImagePixels \(67108864\); raise it with --max-image-pixels/);
    if (rss) {
      const mb = Number(rss[1]) / 1024;
      console.log(`nabla predict RUN bomb.png: peak RSS ${mb.toFixed(0)} MB`);
      assert.ok(mb < 300, `peak RSS ${mb.toFixed(0)} MB should stay under 300 MB`);
    }
  });

  it('--max-image-pixels lowers the limit for an ordinary image', async () => {
    const img = join(dir, 'digit.png');
    writeFileSync(img, PNG.sync.write(new PNG({ width: 40, height: 40 })));
    failsWith(await nabla(['predict', model, img, '--max-image-pixels', '100']), /digit\.png: declares 40 x 40 = 1600 pixels, which exceeds LIMITS\.maxImagePixels \(100\)/);
  });

  it('a JPEG renamed .png: one line naming the format', async () => {
    const jpeg = join(dir, 'photo.png');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]));
    failsWith(await nabla(['predict', model, jpeg]), /photo\.png: is a JPEG image, not a PNG/);
  });

  it('summary and predict refuse a symlink to /dev/zero as model.json or weights.safetensors (E_NOT_REGULAR_FILE) at once', async () => {
    const zjson = join(dir, 'zero-json');
    mkdirSync(zjson);
    symlinkSync('/dev/zero', join(zjson, 'model.json'));
    symlinkSync(join(model, 'weights.safetensors'), join(zjson, 'weights.safetensors'));
    failsWith(await nabla(['summary', zjson]), /model\.json: is a character device, expected a regular file/);
    const zw = join(dir, 'zero-weights');
    mkdirSync(zw);
    writeFileSync(join(zw, 'model.json'), readFileSync(join(model, 'model.json')));
    symlinkSync('/dev/zero', join(zw, 'weights.safetensors'));
    const img = join(dir, 'any.png');
    writeFileSync(img, PNG.sync.write(new PNG({ width: 8, height: 8 })));
    failsWith(await nabla(['predict', zw, img]), /weights\.safetensors: is a character device, expected a regular file/);
  });

  it('NaN weights: summary refuses them (E_NON_FINITE) unless --allow-non-finite', async () => {
    const nan = join(dir, 'nan');
    mkdirSync(nan);
    writeFileSync(join(nan, 'model.json'), readFileSync(join(model, 'model.json')));
    const w = readFileSync(join(model, 'weights.safetensors'));
    w.writeFloatLE(NaN, w.length - 4);
    writeFileSync(join(nan, 'weights.safetensors'), w);
    failsWith(await nabla(['summary', nan]), /weights\.safetensors: tensor 'dense_1\/bias' holds NaN at index 9: .*--allow-non-finite/);
    const ok = await nabla(['summary', nan, '--allow-non-finite']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /dense_1/);
  });

  it('a Dense with 1e6 units and a model.json nested 10^5 deep: one line each', async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    json.model.layers[0].config.units = 1_000_000;
    writeFileSync(join(big, 'model.json'), JSON.stringify(json));
    writeFileSync(join(big, 'weights.safetensors'), readFileSync(join(model, 'weights.safetensors')));
    failsWith(await nabla(['summary', big]), /model\.json: model\.layers\[0\] \(Dense\) would bring the model to 785000000 parameters, which exceeds LIMITS\.maxParams/);
    writeFileSync(join(big, 'model.json'), '['.repeat(100_000) + ']'.repeat(100_000));
    failsWith(await nabla(['summary', big]), /model\.json: nests arrays or objects deeper than LIMITS\.maxJsonDepth \(64\)/);
  });
});
