/**
 * Embedding (Keras Embedding; Bengio et al. 2003's word feature vectors): integer ids
 * [batch, time] (stored as floats) -> vectors [batch, time, outputDim], a thin module over
 * nn/functional/embedding.ts. Weight `embeddings` [inputDim, outputDim], initialised
 * U(-0.05, 0.05) (Keras's 'uniform'). With maskZero, id 0 is padding: the output carries a mask
 * (nn/mask.ts) that the recurrent layers after it honour, and inputDim must count id 0.
 * @example new Embedding({ inputDim: 65, outputDim: 32, maskZero: true, inputLength: 100 })
 */
import { Rng } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { embeddingBackward, embeddingForward } from '../functional/embedding.js';
import { getInitializer, randomUniform, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { setMask } from '../mask.js';
import { checkKeys, positiveInt } from '../options.js';
import type { Param } from '../param.js';
import { registerLayer } from '../registry.js';

export interface EmbeddingArgs extends LayerArgs {
  /** The vocabulary size: ids lie in [0, inputDim). */
  inputDim: number;
  /** The vector's width. */
  outputDim: number;
  /** Default randomUniform({ minval: -0.05, maxval: 0.05 }) (Keras 'uniform'). */
  embeddingsInitializer?: InitializerName | Initializer;
  /** Treat id 0 as padding (mask it). Default false. */
  maskZero?: boolean;
  /** The sequence length, i.e. inputShape [inputLength] (Keras's shorthand). */
  inputLength?: number;
}

/**
 * Keras's Embedding layer: integer ids [batch, time] -> vectors [batch, time, outputDim], the rows
 * of the weight `embeddings` [inputDim, outputDim] (initialised U(-0.05, 0.05)); with maskZero, id 0
 * is padding and the output carries a mask for the recurrent layers after it.
 * @example new Embedding({ inputDim: 65, outputDim: 32, maskZero: true, inputLength: 100 })
 */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | null;
  readonly embeddingsInitializer: Initializer;
  private embeddings: Param | null = null;
  private indices = new Uint32Array(0);

  /** @throws Error/RangeError naming the option when an option is invalid or unknown. */
  constructor(args: EmbeddingArgs) {
    const inputShape = args?.inputShape ?? (args?.inputLength !== undefined ? [args.inputLength] : undefined);
    super({ ...args, inputShape });
    checkKeys('Embedding', args, ['inputDim', 'outputDim', 'embeddingsInitializer', 'maskZero', 'inputLength', 'name', 'inputShape', 'dtype', 'trainable']);
    this.inputDim = positiveInt('Embedding', 'inputDim', args.inputDim);
    this.outputDim = positiveInt('Embedding', 'outputDim', args.outputDim);
    if (args.maskZero !== undefined && typeof args.maskZero !== 'boolean') throw new TypeError(`Embedding: maskZero must be true or false, got ${String(args.maskZero)}`);
    this.maskZero = args.maskZero ?? false;
    this.inputLength = args.inputLength === undefined ? null : positiveInt('Embedding', 'inputLength', args.inputLength);
    this.embeddingsInitializer = args.embeddingsInitializer === undefined ? randomUniform({ minval: -0.05, maxval: 0.05 }) : getInitializer(args.embeddingsInitializer, 'Embedding: embeddingsInitializer');
  }

  get className(): string { return 'Embedding'; }
  override get hasWeights(): boolean { return true; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new Error(`${this.describe()}: expected ids [batch, time], got shape ${formatShape(inputShape)}`);
    return [...inputShape, this.outputDim];
  }

  /** inputDim x outputDim. */
  override countParams(): number { return this.inputDim * this.outputDim; }

  protected override buildParams(): void {
    this.embeddings = this.makeParam('embeddings', [this.inputDim, this.outputDim]);
    this.embeddingsInitializer.fill(this.embeddings.value.data, this.embeddings.value.shape, Rng.derive(this.seed, `init:${this.name}/embeddings`));
  }

  override params(): Param[] { return this.embeddings ? [this.embeddings] : []; }

  /** ids [batch, time] -> [batch, time, outputDim], masked where ids = 0 with maskZero. @throws RangeError on an id outside [0, inputDim). */
  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    if (this.indices.length !== x.size) this.indices = new Uint32Array(x.size);
    const { y, mask } = embeddingForward(this.k, this.scratch, x, this.embeddings!.value, this.indices, this.maskZero, this.describe());
    return setMask(y, mask);
  }

  /** Writes the embeddings' gradient; ids have no gradient (a zero tensor when one is asked for). */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    embeddingBackward(this.k, dy, this.indices, this.embeddings!.grad, this.describe());
    if (!needsInputGradient) return null;
    const dx = this.workspace('dx', this.builtInputShape.map((d, i) => (i === 0 ? dy.shape[0]! : d)));
    dx.data.fill(0);
    return dx;
  }

  override getConfig(): LayerConfig {
    const c: LayerConfig = { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInitializer.getConfig(), maskZero: this.maskZero };
    if (this.inputLength !== null) { c.inputLength = this.inputLength; delete c.inputShape; }
    return c;
  }
}

registerLayer('Embedding', (c) => new Embedding(c as unknown as EmbeddingArgs));
