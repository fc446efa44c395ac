/**
 * The one image `nabla visualize` feeds through a model: a PNG preprocessed as `nabla predict`
 * does (cli/digit-image.ts), or by default the first test image of the data set the run was trained
 * on (the embedded MNIST for a model without a run directory).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedPath } from '../../data/files.js';
import { readIdx } from '../../data/idx.js';
import { readDigitImage } from '../digit-image.js';
import type { RunRecord } from '../run-dir.js';

/** An input image ready for the model: values in [0, 1], row-major [height, width, channels]. */
export interface VisualInput {
  pixels: Float32Array;
  shape: [number, number, number];
  /** Where it came from, for the printed report: "digit.png", "the first mnist test image (label 7)". */
  description: string;
}

/**
 * Reads a PNG as `nabla predict` does: one 28x28 grayscale digit.
 * @param maxImagePixels the largest width x height to decode (default `LIMITS.maxImagePixels`).
 * @throws DataFileError naming the file when it is missing, too large or not a PNG, or (code
 *   'E_INVALID') when it holds no digit.
 */
export function pngInput(path: string, maxImagePixels?: number): VisualInput {
  return { pixels: readDigitImage(path, maxImagePixels).pixels, shape: [28, 28, 1], description: path };
}

function testFile(dir: string, kind: 'images' | 'labels'): string | null {
  const idx = kind === 'images' ? 'idx3' : 'idx1';
  for (const base of [`t10k-${kind}-${idx}-ubyte`, `t10k-${kind}.${idx}-ubyte`])
    for (const name of [`${base}.gz`, base]) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/**
 * The first test image of the run's data set (mnist or fashion-mnist), or of the embedded MNIST
 * when there is no run or it was trained on something else with 28x28x1 inputs.
 * @throws Error naming the folder when the test images cannot be read (then pass --input).
 */
export function firstTestImage(run: RunRecord | null): VisualInput {
  const spec = run?.settings.data;
  const fromRun = spec !== undefined && (spec.data === 'mnist' || spec.data === 'fashion-mnist');
  const name = fromRun ? spec.data : 'mnist';
  const embedded = !fromRun || spec.dataDir === undefined;
  const dir = embedded ? embeddedPath('mnist') : spec.dataDir!;
  const images = testFile(dir, 'images'), labels = testFile(dir, 'labels');
  if (!images) throw new Error(`${dir}: no test images (t10k-images-idx3-ubyte[.gz]) to draw the feature maps of; pass --input digit.png`);
  const checksum = embedded ? 'required' as const : 'ifListed' as const;
  const x = readIdx(images, { checksum });
  if (x.dtype !== 'uint8' || x.shape.length !== 3 || x.shape[0]! < 1) throw new Error(`${images}: expected ubyte images [n, rows, cols], got ${x.dtype} [${x.shape.join(', ')}]`);
  const [, h, w] = x.shape as [number, number, number];
  const pixels = Float32Array.from(x.data.subarray(0, h * w), (v) => v / 255);
  let label = '';
  if (labels) {
    const y = readIdx(labels, { checksum });
    const k = Number(y.data[0]);
    label = ` (label ${run?.preprocessing.classNames?.[k] ?? k})`;
  }
  return { pixels, shape: [h, w, 1], description: `the first ${name} test image${label}` };
}
