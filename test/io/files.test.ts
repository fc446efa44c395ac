import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileWriteError,
  _testHooks,
  readFileBytes,
  readSafetensorsFile,
  recoverModelDir,
  writeSafetensorsFile,
  writeFileAtomic,
  writeModelDir,
} from '../../src/io/files.js';
import { ModelFileError } from '../../src/io/validate.js';
import { Tensor } from '../../src/tensor/tensor.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nabla-io-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  _testHooks.afterTempWrite = undefined;
  _testHooks.betweenRenames = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const text = (p: string): string => readFileSync(p, 'utf8');

/** Awaits `p`, expects a rejection that is an instance of `cls` matching `re`, returns it. */
async function rejects<E extends Error>(p: Promise<unknown>, cls: new (...a: never[]) => E, re: RegExp): Promise<E> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected a rejection matching ${re}`);
}

// ---------------------------------------------------------------------------------------------
// writeFileAtomic
// ---------------------------------------------------------------------------------------------

test('writeFileAtomic writes bytes and strings (UTF-8), replaces a file, leaves no temporary file', async () => {
  const dir = tempDir();
  const file = join(dir, 'model.json');
  await writeFileAtomic(file, '{"ünï": 1}');
  assert.equal(text(file), '{"ünï": 1}');
  await writeFileAtomic(file, Uint8Array.from([1, 2, 3]));
  assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
  await writeFileAtomic(file, new Uint8Array(0), { fsync: false });
  assert.equal(readFileSync(file).length, 0);
  assert.deepEqual(readdirSync(dir), ['model.json']);
});

test('writeFileAtomic keeps an existing file\'s permissions', { skip: process.platform === 'win32' }, async () => {
  const dir = tempDir();
  const file = join(dir, 'secret.json');
  writeFileSync(file, 'old');
  chmodSync(file, 0o600);
  await writeFileAtomic(file, 'new');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  await writeFileAtomic(join(dir, 'other.json'), 'x', { mode: 0o640 });
  assert.equal(statSync(join(dir, 'other.json')).mode & 0o777, 0o640);
});

test('a failure after the temporary file was written leaves the old file intact and no temporary file', async () => {
  const dir = tempDir();
  const file = join(dir, 'weights.safetensors');
  writeFileSync(file, 'the old weights');
  let tempSeen = '';
  _testHooks.afterTempWrite = (temp) => {
    tempSeen = temp;
    assert.ok(existsSync(temp), 'the temporary file exists while writing');
    throw Object.assign(new Error('simulated: no space left on device'), { code: 'ENOSPC' });
  };
  const e = await rejects(writeFileAtomic(file, new Uint8Array(1000)), FileWriteError, /^cannot write .*weights\.safetensors: no space left on the device$/);
  assert.equal(e.code, 'ENOSPC');
  assert.equal(e.path, file);
  assert.match(String((e.cause as Error).message), /simulated/);
  assert.match(tempSeen, /[/\\]\.weights\.safetensors\.tmp-[0-9a-f]{12}$/);
  assert.equal(text(file), 'the old weights');
  assert.deepEqual(readdirSync(dir), ['weights.safetensors']);
});

test('writeFileAtomic onto a directory fails at the rename and cleans up', async () => {
  const dir = tempDir();
  const target = join(dir, 'model.json');
  mkdirSync(target);
  writeFileSync(join(target, 'keep.txt'), 'mine');
  await rejects(writeFileAtomic(target, 'x'), FileWriteError, /cannot write .*model\.json: a directory is in the way/);
  assert.deepEqual(readdirSync(dir), ['model.json']);
  assert.equal(text(join(target, 'keep.txt')), 'mine');
});

test('writeFileAtomic into a missing directory says which directory is missing and creates nothing', async () => {
  const dir = tempDir();
  const e = await rejects(writeFileAtomic(join(dir, 'nope', 'model.json'), 'x'), FileWriteError, /the directory .*nope does not exist/);
  assert.equal(e.code, 'ENOENT');
  assert.deepEqual(readdirSync(dir), []);
});

test('writeFileAtomic refuses data of a wrong type before touching the disk', async () => {
  const dir = tempDir();
  const file = join(dir, 'model.json');
  writeFileSync(file, 'old');
  await rejects(writeFileAtomic(file, 42 as unknown as string), TypeError, /data must be a Uint8Array or a string, got number/);
  await rejects(writeFileAtomic(file, [1, 2] as unknown as Uint8Array), TypeError, /got an array/);
  assert.equal(text(file), 'old');
  assert.deepEqual(readdirSync(dir), ['model.json']);
});

test('concurrent writers: the file ends up whole (one of them), with no temporary files', async () => {
  const dir = tempDir();
  const file = join(dir, 'training.json');
  const contents = Array.from({ length: 16 }, (_, i) => JSON.stringify({ writer: i, pad: 'x'.repeat(10000 + i) }));
  await Promise.all(contents.map((c) => writeFileAtomic(file, c, { fsync: false })));
  assert.ok(contents.includes(text(file)));
  assert.deepEqual(readdirSync(dir), ['training.json']);
});

test('readFileBytes names a missing file and a directory', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.bin'), Uint8Array.from([9]));
  assert.deepEqual([...(await readFileBytes(join(dir, 'a.bin')))], [9]);
  const e = await rejects(readFileBytes(join(dir, 'model.json')), ModelFileError, /^model\.json: does not exist \(in .*model\.json\)$/);
  assert.equal(e.path, join(dir, 'model.json'));
  await rejects(readFileBytes(dir), ModelFileError, /is a folder, expected a file/);
});

// ---------------------------------------------------------------------------------------------
// writeModelDir
// ---------------------------------------------------------------------------------------------

const V1 = { 'model.json': '{"v":1}', 'weights.safetensors': Uint8Array.from([1, 1]) };
const V2 = { 'model.json': '{"v":2}', 'weights.safetensors': Uint8Array.from([2, 2, 2]) };

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('hex')]));
}

test('writeModelDir creates the directory (and missing parents) with exactly the files, nothing beside it', async () => {
  const root = tempDir();
  const dir = join(root, 'runs', 'mnist');
  await writeModelDir(dir, V1);
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
  assert.equal(text(join(dir, 'model.json')), '{"v":1}');
  assert.deepEqual([...readFileSync(join(dir, 'weights.safetensors'))], [1, 1]);
  assert.deepEqual(readdirSync(join(root, 'runs')), ['mnist']);
});

test('an existing empty directory is written into without overwrite', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  mkdirSync(dir);
  await writeModelDir(dir, V1, { fsync: false });
  assert.equal(text(join(dir, 'model.json')), '{"v":1}');
  assert.deepEqual(readdirSync(root), ['m']);
});

test('an existing model is refused without overwrite, and left untouched', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  await writeModelDir(dir, V1);
  const before = snapshot(dir);
  const e = await rejects(writeModelDir(dir, V2), FileWriteError, /cannot save a model to .*m: it already exists \(pass overwrite: true to replace it\)/);
  assert.equal(e.code, 'EEXIST');
  assert.deepEqual(snapshot(dir), before);
  assert.deepEqual(readdirSync(root), ['m']);
});

test('overwrite replaces the whole directory: stale files of the old save go', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  await writeModelDir(dir, { ...V1, 'optimizer.safetensors': Uint8Array.from([7]), 'training.json': '{}' });
  // a plain save over a checkpoint: the optimiser state must not survive beside the new weights
  await rejects(writeModelDir(dir, V2, { overwrite: true }), FileWriteError, /refusing to replace .*it does not look like a saved model \(it holds 'optimizer\.safetensors', 'training\.json'\)/);
  await writeModelDir(dir, V2, { overwrite: true, knownFiles: ['optimizer.safetensors', 'training.json'] });
  assert.deepEqual(snapshot(dir), { 'model.json': Buffer.from('{"v":2}').toString('hex'), 'weights.safetensors': '020202' });
  assert.deepEqual(readdirSync(root), ['m'], 'no .tmp- or .old- sibling left');
});

test('overwrite never deletes a directory of the user\'s own files (unless canReplace says so)', async () => {
  const root = tempDir();
  const dir = join(root, 'home');
  mkdirSync(dir);
  writeFileSync(join(dir, 'thesis.tex'), 'years of work');
  writeFileSync(join(dir, 'model.json'), '{}');
  mkdirSync(join(dir, 'sub'));
  await rejects(writeModelDir(dir, V1, { overwrite: true }), FileWriteError, /refusing to replace .*home: .*\(it holds 'sub', 'thesis\.tex'\)/);
  assert.equal(text(join(dir, 'thesis.tex')), 'years of work');
  // a directory entry named like a model file does not count as one
  const dir2 = join(root, 'odd');
  mkdirSync(join(dir2, 'model.json'), { recursive: true });
  await rejects(writeModelDir(dir2, V1, { overwrite: true }), FileWriteError, /refusing to replace/);
  // the caller decides
  const seen: string[][] = [];
  await rejects(writeModelDir(dir, V1, { overwrite: true, canReplace: (_d, entries) => { seen.push([...entries].sort()); return false; } }), FileWriteError, /refusing/);
  assert.deepEqual(seen, [['model.json', 'sub', 'thesis.tex']]);
  await writeModelDir(dir, V1, { overwrite: true, canReplace: () => true });
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
  assert.deepEqual(readdirSync(root).sort(), ['home', 'odd']);
});

test('a failure while writing the new files leaves the old model intact and no temporary directory', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  await writeModelDir(dir, V1);
  const before = snapshot(dir);
  let calls = 0;
  _testHooks.afterTempWrite = (temp) => {
    calls++;
    assert.match(temp, /[/\\](m|new)\.tmp-[0-9a-f]{12}[/\\]/);
    if (calls === 2) throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
  };
  const e = await rejects(writeModelDir(dir, V2, { overwrite: true }), FileWriteError, /^cannot save to .*m: simulated crash$/);
  assert.equal(e.code, 'EIO');
  assert.equal(calls, 2);
  assert.deepEqual(snapshot(dir), before);
  assert.deepEqual(readdirSync(root), ['m']);
  // and for a new directory: nothing at all is left
  calls = 0;
  await rejects(writeModelDir(join(root, 'new'), V2), FileWriteError, /simulated crash/);
  assert.deepEqual(readdirSync(root), ['m']);
});

test('if the new directory cannot move in, the old one is moved back', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  await writeModelDir(dir, V1);
  const before = snapshot(dir);
  _testHooks.betweenRenames = (old, temp) => {
    assert.ok(!existsSync(dir), 'the old save is aside');
    assert.deepEqual(snapshot(old), before);
    assert.equal(text(join(temp, 'model.json')), '{"v":2}');
    throw Object.assign(new Error('simulated rename failure'), { code: 'EBUSY' });
  };
  await rejects(writeModelDir(dir, V2, { overwrite: true }), FileWriteError, /cannot save to .*m: simulated rename failure/);
  assert.deepEqual(snapshot(dir), before);
  assert.deepEqual(readdirSync(root), ['m']);
});

test('writeModelDir refuses a file in the way, bad names and bad contents', async () => {
  const root = tempDir();
  writeFileSync(join(root, 'plain'), 'x');
  const e = await rejects(writeModelDir(join(root, 'plain'), V1, { overwrite: true }), FileWriteError, /it exists and is not a directory/);
  assert.equal(e.code, 'ENOTDIR');
  await rejects(writeModelDir(join(root, 'm'), { '../escape.json': '{}' }), TypeError, /not a plain file name/);
  await rejects(writeModelDir(join(root, 'm'), { 'a/b': '{}' }), TypeError, /not a plain file name/);
  await rejects(writeModelDir(join(root, 'm'), { '..': '{}' }), TypeError, /not a plain file name/);
  await rejects(writeModelDir(join(root, 'm'), {}), TypeError, /files is empty/);
  await rejects(writeModelDir(join(root, 'm'), { 'model.json': 3 as unknown as string }), TypeError, /file 'model\.json': data must be/);
  assert.deepEqual(readdirSync(root), ['plain']);
});

test('a symbolic link to a model directory is followed: the link stays, its target gets the new save', { skip: process.platform === 'win32' }, async () => {
  const root = tempDir();
  const real = join(root, 'real');
  await writeModelDir(real, V1);
  const link = join(root, 'latest');
  symlinkSync(real, link);
  await writeModelDir(link, V2, { overwrite: true });
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(text(join(real, 'model.json')), '{"v":2}');
  assert.deepEqual(readdirSync(root).sort(), ['latest', 'real']);
});

// ---------------------------------------------------------------------------------------------
// recoverModelDir: the states a crash can leave
// ---------------------------------------------------------------------------------------------

function makeDir(path: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(path, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(path, name), data);
}

test('recoverModelDir completes a replacement interrupted between its two renames', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  makeDir(`${dir}.old-0123456789ab`, V1);
  makeDir(`${dir}.tmp-0123456789ab`, V2);
  const r = await recoverModelDir(dir);
  assert.equal(r.completed, true);
  assert.equal(r.restored, false);
  assert.deepEqual(r.removed, [`${dir}.old-0123456789ab`]);
  assert.deepEqual(r.unfinished, []);
  assert.equal(text(join(dir, 'model.json')), '{"v":2}');
  assert.deepEqual(readdirSync(root), ['m']);
});

test('recoverModelDir removes a replaced save left beside the new one, and restores a lone old save', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  makeDir(dir, V2);
  makeDir(`${dir}.old-aaaaaaaaaaaa`, V1);
  let r = await recoverModelDir(dir);
  assert.deepEqual(r, { completed: false, restored: false, removed: [`${dir}.old-aaaaaaaaaaaa`], unfinished: [] });
  assert.deepEqual(readdirSync(root), ['m']);
  assert.equal(text(join(dir, 'model.json')), '{"v":2}');

  const dir2 = join(root, 'n');
  makeDir(`${dir2}.old-bbbbbbbbbbbb`, V1);
  r = await recoverModelDir(dir2);
  assert.equal(r.restored, true);
  assert.equal(text(join(dir2, 'model.json')), '{"v":1}');
  assert.deepEqual(readdirSync(root).sort(), ['m', 'n']);
});

test('recoverModelDir leaves unfinished temporary directories alone and ignores unrelated names', async () => {
  const root = tempDir();
  const dir = join(root, 'm');
  makeDir(dir, V1);
  makeDir(`${dir}.tmp-cccccccccccc`, { 'model.json': 'half' });
  makeDir(join(root, 'm2.old-dddddddddddd'), V1); // another model's leftovers
  makeDir(join(root, 'm.old-notahexname'), V1);
  const r = await recoverModelDir(dir);
  assert.deepEqual(r, { completed: false, restored: false, removed: [], unfinished: [`${dir}.tmp-cccccccccccc`] });
  assert.deepEqual(readdirSync(root).sort(), ['m', 'm.old-notahexname', 'm.tmp-cccccccccccc', 'm2.old-dddddddddddd']);
  assert.deepEqual(await recoverModelDir(join(root, 'missing', 'x')), { completed: false, restored: false, removed: [], unfinished: [] });
});

// ---------------------------------------------------------------------------------------------
// safetensors files on disk
// ---------------------------------------------------------------------------------------------

test('writeSafetensorsFile / readSafetensorsFile round-trip; a truncated file on disk is refused naming its path', async () => {
  const dir = tempDir();
  const file = join(dir, 'weights.safetensors');
  const kernel = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  await writeSafetensorsFile(file, [{ name: 'dense_1/kernel', tensor: kernel }], { format: 'nabla' });
  const back = await readSafetensorsFile(file);
  assert.deepEqual(back.order, ['dense_1/kernel']);
  assert.deepEqual(back.metadata, { format: 'nabla' });
  assert.deepEqual(back.tensors.get('dense_1/kernel')!.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(readdirSync(dir), ['weights.safetensors']);
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length - 1));
  const e = await rejects(readSafetensorsFile(file), ModelFileError, /^weights\.safetensors: tensor 'dense_1\/kernel': data_offsets \[0, 24\] run past the end of the file .*truncated \(in .*weights\.safetensors\)$/);
  assert.equal(e.path, file);
  await rejects(readSafetensorsFile(join(dir, 'missing.safetensors')), ModelFileError, /^missing\.safetensors: does not exist/);
});
