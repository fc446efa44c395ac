// Conv2D: forward against a direct convolution written from the definition, forward and gradients
// against PyTorch 1.13 fixtures, backprop against finite differences (gradCheck), the im2col /
// col2im pair, chunked large batches, errors, summary and config round trips.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Conv2D, Dense, Flatten, gradCheck, jsBackend, layerFromConfig, Rng, Sequential, Tensor, type ActivationName, type DType,
} from '../../src/index.js';
import { buildWith, data, fixtures, labels, near, t, TOLERANCE } from './conv-helpers.js';

/** TensorFlow's 'same' total padding along one axis, as docs/design.md writes it. */
const samePad = (size: number, k: number, s: number) => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);

/**
 * z[n, oh, ow, f] = b[f] + sum_{i,j,c} xp[n, oh sH + i, ow sW + j, c] W[i, j, c, f], with xp the input
 * explicitly zero-padded (floor(pad / 2) before, the rest after): the definition, as nested loops.
 */
function directConv(x: Tensor, w: Float64Array, b: Float64Array | null, f: number, [kh, kw]: number[], [sh, sw]: number[], padding: 'valid' | 'same'): { y: number[]; shape: number[] } {
  const [n, H, W, C] = x.shape as [number, number, number, number];
  const pH = padding === 'same' ? samePad(H, kh!, sh!) : 0, pW = padding === 'same' ? samePad(W, kw!, sw!) : 0;
  const HP = H + pH, WP = W + pW, top = Math.floor(pH / 2), left = Math.floor(pW / 2);
  const xp = new Float64Array(n * HP * WP * C);
  for (let a = 0; a < n; a++) for (let h = 0; h < H; h++) for (let v = 0; v < W; v++) for (let c = 0; c < C; c++)
    xp[((a * HP + h + top) * WP + v + left) * C + c] = x.data[((a * H + h) * W + v) * C + c]!;
  const OH = Math.floor((HP - kh!) / sh!) + 1, OW = Math.floor((WP - kw!) / sw!) + 1;
  const y: number[] = [];
  for (let a = 0; a < n; a++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let q = 0; q < f; q++) {
    let s = b ? b[q]! : 0;
    for (let i = 0; i < kh!; i++) for (let j = 0; j < kw!; j++) for (let c = 0; c < C; c++)
      s += xp[((a * HP + oh * sh! + i) * WP + ow * sw! + j) * C + c]! * w[((i * kw! + j) * C + c) * f + q]!;
    y.push(s);
  }
  return { y, shape: [n, OH, OW, f] };
}

describe('Conv2D forward equals a direct convolution from the definition', () => {
  const cases: { shape: number[]; f: number; k: number[]; s: number[]; padding: 'valid' | 'same'; bias: boolean }[] = [
    { shape: [2, 7, 5, 3], f: 4, k: [3, 3], s: [1, 1], padding: 'valid', bias: true },
    { shape: [2, 7, 5, 3], f: 4, k: [3, 3], s: [1, 1], padding: 'same', bias: true },
    { shape: [3, 9, 7, 1], f: 2, k: [3, 3], s: [2, 2], padding: 'valid', bias: false },
    { shape: [3, 9, 7, 1], f: 2, k: [3, 3], s: [2, 2], padding: 'same', bias: true },
    { shape: [1, 8, 11, 2], f: 3, k: [4, 2], s: [2, 3], padding: 'same', bias: true },
    { shape: [2, 5, 5, 3], f: 1, k: [5, 5], s: [2, 2], padding: 'same', bias: true },
    { shape: [2, 5, 6, 2], f: 5, k: [1, 1], s: [1, 1], padding: 'valid', bias: true },
    { shape: [1, 11, 13, 3], f: 2, k: [5, 3], s: [2, 1], padding: 'valid', bias: true },
  ];
  cases.forEach((c, idx) => {
    it(`input ${JSON.stringify(c.shape)}, ${c.f} filters ${c.k.join('x')} strides ${c.s.join('x')} '${c.padding}' bias ${c.bias}`, () => {
      const rng = new Rng(100 + idx), x = data(rng, c.shape);
      const layer = new Conv2D({ filters: c.f, kernelSize: c.k as [number, number], strides: c.s as [number, number], padding: c.padding, useBias: c.bias, biasInitializer: 'ones', dtype: 'float64' });
      layer.build(c.shape);
      const [w, b] = layer.params().map((p) => p.value.data as Float64Array);
      if (b) for (let i = 0; i < b.length; i++) b[i] = rng.normal();
      const want = directConv(x, w!, b ?? null, c.f, c.k, c.s, c.padding);
      const y = layer.forward(x, false);
      assert.deepEqual(y.shape, want.shape);
      assert.deepEqual(layer.computeOutputShape(c.shape), want.shape);
      near(y.data, want.y, 1e-13, 'y');
    });
  });
});

