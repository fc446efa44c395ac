// nabla visualize: filter, input and feature-map grids of a CNN, weight images of an MLP, and its
// errors. The models are built and saved here (no training needed to check the pictures).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { embeddedPath } from '../../src/data/files.js';
import { readIdx } from '../../src/data/idx.js';
import { AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D, Sequential } from '../../src/index.js';
import { lines, nabla, tmp, writePng } from './helpers.js';

const GAP = 2;
const GAP_RGB = [40, 70, 110];

/** The grid maths of src/cli/visualize/grid.ts, written out again. */
function gridSize(n: number, h: number, w: number, scale: number, cols = Math.ceil(Math.sqrt(n))): { width: number; height: number; cols: number } {
  cols = Math.min(cols, n);
  const rows = Math.ceil(n / cols);
  return { width: cols * w * scale + (cols + 1) * GAP, height: rows * h * scale + (rows + 1) * GAP, cols };
}

function readPicture(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** The gray level of value (r, c) of tile t (the centre of its upscaled block). */
function tilePixel(png: PNG, t: number, r: number, c: number, h: number, w: number, scale: number, cols: number): number {
  const x = GAP + (t % cols) * (w * scale + GAP) + c * scale + Math.floor(scale / 2);
  const y = GAP + Math.floor(t / cols) * (h * scale + GAP) + r * scale + Math.floor(scale / 2);
  const o = (y * png.width + x) * 4;
  assert.equal(png.data[o], png.data[o + 1], 'gray: R = G');
  assert.equal(png.data[o], png.data[o + 2], 'gray: R = B');
  return png.data[o]!;
}

/** Each value scaled to the tile's own min (0) and max (255). */
function levels(values: number[]): number[] {
  const lo = Math.min(...values), hi = Math.max(...values);
  return values.map((v) => (hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 0));
}

async function savedCnn(dir: string): Promise<Sequential> {
  const model = new Sequential([
    new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), // 26x26x4
    new AveragePooling2D({ poolSize: 2 }),                                                  // 13x13x4
    new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),         // 13x13x3
    new MaxPooling2D({ poolSize: 2 }),                                                      // 6x6x3
    new Flatten(),
    new Dense({ units: 10, activation: 'softmax' }),
  ], { seed: 7 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.build([28, 28, 1]);
  await model.save(dir);
  return model;
}

describe('nabla visualize', () => {
  const root = tmp('nabla-visualize-');

  it('draws a CNN: filters, the first MNIST test image and the feature maps after each Conv2D / pooling layer', async () => {
    const dir = join(root, 'cnn');
    const model = await savedCnn(dir);
    const r = await nabla(['visualize', dir]);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'visualize');
    const files = ['filters-conv2d_1.png', 'input.png', 'features-1-conv2d_1.png', 'features-2-average_pooling2d_1.png',
      'features-3-conv2d_2.png', 'features-4-max_pooling2d_1.png'];
    assert.deepEqual(readdirSync(out).sort(), [...files].sort());
    for (const f of files) assert.ok(r.stdout.includes(join(out, f)), `prints ${f}`);
    assert.match(r.stdout, /Input: the first mnist test image \(label 7\)/);

    const expect: [string, number, number, number, number][] = [ // file, tiles, h, w, scale
      ['filters-conv2d_1.png', 4, 3, 3, 8], ['input.png', 1, 28, 28, 4], ['features-1-conv2d_1.png', 4, 26, 26, 4],
      ['features-2-average_pooling2d_1.png', 4, 13, 13, 8], ['features-3-conv2d_2.png', 3, 13, 13, 8], ['features-4-max_pooling2d_1.png', 3, 6, 6, 18],
    ];
    for (const [f, n, h, w, s] of expect) {
      const png = readPicture(join(out, f)), want = gridSize(n, h, w, s);
      assert.deepEqual([png.width, png.height], [want.width, want.height], f);
      assert.deepEqual([...png.data.subarray(0, 3)], GAP_RGB, `${f}: the border is the gap colour`);
    }

    // The filters: each tile is its filter's weights scaled to their own min / max, not a constant.
    const kernel = model.getWeights()[0]!; // [3, 3, 1, 4]
    const filters = readPicture(join(out, 'filters-conv2d_1.png'));
    for (let f = 0; f < 4; f++) {
      const weights = Array.from({ length: 9 }, (_, p) => kernel.data[p * 4 + f]!);
      const drawn = Array.from({ length: 9 }, (_, p) => tilePixel(filters, f, Math.floor(p / 3), p % 3, 3, 3, 8, 2));
      assert.deepEqual(drawn, levels(weights), `filter ${f}`);
      assert.ok(new Set(drawn).size > 2, 'a filter tile is not constant');
    }

    // The input is MNIST's first test image; the first feature map is relu(x * W + b) of it.
    const image = Array.from(readIdx(embeddedPath('mnist', 't10k-images-idx3-ubyte.gz')).data.subarray(0, 784), (v) => Number(v) / 255);
    const input = readPicture(join(out, 'input.png'));
    assert.deepEqual(Array.from({ length: 784 }, (_, p) => tilePixel(input, 0, Math.floor(p / 28), p % 28, 28, 28, 4, 1)), levels(image));
    const maps = readPicture(join(out, 'features-1-conv2d_1.png'));
    for (const f of [0, 3]) {
      const conv: number[] = [];
      for (let y = 0; y < 26; y++)
        for (let x = 0; x < 26; x++) {
          let z = 0; // the bias starts at zero
          for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) z += image[(y + i) * 28 + x + j]! * kernel.data[(i * 3 + j) * 4 + f]!;
          conv.push(Math.max(0, z));
        }
      const drawn = Array.from({ length: 676 }, (_, p) => tilePixel(maps, f, Math.floor(p / 26), p % 26, 26, 26, 4, 2));
      const want = levels(conv);
      const worst = Math.max(...drawn.map((d, i) => Math.abs(d - want[i]!)));
      assert.ok(worst <= 1, `feature map ${f}: off by ${worst} gray levels`);
    }
  });

  it('reads --input like nabla predict and writes into --out', async () => {
    const dir = join(root, 'cnn-input');
    await savedCnn(dir);
    const png = join(root, 'one.png'), out = join(root, 'pictures');
    writePng(png, 60, 80, (x, y) => x >= 27 && x <= 33 && y >= 10 && y <= 70); // a dark "1" on white
    const r = await nabla(['visualize', dir, '--input', png, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`Input: ${png}`), r.stdout);
    assert.equal(readdirSync(out).length, 6);
    const input = readPicture(join(out, 'input.png'));
    assert.equal(tilePixel(input, 0, 14, 14, 28, 28, 4, 1), 255, 'the stroke, centred and inverted, is white');
    assert.equal(tilePixel(input, 0, 2, 2, 28, 28, 4, 1), 0, 'the background is black');
  });

  it("draws an MLP's first Dense layer: the weights into each unit as a 28x28 image", async () => {
    const dir = join(root, 'mlp');
    const model = new Sequential([new Flatten({ inputShape: [28, 28, 1] }), new Dense({ units: 5, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })], { seed: 3 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    model.build([28, 28, 1]);
    await model.save(dir);
    const r = await nabla(['visualize', dir]);
    assert.equal(r.code, 0, r.stderr);
    const path = join(dir, 'visualize', 'weights-dense_1.png');
    assert.ok(r.stdout.includes(path), r.stdout);
    const png = readPicture(path), want = gridSize(5, 28, 28, 3);
    assert.deepEqual([png.width, png.height], [want.width, want.height]);
    const kernel = model.getWeights()[0]!; // [784, 5]
    for (const u of [0, 4]) {
      const weights = Array.from({ length: 784 }, (_, i) => kernel.data[i * 5 + u]!);
      const drawn = Array.from({ length: 784 }, (_, p) => tilePixel(png, u, Math.floor(p / 28), p % 28, 28, 28, 3, want.cols));
      assert.deepEqual(drawn, levels(weights), `unit ${u}`);
    }
  });

  it('refuses what it cannot draw with one line: exit 1 for files, 2 for options', async () => {
    const table = join(root, 'table');
    const m = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [4] })]);
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    m.build([4]);
    await m.save(table);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const blank = join(root, 'blank.png');
    writePng(blank, 20, 20, () => false);
    const cnn = join(root, 'cnn'); // saved by the first test
    const cases: [string[], number, RegExp][] = [
      [['visualize', table], 1, /nothing to draw: the model has no Conv2D layer and the inputs of its first Dense layer \(dense_1\) are not an image/],
      [['visualize', empty], 1, /holds no saved model/],
      [['visualize', join(root, 'missing')], 1, /missing: no such directory/],
      [['visualize', cnn, '--input', join(root, 'nope.png')], 1, /nope\.png: file not found/],
      [['visualize', cnn, '--input', blank], 1, /blank\.png: .*/],
      [['visualize', cnn, '--input', 'digit.jpg'], 2, /option '--input': expected a \.png image/],
      [['visualize', cnn, '--out', join(cnn, 'model.json')], 2, /option '--out': .* is not a directory/],
      [['visualize'], 2, /missing required argument 'model-dir'/],
    ];
    const results = await Promise.all(cases.map(([args]) => nabla(args)));
    results.forEach((r, i) => {
      const [args, code, pattern] = cases[i]!;
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  });
});
