/**
 * Conv2D: the convolutional layer of Nielsen ch. 6 ("local receptive fields, shared weights") on
 * NHWC images, as Keras defines it (a cross-correlation; no kernel flip):
 *   z[n, oh, ow, f] = b[f] + sum_{i, j, c} x[n, oh sH - padTop + i, ow sW - padLeft + j, c] W[i, j, c, f],
 *   a = sigma(z),
 * with x read as 0 in the padding. Output size floor((H + padTotal - k) / s) + 1 per axis, 'same'
 * padding as TensorFlow (see window.ts).
 *
 * Lowered to matrices with im2col (Chellapilla et al. 2006): col = im2col(x) is
 * [N outH outW, kh kw cin], W viewed as [kh kw cin, filters], and then exactly Dense's BP1-BP4:
 *   Z = col W + b      dW = col^T Delta  (BP4)      db = column sums of Delta  (BP3)
 *   dcol = Delta W^T,  dx = col2im(dcol)  (BP2's W^T delta, each input cell summing over the windows that saw it)
 * All arithmetic runs in the kernels (im2col, col2im, gemm, biasAdd, biasGrad, activations).
 */
import { type ActivationName, type Window2D } from '../../kernels/index.js';
import { Rng } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation, LEAKY_RELU_ALPHA } from '../activations.js';
import { getInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkKeys, positiveInt } from '../options.js';
import type { Param } from '../param.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type Regularizer } from '../regularizers.js';
import { pair, padding, windowGeometry, type Padding } from './window.js';

export interface Conv2DArgs extends LayerArgs {
  /** Number of output channels (feature maps). A positive integer. */
  filters: number;
  /** Window size: n for n x n, or [height, width]. */
  kernelSize: number | [number, number];
  /** Step between windows: n or [height, width]. Default 1. */
  strides?: number | [number, number];
  /** 'valid' (no padding, the default) or 'same' (TensorFlow's padding: output ceil(H / s)). */
  padding?: Padding;
  /** Activation applied to z. Default 'linear'. */
  activation?: ActivationName;
  /** Whether to add a bias per filter. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' with fanIn = kh kw cin, fanOut = kh kw filters (Keras). */
  kernelInitializer?: InitializerName | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: InitializerName | Initializer;
  /** A penalty on the kernel, e.g. l2(1e-4). */
  kernelRegularizer?: Regularizer;
}

const CONV_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer',
  'kernelRegularizer', 'name', 'inputShape', 'dtype', 'trainable'];

/**
 * The im2col matrix is built for at most this many numbers at a time (16 MB in float32): a large
 * batch (evaluate, predict) is processed in chunks of samples, so memory stays bounded. When a
 * training batch fits in one chunk (a LeNet on MNIST does up to batch ~160), forward's col is reused
 * by backward; otherwise backward rebuilds each chunk's col.
 */
const COL_LIMIT = 1 << 22;

/**
 * A 2-D convolution over NHWC input [batch, height, width, inChannels], kernel
 * [kernelH, kernelW, inChannels, filters], output [batch, outH, outW, filters].
 * @example new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] })
 */