describe('Conv2D against PyTorch 1.13 (scripts/fixtures/conv_fixtures.py)', () => {
  for (const dtype of ['float64', 'float32'] as DType[])
    for (const c of fixtures.conv)
      it(`${c.name}, ${dtype}: output, input gradient, kernel and bias gradients`, () => {
        const layer = buildWith(new Conv2D({ filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, useBias: c.useBias, dtype }),
          c.xShape, [c.kernel, c.useBias ? c.bias : null]);
        const tol = TOLERANCE[dtype];
        const y = layer.forward(t(c.x, c.xShape, dtype), true);
        assert.deepEqual(y.shape, c.yShape);
        near(y.data, c.y, tol, 'y');
        const dx = layer.backward(t(c.g, c.yShape, dtype), true)!;
        near(dx.data, c.dx, tol, 'dx');
        const [dK, dB] = layer.params().map((p) => p.grad.data);
        near(dK!, c.dKernel, tol, 'dKernel');
        if (c.useBias) near(dB!, c.dBias!, tol, 'dBias'); else assert.equal(layer.params().length, 1);
      });
});

describe('Conv2D gradCheck (float64) below 1e-6: Conv2D -> Flatten -> Dense softmax, sparse cross-entropy', () => {
  let seed = 0, worst = 0, worstAt = '';
  for (const padding of ['valid', 'same'] as const)
    for (const stride of [1, 2])
      for (const kernel of [2, 3])
        for (const cin of [1, 3])
          for (const useBias of [true, false]) {
            const s = ++seed;
            it(`'${padding}', stride ${stride}, kernel ${kernel}x${kernel}, ${cin} input channels, bias ${useBias}`, () => {
              // Data seeds from 400: with seeds from 300 one of 2,800 entries had a true gradient of 8.5e-7, where the central
              // difference's roundoff (about 1e-16 C / epsilon, here 1.6e-12 absolute) alone is a 9e-7 relative error.
              const rng = new Rng(400 + s);
              const model = new Sequential([
                new Conv2D({ filters: 2, kernelSize: kernel, strides: stride, padding, useBias, activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: [5, 6, cin] }),
                new Flatten(),
                new Dense({ units: 3, activation: 'softmax' }),
              ], { seed: s });
              model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
              const r = gradCheck(model, data(rng, [3, 5, 6, cin]), labels(rng, 3, 3));
              if (r.maxRelativeError > worst) { worst = r.maxRelativeError; worstAt = `case ${s} ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`; }
              assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
              assert.ok(r.perParam['conv2d_1/kernel']! < 1e-6);
              assert.equal('conv2d_1/bias' in r.perParam, useBias);
            });
          }
  it('(worst error over the matrix, for the record)', () => { assert.ok(worst < 1e-6); console.log(`# Conv2D gradCheck worst relative error ${worst.toExponential(2)} (${worstAt})`); });

  const heads: { act: ActivationName; loss: 'binaryCrossentropy' | 'meanSquaredError' }[] = [{ act: 'sigmoid', loss: 'binaryCrossentropy' }, { act: 'tanh', loss: 'meanSquaredError' }];
  for (const { act, loss } of heads)
    it(`Conv2D as the output layer with ${act} + ${loss} (the fused pair skips the activation's derivative) and relu inside`, () => {
      const rng = new Rng(77);
      const model = new Sequential([
        new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [4, 4, 2] }),
        new Conv2D({ filters: 2, kernelSize: 4, activation: act }),
      ], { seed: 5 });
      model.compile({ optimizer: 'sgd', loss });
      assert.equal(model.layers[1]!.outputActivation, act);
      const y = new Tensor(Float64Array.from({ length: 4 * 2 }, () => rng.uniform()), [4, 1, 1, 2]);
      const r = gradCheck(model, data(rng, [4, 4, 4, 2]), y);
      assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
    });
});

