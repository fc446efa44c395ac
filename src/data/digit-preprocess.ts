/**
 * Turning a picture of a handwritten digit into an MNIST input, the way MNIST itself was made
 * (LeCun, Cortes & Burges, "The MNIST database": "The original black and white images from NIST
 * were size normalized to fit in a 20x20 pixel box while preserving their aspect ratio. The
 * resulting images contain grey levels as a result of the anti-aliasing technique used by the
 * normalization algorithm. The images were centered in a 28x28 image by computing the center of
 * mass of the pixels, and translating the image so as to position this point at the center of
 * the 28x28 field.").
 *
 * The steps, each a pure function over a grayscale image (no Node.js, no DOM, so the browser
 * playground reuses them on a canvas's ImageData):
 *
 * 1. {@link toGray}: RGBA / RGB / gray(+alpha) bytes to luminance in [0, 1] (0 black, 1 white);
 *    transparent pixels are composited over white, as a drawing on a transparent canvas looks.
 * 2. {@link toInk}: ink in [0, 1] with MNIST's polarity (1 = stroke, 0 = background). The
 *    background level is the median of the border pixels; a light background (median > 0.5) is
 *    inverted. Ink is then stretched so the background is 0 and the darkest stroke 1.
 * 3. {@link inkBoundingBox}: the smallest box holding every pixel with ink > `threshold`.
 * 4. {@link resizeArea}: the box scaled so its longer side is 20 pixels (aspect ratio kept) by
 *    area averaging, which anti-aliases the edges as NIST's normalisation did.
 * 5. {@link centreByMass}: placed in a 28x28 field so its centre of mass
 *    (sum of ink * row / sum of ink, sum of ink * column / sum of ink, 0-based pixel indices)
 *    lands on pixel (14, 14), rounded to whole pixels and kept inside the field.
 *
 * {@link mnistDigitFromGray} runs 2-5; {@link mnistDigitFromPixels} runs 1-5.
 *
 * Browser-safe: imports nothing. `nabla predict` / `nabla visualize` read a PNG file and call
 * these (src/cli/digit-image.ts); the playground calls them on a canvas's pixels.
 */

/** A grayscale image: `data[y * width + x]`, values in [0, 1]. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** A box of pixels: columns [x, x + width), rows [y, y + height). */
export interface PixelBox { x: number; y: number; width: number; height: number }

/** An image that cannot be read as a digit: empty, too faint, or malformed. */
export class DigitImageError extends Error {
  override name = 'DigitImageError';
}

/** What {@link mnistDigitFromGray} made and why. */
export interface MnistDigit {
  /** 28 x 28 = 784 values in [0, 1], row-major, 1 = ink: a model input of shape [1, 28, 28, 1] or [1, 784]. */
  pixels: Float32Array;
  /** Whether the image was inverted (its background was light). */
  inverted: boolean;
  /** The ink's bounding box in the input image. */
  box: PixelBox;
  /** Size of the digit after scaling (the longer side is `boxSize`). */
  scaledWidth: number;
  scaledHeight: number;
  /** The centre of mass of `pixels`, [row, column]. */
  centreOfMass: [number, number];
}

/** Options of {@link mnistDigitFromGray}. */
export interface MnistDigitOptions {
  /** Side of the output field. Default 28. */
  size?: number;
  /** The longer side of the digit after scaling. Default 20. */
  boxSize?: number;
  /** Ink above which a pixel belongs to the digit's bounding box. Default 0.1. */
  threshold?: number;
  /** Smallest contrast (ink of the darkest stroke minus background) that counts as a digit. Default 0.2. */
  minContrast?: number;
}

function checkGray(img: GrayImage, where: string): void {
  if (!img || !Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1)
    throw new DigitImageError(`${where}: expected an image with a positive integer width and height`);
  if (!(img.data instanceof Float32Array) || img.data.length !== img.width * img.height)
    throw new DigitImageError(`${where}: expected ${img.width} x ${img.height} = ${img.width * img.height} gray values, got ${img.data?.length}`);
}

/**
 * Luminance in [0, 1] from 8-bit pixels with 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)
 * channels: Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's convert('L')), composited
 * over white by alpha.
 * @param bytes interleaved channels, row-major (e.g. a canvas's ImageData.data, channels 4).
 * @throws DigitImageError for another channel count or a length that is not width * height * channels.
 */
