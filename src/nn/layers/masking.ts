/**
 * Masking (Keras Masking): time steps whose every feature equals `maskValue` are padding. For x
 * [batch, time, features]:
 *   mask[b, t] = 1 if some x[b, t, j] != maskValue else 0,  y = x mask (masked steps zeroed),
 *   dx = dy mask.
 * The mask travels with the output (nn/mask.ts): the recurrent layers after it carry their state
 * over masked steps and give them no gradient. Kernels: Backend.rowMask, Backend.scaleRows.
 * @example new Masking({ maskValue: 0, inputShape: [20, 3] })
 */
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { setMask } from '../mask.js';
import { checkKeys } from '../options.js';
import { registerLayer } from '../registry.js';

export interface MaskingArgs extends LayerArgs {
  /** The padding value. Default 0. */
  maskValue?: number;
}

/**
 * Keras's Masking layer: for x [batch, time, features], the time steps whose every feature equals
 * `maskValue` are padding; they are zeroed, and the mask travels with the output to the recurrent
 * layers after it.
 * @example new Masking({ maskValue: 0, inputShape: [20, 3] })
 */
export class Masking extends Layer {
  readonly maskValue: number;
  private mask: Tensor | null = null;

  /** @throws Error naming the option when maskValue is not a number or an option is unknown. */
  constructor(args: MaskingArgs = {}) {
    super(args);
    checkKeys('Masking', args, ['maskValue', 'name', 'inputShape', 'dtype', 'trainable']);
    if (args.maskValue !== undefined && typeof args.maskValue !== 'number') throw new TypeError(`Masking: maskValue must be a number, got ${String(args.maskValue)}`);
    this.maskValue = args.maskValue ?? 0;
  }

  get className(): string { return 'Masking'; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new Error(`${this.describe()}: expected input [batch, time, features], got shape ${formatShape(inputShape)}`);
    return [...inputShape];
  }

  /** y = x with masked steps zeroed; the output carries the mask [batch, time]. */
  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    const rows = x.shape[0]! * x.shape[1]!, cols = x.shape[2]!;
    const mask = this.workspace('mask', [x.shape[0]!, x.shape[1]!]);
    this.k.rowMask(x.data, rows, cols, this.maskValue, mask.data);
    const y = this.workspace('y', x.shape);
    this.k.scaleRows(x.data, mask.data, rows, cols, y.data);
    this.mask = mask;
    return setMask(y, mask);
  }

  /** dx = dy mask. */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!this.mask) throw new Error(`${this.describe()}: backward called before forward`);
    if (!needsInputGradient) return null;
    const dx = this.workspace('dx', dy.shape);
    this.k.scaleRows(dy.data, this.mask.data, this.mask.size, dy.size / this.mask.size, dx.data);
    return dx;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer('Masking', (c) => new Masking(c as unknown as MaskingArgs));
