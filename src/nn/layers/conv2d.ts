/**
 * Conv2D: the convolutional layer of Nielsen ch. 6, a thin module over nn/functional/conv2d.ts
 * (conv2dForward / conv2dBackward: im2col, gemm, col2im), which holds the formulas and the
 * kernels' calls. The layer owns its parameters, the window geometry and the forward cache.
 */
import type { Window2D } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { conv2dBackward, conv2dForward, type Conv2DCache } from '../functional/conv2d.js';
import type { LayerConfig } from '../layer.js';
import { positiveInt } from '../options.js';
import { registerLayer } from '../registry.js';
import { KernelLayer, type KernelLayerArgs } from './kernel-layer.js';
import { pair, padding, windowGeometry, type Padding } from './window.js';

export interface Conv2DArgs extends KernelLayerArgs {
  /** Number of output channels (feature maps). A positive integer. */
  filters: number;
  /** Window size: n for n x n, or [height, width]. */
  kernelSize: number | [number, number];
  /** Step between windows: n or [height, width]. Default 1. */
  strides?: number | [number, number];
  /** 'valid' (no padding, the default) or 'same' (TensorFlow's padding: output ceil(H / s)). */
  padding?: Padding;
}

/**
 * A 2-D convolution (Keras's, a cross-correlation) over NHWC input:
 *   z[n, oh, ow, f] = b[f] + sum_{i, j, c} x[n, oh sH - padTop + i, ow sW - padLeft + j, c] W[i, j, c, f],  a = sigma(z),
 * x [batch, H, W, cin] -> a [batch, outH, outW, filters], kernel W [kh, kw, cin, filters], bias
 * [filters]; outH = floor((H + padTotal - kh) / sH) + 1 ('same' padding as TensorFlow, window.ts).
 * Initialisation: W glorotUniform with fanIn = kh kw cin, fanOut = kh kw filters (Keras), b zeros.
 * @example new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] })   // -> [batch, 28, 28, 6]
 */
export class Conv2D extends KernelLayer<Conv2DCache> {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  /** @throws RangeError/Error naming the option when filters, kernelSize, strides, padding, activation, initialisers or keys are invalid. */
  constructor(args: Conv2DArgs) {
    super('Conv2D', args, ['filters', 'kernelSize', 'strides', 'padding'], '{ filters, kernelSize, ... }');
    this.filters = positiveInt('Conv2D', 'filters', args.filters);
    this.kernelSize = pair('Conv2D', 'kernelSize', args.kernelSize);
    this.strides = pair('Conv2D', 'strides', args.strides ?? 1);
    this.padding = padding('Conv2D', args.padding ?? 'valid');
  }

  get className(): string { return 'Conv2D'; }

  /** The window geometry for a batch-first NHWC shape. @throws Error naming the layer and shapes. */
  private geometryFor(inputShape: readonly number[]): Window2D {
    return windowGeometry(this.describe(), 'kernel', inputShape, this.kernelSize, this.strides, this.padding);
  }

  /** [batch, outH, outW, filters]. @throws Error when the input is not rank 4 or the kernel does not fit the padded input. */
  computeOutputShape(inputShape: readonly number[]): number[] {
    const g = this.geometryFor(inputShape);
    return [inputShape[0]!, g.outH, g.outW, this.filters];
  }

  /** kh x kw x cin x filters (kernel) + filters (bias, when useBias), for NHWC input. */
  override countParams(inputShape: readonly number[]): number {
    const [kh, kw] = this.kernelSize;
    return kh * kw * inputShape[3]! * this.filters + (this.useBias ? this.filters : 0);
  }

  protected override buildParams(inputShape: readonly number[]): void {
    const [kh, kw] = this.kernelSize;
    this.makeWeights([kh, kw, inputShape[3]!, this.filters], this.filters);
  }

  /** Rank, channels (against the kernel), then the full shape. @throws Error naming the layer and both shapes. */
  private checkConvInput(x: Tensor): void {
    this.geometryFor(x.shape); // rank 4, kernel fits
    if (this.kernel && x.shape[3] !== this.kernel.value.shape[2])
      throw new Error(`${this.describe()}: input has ${x.shape[3]} channels (shape ${formatShape(x.shape)}) but the kernel ${formatShape(this.kernel.value.shape)} expects ${this.kernel.value.shape[2]}`);
    this.checkInput(x);
  }

  /** a = sigma(im2col(x) W + b): x [m, H, W, cin] -> a [m, outH, outW, filters]. */
  protected forwardOp(x: Tensor): Conv2DCache {
    this.checkConvInput(x);
    return conv2dForward(this.k, this.scratch, x, this.kernel!.value, this.bias?.value ?? null, this.geometryFor(x.shape), this.activation);
  }

  /** dW = col^T Delta, db; returns dx = col2im(Delta W^T) [m, H, W, cin]. */
  protected backwardOp(dy: Tensor, cache: Conv2DCache, needsInputGradient: boolean, dyIsPreActivation: boolean): Tensor | null {
    return conv2dBackward(this.k, this.scratch, dy, cache, this.kernel!, this.bias, this.activation, needsInputGradient, dyIsPreActivation, this.describe());
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding,
      ...this.kernelConfig(),
    };
  }
}

registerLayer('Conv2D', (c) => new Conv2D(c as unknown as Conv2DArgs));
