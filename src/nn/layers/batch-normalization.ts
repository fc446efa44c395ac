/**
 * BatchNormalization (Ioffe & Szegedy 2015), as Keras defines it: per channel (the last axis), over
 * every other axis (N for [N, C], N H W for NHWC images):
 *   training:  mu, var = the batch's mean and BIASED variance;
 *              movingMean = momentum movingMean + (1 - momentum) mu (likewise movingVariance with var)
 *   inference: mu, var = movingMean, movingVariance
 *   y = gamma (x - mu) / sqrt(var + epsilon) + beta
 * Defaults momentum 0.99 (the weight of the old moving value), epsilon 1e-3 (docs/design.md).
 * Weights in Keras's order: gamma, beta (params(), trainable) then movingMean, movingVariance
 * (stateTensors(), saved as `<layer>/moving_mean` and `<layer>/moving_variance`).
 * As in Keras 2 (TF >= 2.0), a layer with trainable = false runs in inference mode even in training.
 *
 * Backward (the paper's section 3, simplified; see Backend.batchNormBackward): with xhat the
 * normalised input and m the number of positions per channel,
 *   dbeta = sum dy,  dgamma = sum dy xhat,  dx = gamma / (m sqrt(var + eps)) (m dy - dbeta - xhat dgamma).
 * A thin module over nn/functional/batch-norm.ts, whose functions call the kernels (batchNormStats,
 * batchNormForward, batchNormBackward, scale, axpy); the layer owns gamma, beta, the moving
 * statistics and the forward cache.
 */
import { freeBuffer } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { batchNormBackward, batchNormForward, type BatchNormCache } from '../functional/batch-norm.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkKeys, numberIn } from '../options.js';
import type { Param } from '../param.js';
import { registerLayer } from '../registry.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** Weight of the old moving statistics in each update, in [0, 1]. Default 0.99 (Keras). */
  momentum?: number;
  /** Added to the variance before the square root; > 0. Default 1e-3 (Keras). */
  epsilon?: number;
  /** Whether to learn the offset beta. Default true. */
  center?: boolean;
  /** Whether to learn the scale gamma. Default true. */
  scale?: boolean;
}

const BN_KEYS = ['momentum', 'epsilon', 'center', 'scale', 'name', 'inputShape', 'dtype', 'trainable'];

/**
 * Normalises each channel (last axis) of [batch, ..., channels] input; output has the input's shape:
 * y = gamma (x - mu) / sqrt(var + epsilon) + beta, with the batch's statistics in training and the
 * moving ones in inference (see the file's header). gamma [C] starts at 1, beta [C] at 0, the
 * moving mean at 0 and the moving variance at 1 (Keras).
 * @example new BatchNormalization()   // after a Conv2D: per-filter statistics over N, H, W
 */
export class BatchNormalization extends Layer {
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma: Param | null = null;
  private beta: Param | null = null;
  private movingMean: Tensor | null = null;
  private movingVariance: Tensor | null = null;
  private cache: BatchNormCache | null = null;

  /** @throws RangeError/Error naming the option when momentum, epsilon, center, scale or keys are invalid. */
  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error('BatchNormalization: expected an options object { momentum?, epsilon?, center?, scale? }');
    checkKeys('BatchNormalization', args, BN_KEYS);
    this.momentum = numberIn('BatchNormalization', 'momentum', args.momentum ?? 0.99, 0, 1, true);
    this.epsilon = numberIn('BatchNormalization', 'epsilon', args.epsilon ?? 1e-3, 0, Infinity);
    if (this.epsilon <= 0) throw new RangeError(`BatchNormalization: epsilon must be > 0, got ${this.epsilon}`);
    for (const key of ['center', 'scale'] as const)
      if (args[key] !== undefined && typeof args[key] !== 'boolean') throw new TypeError(`BatchNormalization: ${key} must be true or false, got ${JSON.stringify(args[key])}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  get className(): string { return 'BatchNormalization'; }
  /** True when it learns gamma or beta (made at build). */
  override get hasWeights(): boolean { return this.scale || this.center; }

  /** The input shape. @throws Error naming the layer when the input has rank < 2. */
  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new Error(`${this.describe()}: expected input of rank >= 2 [batch, ..., channels], got shape ${formatShape(inputShape)}`);
    return [...inputShape];
  }

  /** C each for gamma (scale), beta (center), the moving mean and the moving variance; C = last dimension. */
  override countParams(inputShape: readonly number[]): number {
    const C = inputShape[inputShape.length - 1]!;
    return C * ((this.scale ? 1 : 0) + (this.center ? 1 : 0) + 2);
  }

  protected override buildParams(inputShape: readonly number[]): void {
    const C = inputShape[inputShape.length - 1]!;
    if (this.scale) { this.gamma = this.makeParam('gamma', [C]); this.gamma.value.data.fill(1); }
    if (this.center) this.beta = this.makeParam('beta', [C]);
    this.movingMean = new Tensor(this.k.alloc(this.dtype, C), [C]);
    this.movingVariance = new Tensor(this.k.alloc(this.dtype, C), [C]);
    this.movingVariance.data.fill(1);
  }

  /** [gamma, beta] (each only when scale / center). */
  override params(): Param[] {
    return [this.gamma, this.beta].filter((p): p is Param => p !== null);
  }

  /** [movingMean, movingVariance], named `<layer>/moving_mean` and `<layer>/moving_variance`. */
  override stateTensors(): { name: string; value: Tensor }[] {
    if (!this.movingMean || !this.movingVariance) return [];
    return [{ name: `${this.name}/moving_mean`, value: this.movingMean }, { name: `${this.name}/moving_variance`, value: this.movingVariance }];
  }

  /**
   * y = gamma xhat + beta with batch statistics in training (updating the moving ones) and the
   * moving statistics in inference (and whenever trainable is false, as Keras 2).
   */
  forward(x: Tensor, training: boolean): Tensor {
    this.checkInput(x);
    const { y, cache } = batchNormForward(this.k, this.scratch, x, this.gamma?.value ?? null, this.beta?.value ?? null,
      { mean: this.movingMean!, variance: this.movingVariance! }, this.momentum, this.epsilon, training && this.trainable);
    this.cache = cache;
    return y;
  }

  /** dgamma = sum dy xhat, dbeta = sum dy; returns dx (Backend.batchNormBackward's formula). */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!this.cache) throw new Error(`${this.describe()}: backward called before forward`);
    const { xhat } = this.cache;
    if (dy.size !== xhat.size) throw new Error(`${this.describe()}: expected gradient shape ${formatShape(xhat.shape)}, got ${formatShape(dy.shape)}`);
    return batchNormBackward(this.k, this.scratch, dy, this.cache, this.gamma, this.beta?.grad ?? null, this.epsilon, needsInputGradient);
  }

  override dispose(): void {
    super.dispose();
    for (const t of [this.movingMean, this.movingVariance]) if (t) freeBuffer(t.data);
    this.movingMean = this.movingVariance = null;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}

registerLayer('BatchNormalization', (c) => new BatchNormalization(c as BatchNormalizationArgs));
