// nabla train / evaluate / summary / predict on small tables (iris, a CSV the test writes).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '../../src/tensor/rng.js';
import { lines, nabla, printedAccuracy, tmp } from './helpers.js';

describe('nabla train on iris, then evaluate, summary and predict', () => {
  const dir = tmp(), out = join(dir, 'iris-run');
  let trainOut = '';

  it('trains to a sane accuracy, prints the confusion matrix and saves a run directory', async () => {
    const r = await nabla(['train', '--data', 'iris', '--epochs', '60', '--seed', '3', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    trainOut = r.stdout;
    assert.equal(lines(r.stdout).filter((l) => /^Epoch \d+\/60 - /.test(l)).length, 60, 'one plain line per epoch when not on a TTY');
    assert.ok(Number(printedAccuracy(r.stdout)) >= 0.85, `test accuracy ${printedAccuracy(r.stdout)}`);
    assert.match(r.stdout, /Confusion matrix \(rows: true class, columns: predicted class\)/);
    assert.match(r.stdout, /versicolor\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+10/, 'per-class precision, recall, F1, support');
    assert.deepEqual(readdirSync(out).sort(), ['model', 'run.json']);
    assert.deepEqual(readdirSync(join(out, 'model')).sort(), ['model.json', 'weights.safetensors']);
    assert.match(r.stdout, new RegExp(`evaluate ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'prints how to evaluate it');
  });

  it('evaluate reproduces the accuracy that train printed', async () => {
    const r = await nabla(['evaluate', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(printedAccuracy(r.stdout), printedAccuracy(trainOut));
    const matrix = (s: string) => s.slice(s.indexOf('Confusion matrix'), s.indexOf('accuracy: ', s.indexOf('Confusion matrix')));
    assert.equal(matrix(r.stdout), matrix(trainOut), 'the same confusion matrix');
    const viaModelDir = await nabla(['evaluate', join(out, 'model')]);
    assert.equal(printedAccuracy(viaModelDir.stdout), printedAccuracy(trainOut), 'the model/ folder finds its run.json');
  });

  it('summary prints the layer table, compile settings and the run', async () => {
    const r = await nabla(['summary', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Layer \(type\)\s+Output Shape\s+Param #/);
    assert.match(r.stdout, /dense_1 \(Dense\)\s+\(None, 32\)\s+160/);
    assert.match(r.stdout, /Total params: 259/);
    assert.match(r.stdout, /loss sparseCategoricalCrossentropy/);
    assert.match(r.stdout, /Trained: 60 epochs/);
  });

  it('predict reads a CSV of feature rows by column name and prints a class per row', async () => {
    const csv = join(dir, 'flowers.csv');
    writeFileSync(csv, 'petal width (cm),petal length (cm),sepal width (cm),sepal length (cm)\n0.2,1.4,3.5,5.1\n2.3,5.9,3.0,6.8\n');
    const r = await nabla(['predict', out, csv]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).map((l) => l.split(',').slice(0, 2).join(',')), ['row,prediction', '1,setosa', '2,virginica']);
  });

  it('refuses to save into a directory holding a different model without --overwrite', async () => {
    const other = await nabla(['train', '--data', 'iris', '--epochs', '2', '--hidden', '8', '--out', out]);
    assert.equal(other.code, 2);
    assert.equal(lines(other.stderr).length, 1);
    assert.match(other.stderr, /--out.*holds a different model; pass --overwrite/);
    const forced = await nabla(['train', '--data', 'iris', '--epochs', '2', '--hidden', '8', '--out', out, '--overwrite']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match((await nabla(['summary', out])).stdout, /\(None, 8\)/);
    const notARun = tmp();
    writeFileSync(join(notARun, 'notes.txt'), 'mine');
    const refused = await nabla(['train', '--data', 'iris', '--epochs', '1', '--out', notARun, '--overwrite']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not a nabla run directory/);
    assert.equal(readFileSync(join(notARun, 'notes.txt'), 'utf8'), 'mine');
  });
});

describe('nabla train on a CSV file', () => {
  it('classifies a table with a text target and regresses a numeric one', async () => {
    const dir = tmp(), rng = new Rng(5);
    const rows = ['x1,x2,x3,kind,amount'];
    for (let i = 0; i < 200; i++) {
      const a = rng.normal(), b = rng.normal(), c = rng.normal();
      rows.push(`${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(4)},${a + b > 0 ? 'big' : 'small'},${(3 * a - 2 * b + 0.5 * c + 10).toFixed(4)}`);
    }
    const csv = join(dir, 'table.csv');
    writeFileSync(csv, rows.join('\n') + '\n');
    writeFileSync(join(dir, 'nums.csv'), rows.map((r) => r.split(',').filter((_, j) => j !== 3).join(',')).join('\n') + '\n');

    const cls = await nabla(['train', '--data', csv, '--target', 'kind', '--epochs', '30', '--out', join(dir, 'cls')]);
    assert.equal(cls.code, 0, cls.stderr);
    assert.ok(Number(printedAccuracy(cls.stdout)) >= 0.85, printedAccuracy(cls.stdout));
    assert.match(cls.stdout, /\s+big\s+small\n/, 'class names from the text labels');

    const reg = await nabla(['train', '--data', join(dir, 'nums.csv'), '--epochs', '40', '--out', join(dir, 'reg')]);
    assert.equal(reg.code, 0, reg.stderr);
    const r2 = /R\^2: ([\d.-]+)/.exec(reg.stdout);
    assert.ok(r2 && Number(r2[1]) > 0.9, `R^2 of a linear target: ${r2?.[1]}`);
    assert.match(reg.stdout, /RMSE: [\d.]+ - MAE: [\d.]+ \(amount\)/);
    const ev = await nabla(['evaluate', join(dir, 'reg')]);
    assert.equal(/Test loss.*/.exec(ev.stdout)?.[0], /Test loss.*/.exec(reg.stdout)?.[0], 'evaluate reproduces the regression report');
    const pred = await nabla(['predict', join(dir, 'reg'), join(dir, 'nums.csv')]);
    assert.equal(pred.code, 0, pred.stderr);
    const out = lines(pred.stdout);
    assert.equal(out[0], 'row,amount');
    assert.equal(out.length, 201);
    const first = Number(out[1]!.split(',')[1]), truth = Number(rows[1]!.split(',')[4]);
    assert.ok(Math.abs(first - truth) < 2, `prediction ${first} near ${truth}`);
  });
});
