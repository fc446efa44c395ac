// Where models and checkpoints are saved and loaded (issue 11): a path or a file:// URL; loadModel
// also http(s) and buffers; any other scheme is refused naming it (ModelFileError, E_UNSUPPORTED)
// and no folder named after the scheme ('file:', 'localstorage:') is ever created.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Dense, loadCheckpoint, loadModel, modelCheckpoint, saveCheckpoint, Sequential, SGD, Tensor } from '../../src/index.js';
import { ModelFileError } from '../../src/io/validate.js';

function tinyModel(): Sequential {
  const model = new Sequential([new Dense({ units: 2, inputShape: [3] })], { seed: 7 });
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  return model;
}

/** Runs f with the working directory set to a fresh empty folder; returns what f left there. */
async function inEmptyCwd(f: () => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cwd-')), before = process.cwd();
  process.chdir(dir);
  try { await f(); } finally { process.chdir(before); }
  return readdirSync(dir);
}

const refused = (scheme: string) => (e: unknown): boolean => {
  assert.ok(e instanceof ModelFileError, `a ModelFileError, got ${String(e)}`);
  assert.equal(e.code, 'E_UNSUPPORTED');
  assert.match(e.message, new RegExp(`'${scheme}://'`));
  return true;
};

describe('save and load locations', () => {
  it('model.save and loadModel take a file:// URL (string or URL) and create no folder named file:', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-url-'));
    const model = tinyModel();
    const left = await inEmptyCwd(async () => {
      await model.save(`file://${join(dir, 'a b')}`); // a space: the URL form is percent-decoded below
      await model.save(pathToFileURL(join(dir, 'c')));
    });
    assert.deepEqual(left, [], 'nothing created in the working directory');
    assert.ok(existsSync(join(dir, 'a b', 'model.json')));
    assert.ok(existsSync(join(dir, 'c', 'weights.safetensors')));
    const x = new Tensor(new Float32Array([1, 2, 3]), [1, 3]);
    const viaString = await loadModel(pathToFileURL(join(dir, 'a b')).href);
    const viaUrl = await loadModel(pathToFileURL(join(dir, 'c')));
    assert.deepEqual([...viaString.predict(x).data], [...model.predict(x).data]);
    assert.deepEqual([...viaUrl.predict(x).data], [...model.predict(x).data]);
  });

  it('refuses localstorage://, indexeddb://, downloads:// naming the scheme, creating nothing', async () => {
    const model = tinyModel();
    await model.fit(new Tensor(new Float32Array([1, 2, 3]), [1, 3]), new Tensor(new Float32Array([0, 1]), [1, 2]), { epochs: 1 });
    const left = await inEmptyCwd(async () => {
      await assert.rejects(model.save('localstorage://my-model'), refused('localstorage'));
      await assert.rejects(model.save('indexeddb://my-model'), refused('indexeddb'));
      await assert.rejects(loadModel('downloads://my-model'), refused('downloads'));
      await assert.rejects(loadModel(new URL('ftp://example.com/m')), refused('ftp'));
      await assert.rejects(saveCheckpoint('localstorage://ck', model, { fitArgs: { epochs: 1 } }), refused('localstorage'));
      await assert.rejects(loadCheckpoint('indexeddb://ck'), refused('indexeddb'));
      assert.throws(() => modelCheckpoint({ dir: 'localstorage://best' }), refused('localstorage'));
    });
    assert.deepEqual(left, [], 'no localstorage: or indexeddb: folder');
  });

  it('saveCheckpoint and loadCheckpoint take file:// URLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-url-'));
    const model = tinyModel();
    await model.fit(new Tensor(new Float32Array([1, 2, 3]), [1, 3]), new Tensor(new Float32Array([0, 1]), [1, 2]), { epochs: 1 });
    await saveCheckpoint(pathToFileURL(join(dir, 'ck')).href, model, { fitArgs: { epochs: 1 } });
    assert.ok(existsSync(join(dir, 'ck', 'training.json')));
    const ck = await loadCheckpoint(pathToFileURL(join(dir, 'ck')));
    assert.deepEqual(ck.progress, model.trainingProgress);
  });
});
