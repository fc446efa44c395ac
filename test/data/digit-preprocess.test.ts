// MNIST-style preprocessing of digit images: inversion, crop, 20x20 fit, centre of mass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  centreByMass, centreOfMass, DigitImageError, inkBoundingBox, mnistDigitFromGray, mnistDigitFromPixels, resizeArea, toGray, toInk,
  type GrayImage,
} from '../../src/data/digit-preprocess.js';

/** A w x h gray image (0 black .. 1 white) with `background`, and `value` where draw(x, y). */
function image(w: number, h: number, draw: (x: number, y: number) => boolean, background = 1, value = 0): GrayImage {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = draw(x, y) ? value : background;
  return { width: w, height: h, data };
}

/** Bounding box of values > 0 in a 28x28 result. */
function box(pixels: Float32Array, size = 28) {
  let x0 = size, y0 = size, x1 = -1, y1 = -1;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (pixels[y * size + x]! > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

describe('digit image preprocessing (MNIST style)', () => {
  // A "7"-like shape, dark on white, far from the centre of a 120 x 90 picture.
  const seven = image(120, 90, (x, y) => (y >= 10 && y < 16 && x >= 8 && x < 48) || (x >= 40 && x < 47 && y >= 10 && y < 70 && x - 40 <= (70 - y) / 8 + 3));

  it('inverts a light background, crops, fits 20x20 keeping the aspect ratio, and centres the mass at (14, 14)', () => {
    const d = mnistDigitFromGray(seven);
    assert.equal(d.inverted, true);
    assert.equal(d.pixels.length, 784);
    assert.deepEqual(d.box, { x: 8, y: 10, width: 40, height: 60 });
    assert.equal(d.scaledHeight, 20);                    // the longer side becomes 20
    assert.equal(d.scaledWidth, Math.round(40 * 20 / 60)); // aspect ratio kept: 13
    const b = box(d.pixels);
    assert.ok(b.width <= 20 && b.height <= 20, `bounding box ${b.width}x${b.height} fits 20x20`);
    const [r, c] = centreOfMass({ width: 28, height: 28, data: d.pixels });
    assert.ok(Math.abs(r - 14) <= 1 && Math.abs(c - 14) <= 1, `centre of mass (${r.toFixed(2)}, ${c.toFixed(2)}) within 1 of (14, 14)`);
    assert.deepEqual(d.centreOfMass, [r, c]);
    assert.ok(d.pixels.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.max(...d.pixels) > 0.9, 'strokes are near 1 (MNIST polarity: ink is bright)');
  });

  it('keeps a light digit on a dark background as it is (no inversion) and gives the same result', () => {
    const negative = image(120, 90, (x, y) => seven.data[y * 120 + x]! < 0.5, 0, 1);
    const a = mnistDigitFromGray(seven), b = mnistDigitFromGray(negative);
    assert.equal(b.inverted, false);
    assert.deepEqual(Array.from(b.pixels), Array.from(a.pixels));
  });

  it('reads RGBA pixels, compositing transparency over white (a drawing on a transparent canvas)', () => {
    const w = 40, h = 40, rgba = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4, stroke = x >= 18 && x < 22 && y >= 5 && y < 35;
      rgba.set(stroke ? [0, 0, 255, 255] : [0, 0, 0, 0], o); // blue pen, transparent elsewhere
    }
    const d = mnistDigitFromPixels(rgba, w, h, 4);
    assert.equal(d.inverted, true);
    assert.equal(d.scaledHeight, 20);
    assert.equal(d.scaledWidth, 3); // 4 x 30 scaled by 20/30 -> 2.67 -> 3
    const [r, c] = d.centreOfMass;
    assert.ok(Math.abs(r - 14) <= 1 && Math.abs(c - 14) <= 1);
  });

  it('converts 1-4 channels to luminance with BT.601 weights', () => {
    assert.deepEqual(Array.from(toGray([0, 255], 2, 1, 1).data), [0, 1]);
    assert.ok(Math.abs(toGray([255, 0, 0], 1, 1, 3).data[0]! - 0.299) < 1e-6);
    assert.ok(Math.abs(toGray([0, 0, 0, 0], 1, 1, 4).data[0]! - 1) < 1e-6, 'transparent is white');
    assert.ok(Math.abs(toGray([0, 128], 1, 1, 2).data[0]! - (1 - 128 / 255)) < 1e-6);
  });

  it('refuses a blank or uniform image, a wrong channel count and a wrong length', () => {
    assert.throws(() => mnistDigitFromGray(image(50, 50, () => false)), (e: Error) => e instanceof DigitImageError && /empty/.test(e.message));
    assert.throws(() => mnistDigitFromGray(image(50, 50, () => false, 0.5)), /empty/);
    assert.throws(() => mnistDigitFromGray(image(50, 50, (x, y) => x === 25 && y === 25, 1, 0.95)), /empty/, 'a faint speck is not a digit');
    assert.throws(() => toGray(new Uint8Array(50), 5, 2, 5), /1 \(gray\), 2 \(gray \+ alpha\), 3 \(RGB\) or 4 \(RGBA\) channels, got 5/);
    assert.throws(() => toGray(new Uint8Array(10), 5, 2, 3), /expected 5 x 2 x 3 = 30 bytes, got 10/);
    assert.throws(() => inkBoundingBox(image(3, 3, () => false, 0)), /no pixel has ink/);
  });

  it('resizes by area averaging: total ink scales with the area, values stay in [0, 1]', () => {
    const src = image(30, 30, (x, y) => x < 15 && y < 30, 0, 1); // left half ink
    const out = resizeArea(src, 20, 20);
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum(out.data) / 400 - sum(src.data) / 900) < 1e-6, 'the mean is preserved');
    assert.ok(out.data.every((v) => v >= 0 && v <= 1));
    assert.equal(out.data[0], 1); assert.equal(out.data[19], 0);
  });

  it('centres by mass with whole-pixel shifts, keeping the digit inside the field', () => {
    const dot = image(3, 3, (x, y) => x === 2 && y === 2, 0, 1);
    const field = centreByMass(dot, 28);
    assert.deepEqual(centreOfMass(field), [14, 14]);
    const { ink } = toInk(image(4, 4, (x, y) => x === 1 && y === 1));
    assert.equal(ink.data[5], 1);
  });
});
