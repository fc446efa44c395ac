// SimpleRNN, LSTM and GRU against PyTorch 1.13's nn.RNN / nn.LSTM / nn.GRU: forward outputs and the
// gradients of C = sum(y * g) (dx and every weight), on fixtures made by
// scripts/fixtures/recurrent_fixtures.py (which converts between the Keras and PyTorch layouts and
// documents the mapping). float64 on the js kernels to 1e-10, float32 on the default backend to 1e-5.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GRU, jsBackend, LSTM, setMask, SimpleRNN, Tensor, type DType, type RecurrentLayer } from '../../src/index.js';
import { withBackend } from '../../src/kernels/index.js';

interface Case {
  cell: 'SimpleRNN' | 'LSTM' | 'GRU'; returnSequences: boolean; goBackwards: boolean; lengths: number[] | null;
  batch: number; steps: number; features: number; units: number;
  x: number[]; kernel: number[]; recurrentKernel: number[]; bias: number[]; yShape: number[]; y: number[]; g: number[];
  dx: number[]; dKernel: number[]; dRecurrentKernel: number[]; dBias: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/recurrent.json', import.meta.url), 'utf8')) as { torchVersion: string; cases: Case[] };

/** Largest |a - b| / max(1, |b|). */
function maxRelative(a: ArrayLike<number>, b: readonly number[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

function arr(dtype: DType, v: readonly number[]): Float32Array | Float64Array {
  return dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v);
}

function run(c: Case, dtype: DType, tolerance: number): void {
  const opts = { units: c.units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, dtype };
  const layer: RecurrentLayer = c.cell === 'LSTM' ? new LSTM(opts) : c.cell === 'GRU' ? new GRU(opts) : new SimpleRNN(opts);
  layer.build([c.batch, c.steps, c.features]);
  const [kernel, recurrent, bias] = layer.params();
  kernel!.value.data.set(arr(dtype, c.kernel)); recurrent!.value.data.set(arr(dtype, c.recurrentKernel)); bias!.value.data.set(arr(dtype, c.bias));
  const x = new Tensor(arr(dtype, c.x), [c.batch, c.steps, c.features]);
  if (c.lengths) {
    const mask = new Float64Array(c.batch * c.steps);
    c.lengths.forEach((n, b) => mask.fill(1, b * c.steps, b * c.steps + n));
    setMask(x, new Tensor(arr(dtype, [...mask]), [c.batch, c.steps]));
  }
  const y = layer.forward(x, true);
  assert.deepEqual(y.shape, c.yShape);
  const checks: [string, ArrayLike<number>, number[]][] = [['y', y.data, c.y]];
  const dx = layer.backward(new Tensor(arr(dtype, c.g), y.shape), true)!;
  checks.push(['dx', dx.data, c.dx], ['dKernel', kernel!.grad.data, c.dKernel], ['dRecurrentKernel', recurrent!.grad.data, c.dRecurrentKernel], ['dBias', bias!.grad.data, c.dBias]);
  for (const [what, got, want] of checks) {
    const err = maxRelative(got, want);
    assert.ok(err < tolerance, `${what}: max relative error ${err} >= ${tolerance}`);
  }
  layer.dispose();
}

describe(`recurrent layers equal PyTorch ${fixtures.torchVersion} (Keras <-> PyTorch layouts)`, () => {
  for (const c of fixtures.cases) {
    const label = `${c.cell} returnSequences ${c.returnSequences} goBackwards ${c.goBackwards}${c.lengths ? ` masked lengths ${c.lengths.join(',')}` : ''}`;
    it(`${label}: float64 (js) within 1e-10`, () => withBackend(jsBackend, () => run(c, 'float64', 1e-10)));
    it(`${label}: float32 (default backend) within 1e-5`, () => run(c, 'float32', 1e-5));
  }
});
