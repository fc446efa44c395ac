// The recurrent examples, shortened (NABLA_QUICK=1): the adding problem's data and a short run of
// both models (and the gates of the saved LSTM); the sine forecast's series, baseline and a short run; each through the command line.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addingBatch, ADDING_BASELINE, noisySeries, runAddingProblem, runSineForecast, SINE, sineSignal } from '../../src/examples/index.js';
import { Rng } from '../../src/index.js';
import { nabla, tmp } from '../cli/helpers.js';

describe('nabla example adding-problem', () => {
  it('the data: two markers, one in each half; the target is the sum of the marked values; predicting 1 scores about 1/6', () => {
    const T = 30, n = 4000, { x, y } = addingBatch(new Rng(3), n, T);
    assert.deepEqual(x.shape, [n, T, 2]);
    let sq = 0;
    for (let b = 0; b < n; b++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const v = x.data[(b * T + t) * 2]!, m = x.data[(b * T + t) * 2 + 1]!;
        assert.ok(v >= 0 && v < 1 && (m === 0 || m === 1));
        if (m === 1) { marked.push(t); sum += v; }
      }
      assert.equal(marked.length, 2);
      assert.ok(marked[0]! < T / 2 && marked[1]! >= T / 2, `markers at ${marked}`);
      assert.ok(Math.abs(y.data[b]! - sum) < 1e-6);
      sq += (y.data[b]! - 1) ** 2;
    }
    assert.ok(Math.abs(sq / n - 1 / 6) < 0.015, `constant-1 MSE ${sq / n}`);
    assert.equal(ADDING_BASELINE, 1 / 6);
  });

  it('a short run trains both models on each length and reports finite errors', async () => {
    const r = await runAddingProblem({ quick: true, lengths: [8], steps: 20 });
    for (const k of ['mseSimpleRNN8', 'mseLSTM8']) assert.ok(Number.isFinite(r.figures[k]) && r.figures[k]! > 0, k);
    assert.deepEqual(r.files, []);
  });

  it('the command line with NABLA_QUICK=1: the table of both models, the plot, --seed', async () => {
    const dir = tmp('nabla-adding-');
    const r = await nabla(['example', 'adding-problem', '--out', dir, '--no-png', '--seed', '3'], { NABLA_QUICK: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seed 3/);
    for (const cell of ['SimpleRNN', 'LSTM']) for (const T of [10, 25]) assert.match(r.stdout, new RegExp(`^${cell} +${T} +[\\d.e-]+ +30 `, 'm'));
    assert.deepEqual(readdirSync(dir).sort(), ['adding-problem.svg', 'lstm-T25']);
    const saved = join(dir, 'lstm-T25');
    assert.ok(existsSync(join(saved, 'model.json')) && existsSync(join(saved, 'sequence.csv')));
    const v = await nabla(['visualize', saved, '--sequence', join(saved, 'sequence.csv'), '--out', dir]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /32 units x 25 steps/);
    assert.ok(existsSync(join(dir, 'lstm-gates-lstm.png')), readdirSync(dir).join(', '));
  });
});

describe('nabla example sine-forecast', () => {
  it('the series is the signal plus noise of sigma 0.2; repeating the last period costs about 2 sigma^2', () => {
    const s = noisySeries(new Rng(4), 20_000), P = SINE.period;
    let e = 0, rep = 0;
    for (let t = 0; t < s.length; t++) e += (s[t]! - sineSignal(t)) ** 2;
    for (let t = P; t < s.length; t++) rep += (s[t]! - s[t - P]!) ** 2;
    assert.ok(Math.abs(Math.sqrt(e / s.length) - 0.2) < 0.01);
    assert.ok(Math.abs(rep / (s.length - P) - 0.08) < 0.005);
    assert.ok(Math.abs(sineSignal(7) - sineSignal(7 + P)) < 1e-12);
  });

  it('the command line with NABLA_QUICK=1 prints both errors and writes the plot', async () => {
    const dir = tmp('nabla-sine-');
    const r = await nabla(['example', 'sine-forecast', '--out', dir, '--no-png'], { NABLA_QUICK: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /test MSE against the noisy series: GRU [\d.e-]+, repeat-the-last-period [\d.e-]+/);
    assert.deepEqual(readdirSync(dir), ['sine-forecast.svg']);
  });

  it('a short run returns the errors it printed; the baseline scores about 2 sigma^2', async () => {
    const r = await runSineForecast({ quick: true, epochs: 1 });
    assert.ok(Number.isFinite(r.figures.gruMse!));
    assert.ok(r.figures.baselineMse! > 0.04 && r.figures.baselineMse! < 0.13, `baseline ${r.figures.baselineMse}`);
  });
});
