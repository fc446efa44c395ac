// Usage errors: one line on stderr naming the option, exit code 2, never a stack trace.
// Runtime errors: one line, exit code 1, a stack trace only with NABLA_DEBUG=1.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lines, nabla, tmp } from './helpers.js';

function assertUsage(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code 2, got ${r.code}; stderr: ${r.stderr}`);
  assert.equal(lines(r.stderr).length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.stdout, '', 'nothing on stdout');
}

describe('nabla: usage errors exit 2 with one line naming the option', { concurrency: 4 }, () => {
  const cases: [string[], RegExp][] = [
    [['train', '--epochs', '0'], /--epochs.*'0'.*positive integer/],
    [['train', '--batch-size', '-3'], /--batch-size.*'-3'.*positive integer/],
    [['train', '--learning-rate', 'abc'], /--learning-rate.*'abc'.*positive number/],
    [['train', '--model', 'resnet'], /--model.*'resnet'.*'mlp' or a path to a \.json file/],
    [['train', '--model', 'missing-model.json'], /--model.*No such file/],
    [['train', '--data', 'imagenet'], /--data.*'imagenet'.*mnist, fashion-mnist, iris/],
    [['train', '--data', 'nowhere.csv'], /--data.*no such file 'nowhere\.csv'/i],
    [['train', '--optimizer', 'lbfgs'], /--optimizer.*Allowed choices are sgd, adam, rmsprop, adagrad/],
    [['train', '--validation-split', '1'], /--validation-split.*\[0, 1\)/],
    [['train', '--hidden', '64,x'], /--hidden.*comma-separated positive integers/],
    [['train', '--seed', '-1'], /--seed/],
    [['train', '--data', 'iris', '--target', 'species'], /--target.*CSV files/],
    [['train', '--data', 'diabetes', '--task', 'classification'], /--task.*regression data set/],
    [['train', '--resume', 'runs/x', '--epochs', '3'], /--epochs.*cannot be combined with --resume/],
    [['train', '--frobnicate'], /unknown option '--frobnicate'/],
    [['predict', 'somewhere', 'input.txt'], /<input>.*\.png image or a \.csv file/],
    [['evaluate'], /missing required argument 'model-dir'/],
    [['trian'], /unknown command 'trian'.*Did you mean train\?/],
  ];
  for (const [args, pattern] of cases) {
    it(`nabla ${args.join(' ')}`, async () => assertUsage(await nabla(args), pattern));
  }

  it('every command has --help (exit 0)', async () => {
    const commands = ['train', 'evaluate', 'predict', 'summary', 'example', 'visualize', 'bench'];
    const results = await Promise.all(commands.map((cmd) => nabla([cmd, '--help'])));
    results.forEach((r, i) => {
      assert.equal(r.code, 0, `${commands[i]} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`Usage: nabla ${commands[i]}`));
    });
    const top = await nabla(['--help']);
    assert.equal(top.code, 0);
    for (const cmd of ['train', 'evaluate', 'predict', 'summary']) assert.match(top.stdout, new RegExp(`\\n  ${cmd} `));
  });
});

describe('nabla: runtime errors exit 1 with one clear line', () => {
  it('a missing model directory, a corrupt model.json, a truncated weights file', async () => {
    const dir = tmp();
    let r = await nabla(['summary', join(dir, 'nothing-here')]);
    assert.equal(r.code, 1);
    assert.equal(lines(r.stderr).length, 1);
    assert.match(r.stderr, /nothing-here: no such directory/);

    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'model.json'), '{"format": "nabla-model", "formatVersion": 1, ');
    writeFileSync(join(bad, 'weights.safetensors'), Buffer.alloc(4));
    r = await nabla(['summary', bad]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /model\.json/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);

    r = await nabla(['summary', bad], { NABLA_DEBUG: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /, 'NABLA_DEBUG=1 shows the stack');
  });

  it('a CSV with a non-numeric cell names the file, row and column', async () => {
    const dir = tmp(), csv = join(dir, 'broken.csv');
    writeFileSync(csv, 'a,b,label\n1,2,0\n3,oops,1\n5,6,0\n7,8,1\n');
    const r = await nabla(['train', '--data', csv, '--epochs', '1', '--out', join(dir, 'run')]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines(r.stderr).length, 1);
    assert.match(r.stderr, /broken\.csv.*non-numeric cell 'oops' at data row 2.*column 2 'b'/);
  });
});
