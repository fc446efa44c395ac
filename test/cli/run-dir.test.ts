// A run directory is written as one unit (issue 11): run.json last marks it complete; a run
// without it is refused as incomplete; one training per --out (a pid lock); leftovers of
// interrupted saves never block; an unwritable --out fails before training; a NaN loss leaves a
// checkpoint of the last good weights.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCheckpoint } from '../../src/index.js';
import { finished, lines, nabla, startCli, tmp } from './helpers.js';

const LOCK = '.nabla-train.lock';
const iris = (out: string, ...more: string[]) => ['train', '--data', 'iris', '--epochs', '1', '--out', out, ...more];

describe('run directories written as one unit', () => {
  it('evaluate, predict and summary refuse a run whose run.json is missing (killed before it was written)', async () => {
    const dir = tmp(), out = join(dir, 'run');
    const r = await nabla(iris(out));
    assert.equal(r.code, 0, r.stderr);
    rmSync(join(out, 'run.json')); // what SIGKILL between the model and run.json left
    writeFileSync(join(dir, 'rows.csv'), 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n5.1,3.5,1.4,0.2\n');
    for (const args of [['evaluate', out], ['predict', out, join(dir, 'rows.csv')], ['summary', out]]) {
      const res = await nabla(args);
      assert.equal(res.code, 1, `${args[0]}: ${res.stdout}`);
      assert.match(res.stderr, /incomplete run directory: it has no run\.json/, args[0]);
      assert.equal(lines(res.stderr).length, 1, 'one line');
      assert.equal(res.stdout, '', `${args[0]} printed no prediction or report`);
    }
  });

  it('leftovers of interrupted saves and a stale lock do not block a later run, and are cleared', async () => {
    const out = join(tmp(), 'run');
    mkdirSync(join(out, 'model.tmp-0123456789ab'), { recursive: true });
    writeFileSync(join(out, 'model.tmp-0123456789ab', 'model.json'), '{"half": ');
    writeFileSync(join(out, '.run.json.tmp-abcdef012345'), '{');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(out, LOCK), `${dead.stdout}\n`); // its owner has exited
    const r = await nabla(iris(out));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['model', 'run.json']);
  });

  it('a second training aimed at the same --out fails while the first runs; no mix', async () => {
    const out = join(tmp(), 'run');
    const first = startCli(['train', '--data', 'iris', '--epochs', '100000', '--out', out]);
    const firstDone = finished(first);
    await new Promise<void>((resolve) => {
      let seen = '';
      first.stdout!.on('data', (d: Buffer | string) => { seen += String(d); if (seen.includes('Training:')) resolve(); });
    });
    const second = await nabla(iris(out));
    assert.equal(second.code, 1, second.stdout);
    assert.match(second.stderr, new RegExp(`is in use by another nabla train \\(pid ${first.pid}\\)`));
    assert.equal(lines(second.stderr).length, 1);
    assert.doesNotMatch(second.stdout, /Training:/, 'refused before training');
    first.kill('SIGINT');
    const r = await firstDone;
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['checkpoint'], "only the first run's checkpoint; the lock is released");
  });

  it('a lock held by a living process refuses the run', async () => {
    const out = join(tmp(), 'run');
    mkdirSync(out);
    writeFileSync(join(out, LOCK), `${process.pid}\n`); // this test process is alive
    const r = await nabla(iris(out));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`is in use by another nabla train \\(pid ${process.pid}\\)`));
    assert.ok(existsSync(join(out, LOCK)), "another's lock is left alone");
  });

  it('an unwritable --out fails before training', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), 'x');
    const r = await nabla(iris(join(dir, 'file', 'run'))); // tests run as root: a path under a file cannot be created
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write the run directory .*file\/run: a part of the path is a file/);
    assert.doesNotMatch(r.stdout, /Training:/);
  });

  it('a NaN loss saves the last good weights as a checkpoint that loads', async () => {
    const out = join(tmp(), 'run');
    const r = await nabla(['train', '--data', 'iris', '--epochs', '3', '--optimizer', 'sgd', '--learning-rate', '1e30', '--out', out]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /loss became (NaN|Infinity|-Infinity) at epoch 1, batch \d+/);
    assert.match(r.stderr, new RegExp(`saved as a checkpoint in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/checkpoint`));
    assert.deepEqual(readdirSync(out).sort(), ['checkpoint']);
    const ck = await loadCheckpoint(join(out, 'checkpoint'));
    for (const w of ck.model.getWeights()) assert.ok(w.data.every(Number.isFinite), 'the saved weights are finite');
    assert.equal(ck.progress.epoch, 0);
  });
});
