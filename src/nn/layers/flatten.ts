/** Flatten: [batch, d1, d2, ...] -> [batch, d1 d2 ...], row-major, with no copy (a reshape). */
import { formatShape, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs } from '../layer.js';
import { checkKeys } from '../options.js';
import { registerLayer } from '../registry.js';

/**
 * [batch, d1, d2, ...] -> [batch, d1 d2 ...] in row-major order, a reshape with no copy; backward
 * reshapes dy back. No parameters.
 * @example new Flatten()   // [batch, 7, 7, 16] -> [batch, 784], before a Dense
 */
export class Flatten extends Layer {
  private inShape: readonly number[] | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
    checkKeys('Flatten', args, ['name', 'inputShape', 'dtype', 'trainable']);
  }

  get className(): string { return 'Flatten'; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new Error(`${this.describe()}: expected input of rank >= 2 [batch, ...], got shape ${formatShape(inputShape)}`);
    return [inputShape[0]!, sizeOf(inputShape.slice(1))];
  }

  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    this.inShape = x.shape;
    return x.reshape(this.computeOutputShape(x.shape));
  }

  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!this.inShape) throw new Error(`${this.describe()}: backward called before forward`);
    return needsInputGradient ? dy.reshape(this.inShape) : null;
  }
}

registerLayer('Flatten', (c) => new Flatten(c as LayerArgs));
