/** `nabla example`: --list, usage errors, and a run that prints its figures and writes its plots. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { EXAMPLES } from '../../src/examples/index.js';
import { nabla, tmp } from '../cli/helpers.js';

test('nabla example --list names every example; no name lists them too', async () => {
  for (const args of [['example', '--list'], ['example']]) {
    const r = await nabla(args);
    assert.equal(r.code, 0, r.stderr);
    for (const e of EXAMPLES) assert.match(r.stdout, new RegExp(`^  ${e.name} `, 'm'));
  }
  assert.deepEqual(EXAMPLES.map((e) => e.name),
    ['xor-gates', 'higham', 'runge', 'tanh-construction', 'pokemon-cp', 'lwr', 'gaussian-classifier', 'nielsen-ch1', 'classification-as-regression',
      'sigmoid-neurons', 'learning-slowdown', 'backprop', 'overfitting',
      'adding-problem', 'sine-forecast', 'char-rnn']);
});

test('nabla example: an unknown name or a bad option value is a usage error (exit 2, one line)', async () => {
  const unknown = await nabla(['example', 'xor']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown example 'xor'; valid names: xor-gates, higham/);
  const points = await nabla(['example', 'higham', '--points', '12']);
  assert.equal(points.code, 2);
  assert.match(points.stderr, /option '--points <n>' argument '12' is invalid\. Expected one of 10, 11\./);
  const epochs = await nabla(['example', 'nielsen-ch1', '--epochs', '0']);
  assert.equal(epochs.code, 2);
  assert.match(epochs.stderr, /--epochs <n>.*Expected a positive integer/);
  for (const r of [unknown, points, epochs]) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('nabla example higham --solver lm compares Levenberg-Marquardt with SGD; a bad solver is a usage error', async () => {
  const dir = tmp('nabla-example-cli-');
  const r = await nabla(['example', 'higham', '--solver', 'lm', '--steps', '2000', '--out', dir, '--no-png']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}Levenberg-Marquardt +\d+ +[\d.e-]+ +10\/10/m);
  assert.match(r.stdout, /agrees +Levenberg-Marquardt cost below stochastic gradient's/);
  assert.deepEqual(readdirSync(dir).sort(), ['higham-lm-cost.svg', 'higham-lm-regions.svg']);
  const bad = await nabla(['example', 'higham', '--solver', 'adam']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Expected one of sgd, lm\./);
});

test('nabla example tanh-construction --out DIR prints the table, the comparisons and the figures, and writes SVG and PNG', async () => {
  const dir = tmp('nabla-example-cli-');
  const r = await nabla(['example', 'tanh-construction', '--out', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /fitted slope of log\(error\) against log\(h\)/);
  assert.match(r.stdout, /agrees +order of the error for x\^3: 1\.9\d\d {2}\(reference: 2 \+- 0\.15/);
  assert.match(r.stdout, /^ {2}slopeX = 1\.99/m);
  assert.deepEqual(readdirSync(dir).sort(), ['tanh-construction.png', 'tanh-construction.svg']);
  const svgOnly = tmp('nabla-example-cli-');
  const r2 = await nabla(['example', 'xor-gates', '--out', svgOnly, '--no-png', '--epochs', '3000']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(readdirSync(svgOnly).sort(), ['xor-network.svg', 'xor-perceptron.svg']);
});