describe('im2col and col2im', () => {
  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>, padded and strided', () => {
    const rng = new Rng(9);
    const g = { batch: 2, height: 5, width: 4, channels: 3, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, padTop: 1, padLeft: 0, outH: 3, outW: 4 };
    const x = data(rng, [2, 5, 4, 3]).data, rowsLen = g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels;
    const col = new Float64Array(rowsLen).fill(Number.NaN), c = data(rng, [rowsLen]).data, back = new Float64Array(x.length).fill(Number.NaN);
    jsBackend.im2col(x, g, col);
    jsBackend.col2im(c, g, back);
    let lhs = 0, rhs = 0;
    for (let i = 0; i < rowsLen; i++) lhs += col[i]! * c[i]!;
    for (let i = 0; i < x.length; i++) rhs += x[i]! * back[i]!;
    assert.ok(Math.abs(lhs - rhs) < 1e-12, `${lhs} vs ${rhs}`);
    assert.ok(col.every(Number.isFinite) && back.every(Number.isFinite), 'both outputs overwritten');
    // Output cell (0, 0) of image 0 starts in the padding row: its first kernelW * channels entries are 0.
    assert.deepEqual(Array.from(col.subarray(0, 6)), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(col.subarray(6, 12)), Array.from(x.subarray(0, 6)));
  });
});

describe('Conv2D on a batch larger than one im2col chunk', () => {
  it('forward and gradients equal those of the two halves run separately', () => {
    // 28x28x1, 5x5 'same': 19,600 col numbers per sample, so 214 samples per chunk of 2^22.
    const rng = new Rng(4), n = 230, x = data(rng, [n, 28, 28, 1]), g = data(rng, [n, 28, 28, 2]);
    const make = () => { const l = new Conv2D({ filters: 2, kernelSize: 5, padding: 'same', dtype: 'float64', name: 'c' }); l.seed = 1; l.build([1, 28, 28, 1]); return l; };
    const whole = make();
    const y = whole.forward(x, true).data.slice();
    const dx = whole.backward(g, true)!.data.slice();
    const [dK, dB] = whole.params().map((p) => p.grad.data.slice());
    const part = make(), per = 28 * 28, sumK = new Float64Array(dK!.length), sumB = new Float64Array(2);
    for (const [a, b] of [[0, 115], [115, n]] as const) {
      const yp = part.forward(new Tensor(x.data.slice(a * per, b * per), [b - a, 28, 28, 1]), true);
      near(y.subarray(a * per * 2, b * per * 2), yp.data, 1e-14, `y[${a}:${b}]`);
      const dxp = part.backward(new Tensor(g.data.slice(a * per * 2, b * per * 2), [b - a, 28, 28, 2]), true)!;
      near(dx.subarray(a * per, b * per), dxp.data, 1e-14, `dx[${a}:${b}]`);
      part.params().forEach((p, i) => jsBackend.axpy(1, p.grad.data, i === 0 ? sumK : sumB));
    }
    near(dK!, sumK, 1e-12, 'dKernel');
    near(dB!, sumB, 1e-12, 'dBias');
  });
});

