/**
 * Dropout (Srivastava et al. 2014; Nielsen ch. 3), inverted: in training each unit is kept with
 * probability 1 - rate and scaled by 1 / (1 - rate), so inference is the identity. The mask comes
 * from a seeded stream, Rng.derive(seed, 'dropout:<name>'), whose state is saved in checkpoints.
 */
import { Rng, type RngState } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { getMask, setMask } from '../mask.js';
import { checkKeys, numberIn } from '../options.js';
import { registerLayer } from '../registry.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of units dropped, in [0, 1). */
  rate: number;
  /** Seed of the mask stream; the model's seed when omitted. */
  seed?: number;
}

/**
 * Inverted dropout, any shape [batch, ...] -> the same shape, no parameters: in training
 * y = x (.) mask with mask_i = 1 / (1 - rate) with probability 1 - rate, else 0 (drawn from the
 * layer's seeded stream); in inference y = x. Backward: dx = dy (.) mask. Stochastic when rate > 0.
 * @example new Dropout({ rate: 0.5 })
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly ownSeed: number | null;
  private rng: Rng | null = null;
  private mask: Tensor | null = null;

  /** @throws RangeError when rate is not in [0, 1). */
  constructor(args: DropoutArgs) {
    super(args);
    checkKeys('Dropout', args ?? {}, ['rate', 'seed', 'name', 'inputShape', 'dtype', 'trainable']);
    this.rate = numberIn('Dropout', 'rate', args?.rate, 0, 1);
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new RangeError(`Dropout: seed must be an integer, got ${String(args.seed)}`);
    this.ownSeed = args.seed ?? null;
  }

  get className(): string { return 'Dropout'; }
  /** True when rate > 0: training-mode masks are random. */
  override get stochastic(): boolean { return this.rate > 0; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new Error(`${this.describe()}: expected input of rank >= 2 [batch, ...], got shape ${formatShape(inputShape)}`);
    return [...inputShape];
  }

  private stream(): Rng {
    if (!this.rng) this.rng = Rng.derive(this.ownSeed ?? this.seed, `dropout:${this.name}`);
    return this.rng;
  }

  forward(x: Tensor, training: boolean): Tensor {
    this.checkInput(x);
    if (!training || this.rate === 0) { this.mask = null; return x; }
    const mask = this.workspace('mask', x.shape);
    const rng = this.stream();
    for (let i = 0; i < mask.size; i++) mask.data[i] = rng.uniform(); // drawing random numbers, not arithmetic
    this.k.dropoutMask(mask.data, this.rate);
    const out = this.workspace('out', x.shape);
    this.k.mul(x.data, mask.data, out.data);
    this.mask = mask;
    return setMask(out, getMask(x)); // a sequence mask (nn/mask.ts) passes through, as in Keras
  }

  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!needsInputGradient) return null;
    if (!this.mask) return dy;
    const dx = this.workspace('dx', dy.shape);
    this.k.mul(dy.data, this.mask.data, dx.data);
    return dx;
  }

  /** The mask stream's state, for checkpoints. */
  override getRngState(): RngState { return this.stream().getState(); }
  /** Restores the mask stream from getRngState(). */
  override setRngState(state: RngState): void { this.stream().setState(state); }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, ...(this.ownSeed !== null ? { seed: this.ownSeed } : {}) };
  }
}

registerLayer('Dropout', (c) => new Dropout(c as unknown as DropoutArgs));
