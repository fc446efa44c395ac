/**
 * MaxPooling2D and AveragePooling2D (Nielsen ch. 6, "pooling layers") on NHWC images, per channel,
 * as Keras defines them: output size floor((H + padTotal - p) / s) + 1 per axis, 'same' padding as
 * TensorFlow (window.ts). Padded cells never count: max pooling ignores them and average pooling
 * leaves them out of the divisor (docs/design.md).
 *
 * Backward: max pooling routes each dy to the input cell that held the window's maximum (the first
 * one, in row-major order, on a tie); average pooling spreads dy / count over the window's inside
 * cells. No parameters. Thin modules over nn/functional/pooling.ts, whose functions call the
 * kernels (maxPool*, avgPool*).
 */
import type { Window2D } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from '../functional/pooling.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkKeys } from '../options.js';
import { registerLayer } from '../registry.js';
import { pair, padding, windowGeometry, type Padding } from './window.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window size: n for n x n, or [height, width]. Default 2. */
  poolSize?: number | [number, number];
  /** Step between windows: n or [height, width]. Default: poolSize (non-overlapping windows). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
}

const POOL_KEYS = ['poolSize', 'strides', 'padding', 'name', 'inputShape', 'dtype', 'trainable'];

/** What MaxPooling2D and AveragePooling2D share: options, shapes, the cached geometry. */
abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  protected geometry: Window2D | null = null;
  protected inShape: readonly number[] | null = null;

  /** @throws RangeError/Error naming the option when poolSize, strides, padding or keys are invalid. */
  constructor(className: string, args: Pooling2DArgs = {}) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error(`${className}: expected an options object { poolSize?, strides?, padding? }`);
    checkKeys(className, args, POOL_KEYS);
    this.poolSize = pair(className, 'poolSize', args.poolSize ?? 2);
    this.strides = pair(className, 'strides', args.strides ?? this.poolSize);
    this.padding = padding(className, args.padding ?? 'valid');
  }

  /** The window geometry. @throws Error naming the layer and shapes (rank not 4, pool larger than the padded input). */
  protected geometryFor(inputShape: readonly number[]): Window2D {
    return windowGeometry(this.describe(), 'pool', inputShape, this.poolSize, this.strides, this.padding);
  }

  /** [batch, outH, outW, channels]. */
  computeOutputShape(inputShape: readonly number[]): number[] {
    const g = this.geometryFor(inputShape);
    return [inputShape[0]!, g.outH, g.outW, g.channels];
  }

  /** Validates x and caches its geometry and shape; returns the geometry. */
  protected prepare(x: Tensor): Window2D {
    const g = this.geometryFor(x.shape); // rank and size first: a clearer message than checkInput's
    this.checkInput(x);
    this.geometry = g; this.inShape = x.shape;
    return g;
  }

  /** The geometry of the last forward pass, checking dy against it. */
  protected forBackward(dy: Tensor): Window2D {
    const g = this.geometry;
    if (!g) throw new Error(`${this.describe()}: backward called before forward`);
    if (dy.size !== g.batch * g.outH * g.outW * g.channels)
      throw new Error(`${this.describe()}: expected gradient shape ${formatShape([g.batch, g.outH, g.outW, g.channels])}, got ${formatShape(dy.shape)}`);
    return g;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}

/**
 * y[n, oh, ow, c] = max over the window of x[n, ., ., c] (padding ignored). The gradient goes to the
 * first maximum in row-major order of the window (docs/design.md), whose index forward keeps.
 * @example new MaxPooling2D({ poolSize: 2 })   // [28, 28, 6] -> [14, 14, 6]
 */
export class MaxPooling2D extends Pooling2D {
  private argmax: Int32Array = new Int32Array(0);

  constructor(args: Pooling2DArgs = {}) { super('MaxPooling2D', args); }
  get className(): string { return 'MaxPooling2D'; }

  forward(x: Tensor, _training: boolean): Tensor {
    const g = this.prepare(x), size = g.batch * g.outH * g.outW * g.channels;
    // The argmax indices are integers, kept as an Int32Array view of one of the layer's scratch
    // buffers: in the backend's memory, so the wasm kernels write and read them in place (a plain
    // Int32Array on the JavaScript heap was copied out of wasm memory after forward and into it
    // for backward: 300 KB each way per batch of 64 after LeNet's first convolution).
    const buf = this.scratch.buffer('argmax', size);
    this.argmax = new Int32Array(buf.buffer, buf.byteOffset, size);
    return maxPool2dForward(this.k, this.scratch, x, g, this.argmax);
  }

  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    this.forBackward(dy);
    return needsInputGradient ? maxPool2dBackward(this.k, this.scratch, dy, this.argmax, this.inShape!) : null;
  }
}

/**
 * y[n, oh, ow, c] = mean over the window's inside cells of x[n, ., ., c]; with 'same' padding the
 * divisor counts only cells inside the image (TensorFlow). Backward spreads dy / count evenly.
 * @example new AveragePooling2D({ poolSize: 2, padding: 'same' })
 */
export class AveragePooling2D extends Pooling2D {
  constructor(args: Pooling2DArgs = {}) { super('AveragePooling2D', args); }
  get className(): string { return 'AveragePooling2D'; }

  forward(x: Tensor, _training: boolean): Tensor {
    return avgPool2dForward(this.k, this.scratch, x, this.prepare(x));
  }

  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    const g = this.forBackward(dy);
    return needsInputGradient ? avgPool2dBackward(this.k, this.scratch, dy, g, this.inShape!) : null;
  }
}

registerLayer('MaxPooling2D', (c) => new MaxPooling2D(c as Pooling2DArgs));
registerLayer('AveragePooling2D', (c) => new AveragePooling2D(c as Pooling2DArgs));