export function toGray(bytes: ArrayLike<number>, width: number, height: number, channels: number): GrayImage {
  if (![1, 2, 3, 4].includes(channels))
    throw new DigitImageError(`expected 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new DigitImageError(`expected a positive width and height, got ${width} x ${height}`);
  if (bytes.length !== width * height * channels)
    throw new DigitImageError(`expected ${width} x ${height} x ${channels} = ${width * height * channels} bytes, got ${bytes.length}`);
  const n = width * height, data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    let y: number, a = 1;
    if (channels <= 2) y = bytes[o]! / 255;
    else y = (0.299 * bytes[o]! + 0.587 * bytes[o + 1]! + 0.114 * bytes[o + 2]!) / 255;
    if (channels === 2) a = bytes[o + 1]! / 255;
    else if (channels === 4) a = bytes[o + 3]! / 255;
    data[i] = a * y + (1 - a);
  }
  return { width, height, data };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Ink with MNIST's polarity (step 2): 1 where the pen was, 0 on the background.
 * @returns the ink image and whether the input was inverted (light background).
 * @throws DigitImageError when the image has no contrast (blank: nothing differs from the
 *   background by at least `minContrast`).
 */
export function toInk(img: GrayImage, minContrast = 0.2): { ink: GrayImage; inverted: boolean } {
  checkGray(img, 'toInk');
  const { width: w, height: h, data } = img;
  const border: number[] = [];
  for (let x = 0; x < w; x++) { border.push(data[x]!); if (h > 1) border.push(data[(h - 1) * w + x]!); }
  for (let y = 1; y < h - 1; y++) { border.push(data[y * w]!); if (w > 1) border.push(data[y * w + w - 1]!); }
  const background = median(border), inverted = background > 0.5;
  const out = new Float32Array(w * h);
  const bg = inverted ? 1 - background : background;
  let peak = 0;
  for (let i = 0; i < out.length; i++) { const v = inverted ? 1 - data[i]! : data[i]!; out[i] = v; if (v > peak) peak = v; }
  if (peak - bg < minContrast)
    throw new DigitImageError(`the image is empty: no stroke differs from the ${inverted ? 'light' : 'dark'} background (contrast ${(peak - bg).toFixed(3)} < ${minContrast}); draw a digit ${inverted ? 'in a dark colour on the light' : 'in a light colour on the dark'} background`);
  const range = peak - bg;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, (out[i]! - bg) / range));
  return { ink: { width: w, height: h, data: out }, inverted };
}

/**
 * The smallest box holding every pixel with value > threshold (step 3).
 * @throws DigitImageError when no pixel exceeds the threshold.
 */
export function inkBoundingBox(ink: GrayImage, threshold = 0.1): PixelBox {
  checkGray(ink, 'inkBoundingBox');
  let x0 = ink.width, y0 = ink.height, x1 = -1, y1 = -1;
  for (let y = 0; y < ink.height; y++)
    for (let x = 0; x < ink.width; x++)
      if (ink.data[y * ink.width + x]! > threshold) {
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
  if (x1 < 0) throw new DigitImageError(`the image is empty: no pixel has ink above ${threshold}`);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The pixels of `box` as a new image. @throws DigitImageError when the box leaves the image. */
export function crop(img: GrayImage, box: PixelBox): GrayImage {
  checkGray(img, 'crop');
  if (box.x < 0 || box.y < 0 || box.width < 1 || box.height < 1 || box.x + box.width > img.width || box.y + box.height > img.height)
    throw new DigitImageError(`crop: box ${JSON.stringify(box)} is not inside the ${img.width} x ${img.height} image`);
  const out = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) out.set(img.data.subarray((box.y + y) * img.width + box.x, (box.y + y) * img.width + box.x + box.width), y * box.width);
  return { width: box.width, height: box.height, data: out };
}

/** Weights of source cells covering each destination cell along one axis (exact area overlap). */
function axisWeights(src: number, dst: number): { start: number; weights: number[] }[] {
  const scale = src / dst, out: { start: number; weights: number[] }[] = [];
  for (let d = 0; d < dst; d++) {
    const a = d * scale, b = (d + 1) * scale, start = Math.floor(a), weights: number[] = [];
    for (let s = start; s < Math.min(src, Math.ceil(b)); s++) weights.push((Math.min(b, s + 1) - Math.max(a, s)) / scale);
    out.push({ start, weights });
  }
  return out;
}

/**
 * Resamples to width x height by area averaging (step 4): each output pixel is the mean of the
 * input over the rectangle it covers, so shrinking anti-aliases and enlarging keeps edges
 * proportionate. Separable: rows first, then columns.
 * @throws DigitImageError for a non-positive size.
 */
export function resizeArea(img: GrayImage, width: number, height: number): GrayImage {
  checkGray(img, 'resizeArea');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new DigitImageError(`resizeArea: expected a positive integer size, got ${width} x ${height}`);
  const wx = axisWeights(img.width, width), wy = axisWeights(img.height, height);
  const tmp = new Float32Array(width * img.height);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < width; x++) {
      const { start, weights } = wx[x]!;
      let s = 0;
      for (let k = 0; k < weights.length; k++) s += weights[k]! * img.data[y * img.width + start + k]!;
      tmp[y * width + x] = s;
    }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const { start, weights } = wy[y]!;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = 0; k < weights.length; k++) s += weights[k]! * tmp[(start + k) * width + x]!;
      out[y * width + x] = Math.min(1, Math.max(0, s));
    }
  }
  return { width, height, data: out };
}

/**
 * The centre of mass of an image's values: [row, column], 0-based pixel indices.
 * @throws DigitImageError when every value is 0.
 */
export function centreOfMass(img: GrayImage): [number, number] {
  let m = 0, r = 0, c = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x]!;
      m += v; r += v * y; c += v * x;
    }
  if (m <= 0) throw new DigitImageError('the image is empty: it has no ink');
  return [r / m, c / m];
}

/**
 * Pastes `img` into a size x size field so its centre of mass lands on pixel (size/2, size/2),
 * shifted by whole pixels and clamped so the digit stays inside the field (step 5).
 * @throws DigitImageError when the image is larger than the field or empty.
 */
export function centreByMass(img: GrayImage, size = 28): GrayImage {
  checkGray(img, 'centreByMass');
  if (img.width > size || img.height > size) throw new DigitImageError(`centreByMass: a ${img.width} x ${img.height} image does not fit a ${size} x ${size} field`);
  const [r, c] = centreOfMass(img), target = size / 2;
  const top = Math.min(size - img.height, Math.max(0, Math.round(target - r)));
  const left = Math.min(size - img.width, Math.max(0, Math.round(target - c)));
  const out = new Float32Array(size * size);
  for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), (top + y) * size + left);
  return { width: size, height: size, data: out };
}

/**
 * Steps 2-5: a grayscale picture of one digit (any size, either polarity) to MNIST's 28x28 input.
 * @throws DigitImageError for an empty (blank or uniform) image.
 */
export function mnistDigitFromGray(img: GrayImage, options: MnistDigitOptions = {}): MnistDigit {
  const { size = 28, boxSize = 20, threshold = 0.1, minContrast = 0.2 } = options;
  if (!Number.isInteger(size) || !Number.isInteger(boxSize) || boxSize < 1 || boxSize > size)
    throw new DigitImageError(`mnistDigitFromGray: expected integers 1 <= boxSize <= size, got boxSize ${boxSize}, size ${size}`);
  const { ink, inverted } = toInk(img, minContrast);
  const box = inkBoundingBox(ink, threshold);
  const digit = crop(ink, box);
  const scale = boxSize / Math.max(box.width, box.height);
  const scaledWidth = Math.max(1, Math.min(boxSize, Math.round(box.width * scale)));
  const scaledHeight = Math.max(1, Math.min(boxSize, Math.round(box.height * scale)));
  const field = centreByMass(resizeArea(digit, scaledWidth, scaledHeight), size);
  return { pixels: field.data, inverted, box, scaledWidth, scaledHeight, centreOfMass: centreOfMass(field) };
}

/**
 * Steps 1-5: 8-bit pixels (1-4 channels, e.g. a decoded PNG or a canvas's RGBA ImageData) to
 * MNIST's 28x28 input.
 * @throws DigitImageError for a wrong channel count or length, or an empty image.
 */
export function mnistDigitFromPixels(bytes: ArrayLike<number>, width: number, height: number, channels: number, options: MnistDigitOptions = {}): MnistDigit {
  return mnistDigitFromGray(toGray(bytes, width, height, channels), options);
}
