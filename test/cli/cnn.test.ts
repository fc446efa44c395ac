// nabla train --model cnn: the LeNet-sized default trains, saves, summarises and visualizes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lines, nabla, printedAccuracy, tmp } from './helpers.js';

describe('nabla train --model cnn', () => {
  const out = join(tmp('nabla-cnn-'), 'run');

  it('trains the default CNN on 2,000 MNIST digits for one epoch and saves a run', async () => {
    const r = await nabla(['train', '--model', 'cnn', '--limit', '2000', '--epochs', '1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Model: cnn 28x28x1-conv5x5x6-maxpool2-conv5x5x16-maxpool2-120-84-10 \(61,706 parameters\)/);
    assert.match(r.stdout, /adam, learning rate 0\.002 with cosine decay/);
    assert.match(r.stdout, /1 epoch of 32 batches of 64/);
    assert.ok(Number(printedAccuracy(r.stdout)) > 0.5, `test accuracy ${printedAccuracy(r.stdout)} after one short epoch`);
    assert.deepEqual(readdirSync(out).sort(), ['model', 'run.json']);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(run.settings.model, 'cnn');
    assert.deepEqual(run.settings.hidden, []);
  });

  it('summary lists the Conv2D and pooling layers with Keras output shapes and parameter counts', async () => {
    const r = await nabla(['summary', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /conv2d_1 \(Conv2D\)\s+\(None, 28, 28, 6\)\s+156/);
    assert.match(r.stdout, /max_pooling2d_1 \(MaxPooling2D\)\s+\(None, 14, 14, 6\)\s+0/);
    assert.match(r.stdout, /conv2d_2 \(Conv2D\)\s+\(None, 10, 10, 16\)\s+2,416/);
    assert.match(r.stdout, /dense_3 \(Dense\)\s+\(None, 10\)\s+850/);
    assert.match(r.stdout, /Total params: 61,706/);
  });

  it('visualize writes the pictures into the run directory', async () => {
    const r = await nabla(['visualize', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, 'visualize')).sort(), ['features-1-conv2d_1.png', 'features-2-max_pooling2d_1.png',
      'features-3-conv2d_2.png', 'features-4-max_pooling2d_2.png', 'filters-conv2d_1.png', 'input.png']);
    assert.equal(lines(r.stdout).filter((l) => l.startsWith('Wrote ')).length, 6);
  });

  it('refuses a table or --hidden with one line (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--model', 'cnn', '--data', 'iris'], /option '--model': cnn reads images .* inputs \[4\]/],
      [['train', '--model', 'cnn', '--hidden', '64'], /option '--hidden' applies to --model mlp, not to --model cnn/],
      [['train', '--model', 'lenet'], /Unknown model; expected 'cnn', 'mlp' or a path/],
    ];
    const results = await Promise.all(cases.map(([args]) => nabla(args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, cases[i]![1]);
    });
  });
});