export class Conv2D extends Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  private kernel: Param | null = null;
  private bias: Param | null = null;
  // Cached by forward for backward:
  private x: Tensor | null = null;
  private z: Tensor | null = null;
  private a: Tensor | null = null;
  private geometry: Window2D | null = null;

  /** @throws RangeError/Error naming the option when filters, kernelSize, strides, padding, activation, initialisers or keys are invalid. */
  constructor(args: Conv2DArgs) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error('Conv2D: expected an options object { filters, kernelSize, ... }');
    checkKeys('Conv2D', args, CONV_KEYS);
    this.filters = positiveInt('Conv2D', 'filters', args.filters);
    this.kernelSize = pair('Conv2D', 'kernelSize', args.kernelSize);
    this.strides = pair('Conv2D', 'strides', args.strides ?? 1);
    this.padding = padding('Conv2D', args.padding ?? 'valid');
    this.activation = getActivation(args.activation ?? 'linear', 'Conv2D').name;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', 'Conv2D: kernelInitializer');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', 'Conv2D: biasInitializer');
    this.kernelRegularizer = args.kernelRegularizer === undefined || args.kernelRegularizer === null ? null : getRegularizer(args.kernelRegularizer, 'Conv2D: kernelRegularizer');
  }

  get className(): string { return 'Conv2D'; }
  override get outputActivation(): ActivationName { return this.activation; }

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
    this.kernel = this.makeParam('kernel', [kh, kw, inputShape[3]!, this.filters]);
    this.kernelInitializer.fill(this.kernel.value.data, this.kernel.value.shape, Rng.derive(this.seed, `init:${this.name}/kernel`));
    if (this.useBias) {
      this.bias = this.makeParam('bias', [this.filters]);
      this.biasInitializer.fill(this.bias.value.data, this.bias.value.shape, Rng.derive(this.seed, `init:${this.name}/bias`));
    }
  }

  /** [kernel [kh, kw, cin, filters], bias [filters]] (no bias when useBias is false). */
  override params(): Param[] {
    if (!this.kernel) return [];
    return this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  override regularizationLoss(): number {
    return this.kernelRegularizer && this.kernel ? this.kernelRegularizer.penalty(this.k, this.kernel.value.data) : 0;
  }

  /** Rank, channels (against the kernel), then the full shape. @throws Error naming the layer and both shapes. */
  private checkConvInput(x: Tensor): void {
    this.geometryFor(x.shape); // rank 4, kernel fits
    if (this.kernel && x.shape[3] !== this.kernel.value.shape[2])
      throw new Error(`${this.describe()}: input has ${x.shape[3]} channels (shape ${formatShape(x.shape)}) but the kernel ${formatShape(this.kernel.value.shape)} expects ${this.kernel.value.shape[2]}`);
    this.checkInput(x);
  }

  /** Samples per im2col chunk (see COL_LIMIT). */
  private chunkSize(g: Window2D): number {
    return Math.max(1, Math.floor(COL_LIMIT / (g.outH * g.outW * g.kernelH * g.kernelW * g.channels)));
  }

  /** The geometry and the x / rows ranges of samples [start, end). */
  private chunk(g: Window2D, start: number, end: number) {
    const inPer = g.height * g.width * g.channels, rowsPer = g.outH * g.outW;
    return { g: { ...g, batch: end - start }, x0: start * inPer, x1: end * inPer, r0: start * rowsPer, r1: end * rowsPer };
  }

  /** a = sigma(im2col(x) W + b): x [m, H, W, cin] -> a [m, outH, outW, filters]. */
  forward(x: Tensor, _training: boolean): Tensor {
    this.checkConvInput(x);
    const k = this.k, g = this.geometryFor(x.shape), m = g.batch, F = this.filters;
    const K = g.kernelH * g.kernelW * g.channels, rows = m * g.outH * g.outW;
    const z = this.workspace('z', [m, g.outH, g.outW, F]);
    const per = this.chunkSize(g);
    const col = this.buffer('col', Math.min(m, per) * g.outH * g.outW * K);
    for (let s = 0; s < m; s += per) {
      const c = this.chunk(g, s, Math.min(m, s + per));
      k.im2col(x.data.subarray(c.x0, c.x1), c.g, col);
      k.gemm(false, false, c.r1 - c.r0, F, K, 1, col, this.kernel!.value.data, 0, z.data.subarray(c.r0 * F, c.r1 * F));
    }
    if (this.bias) k.biasAdd(z.data, this.bias.value.data, rows, F);
    let a = z;
    if (this.activation !== 'linear') {
      a = this.workspace('a', z.shape);
      k.activationForward(this.activation, z.data, a.data, rows, F, LEAKY_RELU_ALPHA);
    }
    this.x = x; this.z = z; this.a = a; this.geometry = g;
    return a;
  }

  /** BP1/BP2 (Delta), BP3 (db), BP4 (dW = col^T Delta); returns dx = col2im(Delta W^T) [m, H, W, cin]. */
  backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    const { x, z, a, geometry: g } = this;
    if (!x || !z || !a || !g) throw new Error(`${this.describe()}: backward called before forward`);
    const k = this.k, m = g.batch, F = this.filters, K = g.kernelH * g.kernelW * g.channels, rows = m * g.outH * g.outW;
    if (dy.size !== z.size) throw new Error(`${this.describe()}: expected gradient shape ${formatShape(z.shape)}, got ${formatShape(dy.shape)}`);
    let delta = dy;
    if (!dyIsPreActivation && this.activation !== 'linear') {
      delta = this.workspace('delta', z.shape);
      k.activationBackward(this.activation, z.data, a.data, dy.data, delta.data, rows, F, LEAKY_RELU_ALPHA);
    }
    const kernel = this.kernel!, per = this.chunkSize(g), single = per >= m;
    const col = this.buffer('col', Math.min(m, per) * g.outH * g.outW * K);
    const dcol = needsInputGradient ? this.buffer('dcol', col.length) : null;
    const dx = needsInputGradient ? this.workspace('dx', x.shape) : null;
    for (let s = 0; s < m; s += per) {
      const c = this.chunk(g, s, Math.min(m, s + per)), n = c.r1 - c.r0, d = delta.data.subarray(c.r0 * F, c.r1 * F);
      if (!single) k.im2col(x.data.subarray(c.x0, c.x1), c.g, col); // forward's col holds only the last chunk
      k.gemm(true, false, K, F, n, 1, col, d, s === 0 ? 0 : 1, kernel.grad.data);
      if (dcol && dx) {
        k.gemm(false, true, n, K, F, 1, d, kernel.value.data, 0, dcol);
        k.col2im(dcol, c.g, dx.data.subarray(c.x0, c.x1));
      }
    }
    if (this.kernelRegularizer) this.kernelRegularizer.addGradient(k, kernel.value.data, kernel.grad.data);
    if (this.bias) k.biasGrad(delta.data, this.bias.grad.data, rows, F);
    return dx;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding,
      activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.getConfig(), biasInitializer: this.biasInitializer.getConfig(),
      ...(this.kernelRegularizer ? { kernelRegularizer: this.kernelRegularizer.getConfig() } : {}),
    };
  }
}

registerLayer('Conv2D', (c) => new Conv2D(c as unknown as Conv2DArgs));