describe('Conv2D options, errors, summary and config', () => {
  it('names the layer and the shapes when the kernel is larger than the padded input', () => {
    // Built as it is added (Keras / TF.js): the model refuses the layer at once.
    assert.throws(() => new Sequential([new Conv2D({ filters: 2, kernelSize: 5, inputShape: [3, 8, 1] })]), /Conv2D 'conv2d_1': kernel 5x5 is larger than the padded input 3x8 \(input shape \[null, 3, 8, 1\], padding 'valid', strides 1x1\): output size would be -1x4/);
    // 'same' pads to fit, and a stride larger than the input still gives output size 1.
    assert.deepEqual(new Conv2D({ filters: 1, kernelSize: 5, strides: 4, padding: 'same' }).computeOutputShape([1, 3, 3, 1]), [1, 1, 1, 1]);
    // floor: (7 - 3) / 3 + 1 = 2 (the last row is never covered; not an error).
    assert.deepEqual(new Conv2D({ filters: 1, kernelSize: 3, strides: 3 }).computeOutputShape([1, 7, 7, 2]), [1, 2, 2, 1]);
  });

  it('refuses input that is not rank 4, and channels that do not match the kernel, naming the layer and shapes', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3, name: 'c1' });
    assert.throws(() => layer.forward(t(new Array(16).fill(0.5), [2, 8], 'float32'), false), /Conv2D 'c1': expected input of rank 4 \[batch, height, width, channels\] \(NHWC\), got shape \[2, 8\]/);
    layer.forward(t(new Array(2 * 5 * 5).fill(0.5), [2, 5, 5, 1], 'float32'), false);
    assert.throws(() => layer.forward(t(new Array(5 * 5 * 3).fill(0.5), [1, 5, 5, 3], 'float32'), false), /Conv2D 'c1': input has 3 channels \(shape \[1, 5, 5, 3\]\) but the kernel \[3, 3, 1, 2\] expects 1/);
    const m = new Sequential([new Conv2D({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] })]);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    assert.throws(() => m.predict(t(new Array(25).fill(0), [1, 25])), /Conv2D .conv2d_1.: expected input shape \[null, 5, 5, 1\], got \[1, 25\]/);
  });

  it('validates its options by name', () => {
    assert.throws(() => new Conv2D({ filters: 0, kernelSize: 3 }), /Conv2D: filters must be a positive integer, got 0/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: [3, 0] as [number, number] }), /Conv2D: kernelSize\[1\] must be a positive integer, got 0/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: [3, 3, 3] as unknown as number }), /Conv2D: kernelSize must be a positive integer or \[height, width\]/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 1.5 }), /Conv2D: strides must be a positive integer, got 1.5/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /Conv2D: padding must be 'valid' or 'same', got "full"/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, activation: 'mish' as 'relu' }), /Conv2D: unknown activation "mish"/);
    assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2 } as never), /Conv2D: unknown option 'dilationRate'/);
  });

  it("summary shows a LeNet conv's output shape and parameters: 5x5x6 'same' on [28, 28, 1] -> (None, 28, 28, 6), 156", () => {
    const m = new Sequential([
      new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      new Conv2D({ filters: 16, kernelSize: 5, strides: 2, useBias: false }),
    ]);
    const s = m.summary();
    assert.match(s, /conv2d_1 \(Conv2D\) +\(None, 28, 28, 6\) +156\n/);
    assert.match(s, /conv2d_2 \(Conv2D\) +\(None, 12, 12, 16\) +2,400\n/); // floor((28 - 5) / 2) + 1 = 12; 5*5*6*16, no bias
    assert.match(s, /Total params: 2,556/);
    assert.deepEqual(m.getWeights().map((w) => w.shape), [[5, 5, 1, 6], [6], [5, 5, 6, 16]]);
  });

  it('getConfig round-trips through the registry and the rebuilt model computes the same outputs', () => {
    const layer = new Conv2D({ filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'tanh', useBias: false, kernelInitializer: 'heNormal', inputShape: [6, 5, 2], name: 'conv' });
    const config = layer.getConfig();
    assert.deepEqual(config, { className: 'Conv2D', name: 'conv', inputShape: [6, 5, 2], filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'tanh', useBias: false, kernelInitializer: { className: 'heNormal' }, biasInitializer: { className: 'constant', value: 0 } });
    assert.deepEqual(layerFromConfig(config).getConfig(), config);
    const m = new Sequential([layer, new Flatten(), new Dense({ units: 2 })], { seed: 3 });
    const x = data(new Rng(1), [2, 6, 5, 2]).cast('float32');
    m.build();
    const copy = Sequential.fromConfig(m.getConfig());
    copy.setWeights(m.getWeights());
    assert.deepEqual(Array.from(copy.predict(x).data), Array.from(m.predict(x).data));
  });

  it("initialises the kernel with glorotUniform over fanIn = kh kw cin, fanOut = kh kw filters", () => {
    const l = new Conv2D({ filters: 8, kernelSize: 3 });
    l.build([1, 6, 6, 4]);
    const limit = Math.sqrt(6 / (3 * 3 * 4 + 3 * 3 * 8)), w = l.params()[0]!.value.data;
    assert.ok(w.every((v) => Math.abs(v) <= limit));
    assert.ok(Math.max(...w.map(Math.abs)) > 0.9 * limit);
  });
});
