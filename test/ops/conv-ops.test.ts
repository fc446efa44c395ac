// conv2d, maxPool, avgPool as ops (src/nn/conv-ops.ts): values against loops, gradients against central differences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avgPool, conv2d, grad, grads, maxPool, Rng, Tensor } from '../../src/index.js';

function rand(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed), d = new Float64Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return new Tensor(d, shape);
}

/** A direct loop: 'valid' cross-correlation of x [N, H, W, C] with f [kh, kw, C, F], stride s. */
function convLoop(x: Tensor, f: Tensor, s: number): { data: number[]; shape: number[] } {
  const [N, H, W, C] = x.shape as [number, number, number, number], [kh, kw, , F] = f.shape as [number, number, number, number];
  const oh = Math.floor((H - kh) / s) + 1, ow = Math.floor((W - kw) / s) + 1, out: number[] = [];
  for (let n = 0; n < N; n++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let o = 0; o < F; o++) {
    let z = 0;
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < C; c++)
      z += x.data[((n * H + i * s + a) * W + j * s + b) * C + c]! * f.data[((a * kw + b) * C + c) * F + o]!;
    out.push(z);
  }
  return { data: out, shape: [N, oh, ow, F] };
}

/** Max error between an analytic gradient and central differences of the scalar f at t. */
function fdError(f: () => number, t: Tensor, g: Tensor, eps = 1e-6): number {
  let worst = 0;
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    t.data[i] = v + eps; const plus = f();
    t.data[i] = v - eps; const minus = f();
    t.data[i] = v;
    worst = Math.max(worst, Math.abs(g.data[i]! - (plus - minus) / (2 * eps)));
  }
  return worst;
}

describe('conv2d / maxPool / avgPool ops', () => {
  it('conv2d equals a direct loop (valid, stride 2) and takes a rank-3 image', () => {
    const x = rand([2, 6, 5, 3], 1), f = rand([3, 2, 3, 4], 2);
    const want = convLoop(x, f, 2), got = conv2d(x, f, 2, 'valid');
    assert.deepEqual(got.shape, want.shape);
    want.data.forEach((v, i) => assert.ok(Math.abs(got.data[i]! - v) < 1e-12));
    const one = conv2d(x.slice([0, 0, 0, 0], [1, 6, 5, 3]).reshape([6, 5, 3]), f, 2);
    assert.deepEqual(one.shape, want.shape.slice(1));
    assert.deepEqual(x.conv2d(f, 1, 'same').shape, [2, 6, 5, 4]);
  });

  for (const [pad, stride] of [['same', 1], ['valid', 2], ['same', 2]] as const) {
    it(`conv2d gradients for x and filter agree with central differences (${pad}, stride ${stride})`, () => {
      const x = rand([2, 5, 5, 2], 3), f = rand([3, 3, 2, 3], 4);
      const wOut = rand(conv2d(x, f, stride, pad).shape as number[], 5);
      const loss = (a: Tensor, b: Tensor) => conv2d(a, b, stride, pad).mul(wOut).sum();
      const [gx, gf] = grads(loss)([x, f]);
      const value = () => loss(x, f).dataSync()[0]!;
      const ex = fdError(value, x, gx!); assert.ok(ex < 1e-7, `x: ${ex}`);
      const ef = fdError(value, f, gf!); assert.ok(ef < 1e-7, `filter: ${ef}`);
    });
  }

  it('maxPool and avgPool: values and gradients (same padding, 3x3 windows, stride 2)', () => {
    const x = rand([1, 5, 5, 2], 6);
    const mp = maxPool(x, 3, 2, 'same'), ap = avgPool(x, 3, 2, 'same');
    assert.deepEqual(mp.shape, [1, 3, 3, 2]);
    // top-left output, channel 0: the padded window covers rows 0-1, cols 0-1 (TensorFlow pads 1 before)
    const cells = [0, 1].flatMap((r) => [0, 1].map((c) => x.data[(r * 5 + c) * 2]!));
    assert.equal(mp.data[0], Math.max(...cells));
    assert.ok(Math.abs(ap.data[0]! - cells.reduce((a, b) => a + b, 0) / 4) < 1e-15);
    for (const op of [maxPool, avgPool]) {
      const w = rand([1, 3, 3, 2], 7), loss = (t: Tensor) => op(t, 3, 2, 'same').mul(w).sum();
      assert.ok(fdError(() => loss(x).dataSync()[0]!, x, grad(loss)(x)) < 1e-8);
    }
  });

  it('a second derivative through them is refused, pointing to the ops', () => {
    const x = rand([1, 4, 4, 1], 8), f = rand([2, 2, 1, 1], 9);
    assert.throws(() => grad((t) => grad((u) => conv2d(u, f).square().sum())(t).sum())(x), /second derivative through conv2d is not supported.*ops/);
    assert.throws(() => grad((t) => grad((u) => maxPool(u, 2).square().sum())(t).sum())(x), /second derivative through maxPool/);
  });
});
