// The options an example declares (src/examples/options.ts): defaults, NABLA_QUICK caps (a short run
// is never longer), flags and help made from the declaration, and the registry's entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_CATALOG } from '../../src/examples/catalog.js';
import { EXAMPLES } from '../../src/examples/index.js';
import { defineExample } from '../../src/examples/util.js';
import { cliOptionsOf, quickMode, quickSummary, resolveOptions } from '../../src/examples/options.js';
import type { ExampleOptions } from '../../src/examples/types.js';

interface Opts { quick?: boolean; units?: number; steps?: number; lengths?: number[]; rate?: number }
const given = (o: Opts): Opts => o;
const DECLARED = {
  units: { description: 'units', default: 32 },
  steps: { description: 'steps', default: 2000, quick: 30 },
  lengths: { description: 'lengths', kind: 'library', default: [10, 25, 50], quick: [10] },
  rate: { description: 'rate', kind: 'positiveNumber', valueName: 'lr', default: 0.01 },
} satisfies ExampleOptions<Opts>;

test('resolveOptions: defaults for what is not given; a short run caps numbers and replaces other defaults', () => {
  assert.deepEqual(resolveOptions(DECLARED, given({ quick: false })), { quick: false, units: 32, steps: 2000, lengths: [10, 25, 50], rate: 0.01 });
  assert.deepEqual(resolveOptions(DECLARED, given({ quick: false, steps: 5000, lengths: [7] })), { quick: false, units: 32, steps: 5000, lengths: [7], rate: 0.01 });
  assert.deepEqual(resolveOptions(DECLARED, given({ quick: true })), { quick: true, units: 32, steps: 30, lengths: [10], rate: 0.01 });
  assert.equal(resolveOptions(DECLARED, given({ quick: true, steps: 20 })).steps, 20, 'a smaller value given is kept');
  assert.equal(resolveOptions(DECLARED, given({ quick: true, steps: 5000 })).steps, 30, 'a short run is never longer');
  assert.deepEqual(resolveOptions(DECLARED, given({ quick: true, lengths: [8] })).lengths, [8]);
  assert.equal(quickMode({ NABLA_QUICK: '1' }), true);
  for (const v of [undefined, '', '0', 'false', 'FALSE']) assert.equal(quickMode({ NABLA_QUICK: v }), false, String(v));
});

test('cliOptionsOf: flags from the keys, help from the description, default and quick value; library options have none', () => {
  assert.deepEqual(cliOptionsOf(DECLARED), [
    { flags: '--units <n>', description: 'units (default 32)', kind: 'positiveInt' },
    { flags: '--steps <n>', description: 'steps (default 2000; NABLA_QUICK=1: at most 30)', kind: 'positiveInt' },
    { flags: '--rate <lr>', description: 'rate (default 0.01)', kind: 'positiveNumber' },
  ]);
  assert.equal(quickSummary(DECLARED), 'steps <= 30, lengths = [10]');
});

test('every example: its command-line options are its declared ones, the old flag names and defaults', () => {
  const flags = Object.fromEntries(EXAMPLES.map((e) => [e.name, e.cliOptions.map((o) => o.flags.split(' ')[0]).join(' ')]));
  assert.deepEqual(flags, {
    'xor-gates': '--epochs', higham: '--points --steps --solver --iterations', runge: '--epochs', 'tanh-construction': '', 'pokemon-cp': '--iterations --train-rows',
    lwr: '', 'gaussian-classifier': '', 'nielsen-ch1': '--hidden --epochs', 'classification-as-regression': '--far', 'sigmoid-neurons': '', 'learning-slowdown': '--epochs --learning-rate',
    backprop: '', overfitting: '--epochs --test-size', 'adding-problem': '--units --steps', 'sine-forecast': '--epochs --units',
    'char-rnn': '--epochs --units --sequence-length --batch-size --sample-length --top-k --learning-rate --max-minutes --eval-every --temperature',
  });
  const nielsen = EXAMPLES.find((e) => e.name === 'nielsen-ch1')!;
  assert.deepEqual(resolveOptions(nielsen.options, { quick: false }), { quick: false, hidden: 30, epochs: 30, trainSize: 50_000, learningRate: 3 });
  assert.deepEqual(resolveOptions(nielsen.options, { quick: true, epochs: 4 }), { quick: true, hidden: 30, epochs: 1, trainSize: 2000, learningRate: 3 });
});

test('the catalogue: one row per registered example, in --list order, each with a title, source and duration; an unknown name is refused', () => {
  assert.deepEqual(EXAMPLES.map((e) => e.name), Object.keys(EXAMPLE_CATALOG));
  for (const e of EXAMPLES) {
    assert.deepEqual({ title: e.title, source: e.source, duration: e.duration }, EXAMPLE_CATALOG[e.name], e.name);
    for (const v of [e.title, e.source, e.duration]) assert.ok(v.trim().length > 0, `${e.name}: an empty catalogue field`);
  }
  assert.throws(() => defineExample('no-such-example', async () => ({ figures: {}, comparisons: [], files: [] })), /no row in EXAMPLE_CATALOG/);
});
