/**
 * Sequential: a stack of layers trained by backpropagation (Nielsen ch. 2) and mini-batch
 * gradient descent (ch. 1), with Keras's compile / fit / evaluate / predict.
 *
 * One training step on a batch (X, Y) of m samples:
 *   forward   a^l = layer_l(a^{l-1}), training mode
 *   loss      C = (1/m) sum_x C_x + penalties
 *   BP1       delta^L = dC/dz^L: (a - y) / m for the fused pairs, else the loss gradient through sigma'
 *   BP2-BP4   each layer's backward, last to first (the first skips its input gradient)
 *   update    the optimiser walks the parameter list
 */
import { DisposedError, throwOnUseAfterDispose } from '../errors.js';
import { checkOptionKeys } from '../validate.js';
import { getKernels } from '../kernels/index.js';
import { Workspace } from '../kernels/workspace.js';
import type { UrlInstance } from '../io/location.js';
import type { Layer, LayerConfig } from '../nn/layer.js';
import { getLoss, reduceLoss, type FunctionLossSpec, type Loss, type LossFunction, type LossSpec } from '../nn/losses.js';
import { layerFromConfig } from '../nn/registry.js';
import '../nn/layers/index.js'; // registers the built-in layers, so a config names them whatever the importer loaded
import { getOptimizer } from '../optim/index.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Rng } from '../tensor/rng.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import type { Logs } from '../train/callbacks.js';
import { fitLoop, type FitModel, type TrainingProgress } from '../train/fit.js';
import type { History } from '../train/history.js';
import type { MetricName } from '../train/metrics.js';
import { forwardAll, lossAndGradients, penalties } from './backprop.js';
import { checkFinite, checkLabels } from './checks.js';
import { batchLoss, compileMetrics, type CompiledMetrics } from './custom-loss.js';
import { evaluateBatches, predictBatches } from './inference.js';
import { modelJacobian, type JacobianWrt } from './jacobian.js';
import type { SavableModel } from './contract.js';
import { checkBatchSize, checkPair, toTensor, type ModelFitArgs, type TensorLike } from './inputs.js';
import { attachOptimizer, releaseOptimizer } from './optimizer-users.js';
import { saveModel } from './persistence.js';
import { formatSummary, printSummary, type SummaryRow } from './summary.js';

/** Options of the {@link Sequential} constructor. */
export interface SequentialArgs {
  /** Shown by summary() and saved. Default 'sequential'. */
  name?: string;
  /** Seed of weight initialisation, dropout masks and (by default) shuffling. Random when omitted. */
  seed?: number;
}

/** What {@link Sequential.compile} takes: the optimiser, the loss and the metrics (Keras's compile). */
export interface CompileArgs {
  optimizer: 'sgd' | 'adam' | 'rmsprop' | 'adagrad' | Optimizer;
  /** A built-in loss (name or `{ name, fromLogits?, reduction? }`) or a function (yTrue, yPred) => Tensor (custom-loss.ts). */
  loss: LossSpec | FunctionLossSpec;
  /** Built-in metric names and functions (yTrue, yPred) => Tensor of per-sample values, logged under fn.name. */
  metrics?: (MetricName | LossFunction)[];
}

/** The model's config (model.json's "model" field): enough to rebuild it without weights. */
export interface SequentialConfig { className: 'Sequential'; name: string; seed: number; layers: LayerConfig[] }

// Keras's to_snake_case for the names in use: 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d', 'LeakyReLU' -> 'leaky_re_lu'.
function snake(s: string): string { return s.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase(); }

export class Sequential implements FitModel, SavableModel {
  readonly layers: Layer[] = [];
  readonly name: string;
  /** Set by a callback (earlyStopping) or Ctrl-C to stop after the current batch. */
  stopTraining = false;
  trainingProgress: TrainingProgress | null = null;
  /** Training history of every fit() so far (saved with the model). */
  readonly histories: History[] = [];
  optimizer: Optimizer | null = null;
  loss: Loss | null = null;
  /** The metrics' names as logged, in compile()'s order (functions by their name). */
  metrics: string[] = [];
  private compiledMetrics: CompiledMetrics = { builtIn: [], functions: [], names: [] };
  private readonly seedArg: number | null;
  private seedValue: number | null = null;
  private outputShapes: number[][] = [];
  private readonly ws = new Workspace();
  /** The layers' names, and per name base ('dense') the next index to try: add() stays O(1). */
  private readonly names = new Set<string>();
  private readonly nextIndex = new Map<string, number>();
  private isDisposed = false;

  /** @throws Error when a layer is not a Layer or names collide. */
  constructor(layers: Layer[] = [], args: SequentialArgs = {}) {
    this.name = args.name ?? 'sequential';
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new RangeError(`Sequential: seed must be an integer, got ${String(args.seed)}`);
    this.seedArg = args.seed ?? null;
    for (const l of layers) this.add(l);
  }

  /**
   * Appends a layer, named `<class>_<n>` when unnamed, built at once when the input shape is known
   * (Keras), so getWeights() works right after construction.
   * @throws Error on a duplicate name, after compile, or naming the layer whose input does not fit (not added).
   */
  add(layer: Layer): void {
    if (layer?.disposed) throw new DisposedError(layer.describe(), 'Sequential.add()');
    if (!layer || typeof (layer as Layer).forward !== 'function') throw new TypeError(`Sequential.add: expected a layer, got ${String(layer)}`);
    if (this.optimizer) throw new Error(`Sequential.add: the model is compiled; add every layer before compile`);
    if (!layer.name) {
      // The next free `<base>_<i>`: counting on from the last index given for this base keeps
      // adding n unnamed layers linear (a scan of every layer per try was cubic).
      const base = snake(layer.className);
      let i = this.nextIndex.get(base) ?? 1;
      while (this.names.has(`${base}_${i}`)) i++;
      this.nextIndex.set(base, i + 1);
      layer.name = `${base}_${i}`;
      // A layer built on its own (called before joining a model) named its weights '/kernel':
      // they take the new name, as saved weights and optimiser slots are keyed by it.
      for (const p of layer.params()) p.name = `${layer.name}/${p.name.slice(p.name.lastIndexOf('/') + 1)}`;
    }
    if (this.names.has(layer.name)) throw new Error(`Sequential.add: a layer named '${layer.name}' is already in the model; names must be unique`);
    const shape = this.built ? this.buildLayer(layer, this.outputShape) : null;
    this.layers.push(layer);
    this.names.add(layer.name);
    if (shape) this.outputShapes.push(shape);
    else if (this.layers.length === 1 && layer.inputShapeArg) try { this.build(); } catch (e) { this.layers.pop(); this.names.delete(layer.name); throw e; }
  }

  /** Whether every layer is built (input shape known). */
  get built(): boolean { return this.layers.length > 0 && this.outputShapes.length === this.layers.length; }
  /** The seed in use (drawn at build when none was given). */
  get resolvedSeed(): number { this.seedValue ??= this.seedArg ?? Rng.randomSeed(); return this.seedValue; }
  /** The dtype of the model's parameters and inputs (its first layer's). */
  get dtype(): DType { return this.layers[0]?.dtype ?? 'float32'; }
  /** Per-sample input shape, once built. */
  get inputShape(): number[] | null { return this.built ? (this.layerInputShape(0).slice(1)) : null; }
  /** Output shape with the batch dimension (batch value 1 placeholder), once built. */
  get outputShape(): number[] { return this.outputShapes[this.outputShapes.length - 1] ?? []; }

  private layerInputShape(i: number): number[] { return i === 0 ? this.firstInputShape : this.outputShapes[i - 1]!; }
  private firstInputShape: number[] = [];

  /**
   * Builds every layer for a per-sample input shape (default: the first layer's inputShape).
   * @throws Error when no input shape is known, or naming the layer whose input does not fit.
   */
  build(inputShape?: readonly number[]): void {
    if (this.layers.length === 0) throw new Error('Sequential: the model has no layers');
    const shape = inputShape ?? this.layers[0]!.inputShapeArg;
    if (!shape) throw new Error(`Sequential: the first layer ${this.layers[0]!.describe()} needs an inputShape (e.g. inputShape: [784]), or call fit/build with data`);
    if (this.built) {
      if (!shapesEqual(shape, this.firstInputShape.slice(1))) throw new Error(`Sequential: built for input ${formatShape([null, ...this.firstInputShape.slice(1)])}, got ${formatShape([null, ...shape])}`);
      return;
    }
    const declared = this.layers[0]!.inputShapeArg;
    if (declared && !shapesEqual(declared, shape))
      throw new Error(`${this.layers[0]!.describe()}: expected input shape ${formatShape([null, ...declared])}, got ${formatShape([null, ...shape])}`);
    let s = [1, ...shape];
    const shapes: number[][] = [];
    for (const layer of this.layers) shapes.push(s = this.buildLayer(layer, s));
    this.firstInputShape = [1, ...shape];
    this.outputShapes = shapes;
  }

  /** Builds one layer for input `s` [1, ...] with the model's seed; returns its output shape. */
  private buildLayer(layer: Layer, s: readonly number[]): number[] {
    layer.seed = this.resolvedSeed;
    layer.build(s);
    return layer.computeOutputShape(s);
  }

  /**
   * Sets the optimiser, the loss and the metrics.
   * @throws TypeError for an unknown option; Error for unknown names (listing valid ones) and for a layer that blocks the gradient
   * (Layer.blocksGradient: a 'step' activation, whose derivative is 0 almost everywhere) after weights.
   */
  compile(args: CompileArgs): void {
    if (!args || typeof args !== 'object') throw new TypeError('compile: expected { optimizer, loss, metrics? }');
    checkOptionKeys('compile', args, ['optimizer', 'loss', 'metrics']);
    const loss = getLoss(args.loss);
    const optimizer = getOptimizer(args.optimizer);
    const metrics = compileMetrics(args.metrics, loss);
    let trainableBefore = false;
    for (const layer of this.layers) {
      trainableBefore ||= layer.trainable && layer.hasWeights;
      if (layer.blocksGradient && trainableBefore)
        throw new Error(layer.outputActivation !== 'step' ? `compile: ${layer.describe()} blocks the gradient, so backpropagation cannot train the weights before it` :
          `compile: ${layer.describe()} uses the 'step' activation, whose derivative is 0 almost everywhere, so backpropagation cannot train the weights before it. ` +
          `Use 'sigmoid' (its smooth version, Nielsen ch. 1) to train by gradient descent, or the perceptron rule (Perceptron in nabla's classic models).`);
    }
    attachOptimizer(this, optimizer);
    if (this.optimizer !== optimizer) releaseOptimizer(this, this.optimizer);
    this.loss = loss; this.optimizer = optimizer; this.compiledMetrics = metrics; this.metrics = metrics.names;
  }

  private get sampleShape(): readonly number[] | null { return this.inputShape ?? this.layers[0]?.inputShapeArg ?? null; }
  /** x and y as tensors of the model's dtype (copies when needed; see inputs.ts). */
  private inputs(where: string, x: TensorLike, y: TensorLike): [Tensor, Tensor] {
    return [toTensor(x, `${where}: x`, this.dtype, this.sampleShape), toTensor(y, `${where}: y`, this.dtype)];
  }

  private requireCompiled(what: string): Loss {
    if (!this.loss || !this.optimizer) throw new Error(`${what}: call model.compile({ optimizer, loss }) first`);
    return this.loss;
  }

  /** Builds from x when needed and checks x and y (FitModel). @throws Error before any training on bad data. */
  prepareFit(x: Tensor, y: Tensor): void {
    const loss = this.requireCompiled('fit');
    if (x.rank < 2) throw new Error(`fit: x must have shape [samples, ...features], got ${formatShape(x.shape)}`);
    if (x.shape[0] !== y.shape[0]) throw new Error(`fit: x has ${x.shape[0]} samples but y has ${y.shape[0]}; they must match`);
    this.checkInputShape(x);
    const k = getKernels();
    checkFinite(k, x, 'x');
    checkFinite(k, y, 'y');
    if (!loss.fn) checkLabels(y, loss, this.outputShape);
  }

  /** Builds from x's per-sample shape when needed; @throws Error naming the first layer and both shapes. */
  private checkInputShape(x: Tensor): void {
    if (!this.built) this.build(x.shape.slice(1));
    const want = this.firstInputShape.slice(1);
    if (!shapesEqual(x.shape.slice(1), want)) throw new Error(`${this.layers[0]!.describe()}: expected input shape ${formatShape([null, ...want])}, got ${formatShape(x.shape)}`);
  }

  /** Forward through every layer. */
  private forward(x: Tensor, training: boolean): Tensor { return forwardAll(this.layers, x, training); }

  /** Sum over layers of their penalties (kernelRegularizer). */
  private regularization(): number { return penalties(this.layers); }

  /**
   * One optimiser step on exactly this batch (FitModel). Metrics are those of the forward pass
   * before the update, as Keras reports them.
   * @throws NonFiniteLossError before updating when the loss is NaN or infinite.
   */
  trainStep(x: Tensor, y: Tensor): Logs {
    const logs = this.computeGradients(x, y);
    this.optimizer!.applyGradients(this.trainableParams());
    return logs;
  }

  /**
   * Forward in training mode, the loss (mean over the batch plus penalties) and its gradient with
   * respect to every parameter, written into each param's `grad`; no update (gradCheck uses this).
   * See backprop.ts for BP1-BP4.
   * @throws NonFiniteLossError when the loss is NaN or infinite (gradients are then not computed).
   */
  computeGradients(x: Tensor, y: Tensor): Logs {
    const loss = this.requireCompiled('computeGradients');
    return lossAndGradients({ layers: this.layers, loss, metrics: this.compiledMetrics, workspace: this.ws, dtype: this.dtype }, x, y);
  }

  /** The loss (reduced as compiled, plus penalties) of (x, y), forward only, in training or inference mode. */
  computeLoss(x: Tensor, y: Tensor, training: boolean): number {
    const loss = this.requireCompiled('computeLoss');
    const { sum, count } = batchLoss(getKernels(), loss, this.forward(x, training), y);
    return reduceLoss(loss, sum, count) + this.regularization();
  }

  /** Parameters the optimiser updates. */
  trainableParams() { return this.layers.flatMap((l) => l.params()).filter((p) => p.trainable); }

  /** Trains on exactly this batch (x, y: tensors, nested arrays or typed arrays): one optimiser step. Returns the batch's { loss, metrics }. */
  async trainOnBatch(x: TensorLike, y: TensorLike): Promise<Logs> {
    const [xt, yt] = this.inputs('trainOnBatch', x, y);
    this.prepareFit(xt, yt);
    return this.trainStep(xt, yt);
  }

  /** Trains for `epochs` (see FitArgs; x, y and validationData as tensors, nested arrays or typed arrays) and returns the History. */
  async fit(x: TensorLike, y: TensorLike, args: ModelFitArgs = {}): Promise<History> {
    this.requireCompiled('fit');
    const v = args.validationData && this.inputs('fit: validationData', ...checkPair(args.validationData));
    const history = await fitLoop(this, ...this.inputs('fit', x, y), { ...args, validationData: v });
    this.histories.push(history);
    return history;
  }

  /**
   * Mean loss (with penalties) and metrics over (x, y) in inference mode, in batches.
   * @throws Error on mismatched sample counts or shapes, before computing anything.
   */
  evaluate(xIn: TensorLike, yIn: TensorLike, args: { batchSize?: number } = {}): Logs {
    const loss = this.requireCompiled('evaluate');
    const [x, y] = this.inputs('evaluate', xIn, yIn);
    this.prepareFit(x, y);
    return evaluateBatches(getKernels(), this.layers, loss, this.compiledMetrics, this.metrics, x, y,
      checkBatchSize('evaluate', args.batchSize), this.regularization());
  }

  /**
   * Outputs for x in inference mode: [n, ...outputShape], a fresh copy on the JavaScript heap.
   * @throws Error naming the first layer and both shapes when x does not fit.
   */
  predict(xIn: TensorLike, args: { batchSize?: number } = {}): Tensor {
    const x = toTensor(xIn, 'predict: x', this.dtype, this.sampleShape);
    if (x.rank < 2) throw new Error(`predict: x must have shape [samples, ...features], got ${formatShape(x.shape)}`);
    this.checkInputShape(x);
    return predictBatches(getKernels(), this.layers, x, checkBatchSize('predict', args.batchSize), this.outputShape.slice(1), this.dtype, 'predict: x');
  }

  /**
   * J_theta = dh/dtheta (CMU 10-707) in inference mode, [B K, P] (row i K + j: sample i, output j;
   * columns: trainable weights in getWeights() order), or with `wrt: 'input'` [B, K, ...inputShape];
   * one fused backward per (sample, output) (models/jacobian.ts). @throws Error when x does not fit or `wrt` is bad.
   */
  jacobian(xIn: TensorLike, options: { wrt?: JacobianWrt } = {}): Tensor {
    const x = toTensor(xIn, 'jacobian: x', this.dtype, this.sampleShape);
    if (x.rank < 2) throw new Error(`jacobian: x must have shape [samples, ...features], got ${formatShape(x.shape)}`);
    this.checkInputShape(x);
    return modelJacobian(this.layers, x, options.wrt ?? 'params', this.trainableParams(), this.dtype);
  }

  /** Copies of every weight: per layer its params (kernel, bias) then its state tensors. */
  getWeights(): Tensor[] {
    return this.weightTensors().map((t) => t.clone());
  }

  private weightTensors(): Tensor[] {
    return this.layers.flatMap((l) => [...l.params().map((p) => p.value), ...l.stateTensors().map((s) => s.value)]);
  }

  /** Names `<layer>/<weight>` in getWeights() order. */
  weightNames(): string[] {
    return this.layers.flatMap((l) => [...l.params().map((p) => p.name), ...l.stateTensors().map((s) => s.name)]);
  }

  /**
   * Copies `weights` into the model (same order and shapes as getWeights()).
   * @throws Error naming the first weight whose shape differs, or a wrong count.
   */
  setWeights(weights: Tensor[]): void {
    if (!this.built) this.build();
    const targets = this.weightTensors(), names = this.weightNames();
    if (weights.length !== targets.length) throw new Error(`setWeights: the model has ${targets.length} weight tensors (${names.join(', ')}), got ${weights.length}`);
    targets.forEach((t, i) => {
      if (!shapesEqual(t.shape, weights[i]!.shape)) throw new Error(`setWeights: '${names[i]}' has shape ${formatShape(t.shape)}, got ${formatShape(weights[i]!.shape)}`);
    });
    targets.forEach((t, i) => t.data.set(weights[i]!.data));
  }

  /**
   * The Keras-style table of layers, output shapes and parameter counts (TF.js's arguments:
   * lineLength and column positions, see printSummary). Printed only through `printFn`, line by line.
   */
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): string {
    if (!this.built) this.build();
    const rows: SummaryRow[] = this.layers.map((l, i) => ({
      name: l.name, className: l.className, outputShape: [null, ...this.outputShapes[i]!.slice(1)],
      params: [...l.params().map((p) => p.value.size), ...l.stateTensors().map((s) => s.value.size)].reduce((a, b) => a + b, 0),
      trainable: l.trainable,
    }));
    return printSummary(formatSummary(this.name, rows, this.layers, { lineLength, positions }), printFn);
  }

  /** The model's architecture (no weights), for model.json and gradCheck. */
  getConfig(): SequentialConfig {
    return { className: 'Sequential', name: this.name, seed: this.resolvedSeed, layers: this.layers.map((l) => l.getConfig()) };
  }

  /**
   * Rebuilds a model from getConfig(), optionally in another dtype. Only registered layer
   * classes are made (registerLayer): a config never runs code.
   */
  static fromConfig(config: SequentialConfig, options: { dtype?: DType } = {}): Sequential {
    const layers = config.layers.map((c) => layerFromConfig(options.dtype ? { ...c, dtype: options.dtype } : c));
    return new Sequential(layers, { name: config.name, seed: config.seed });
  }

  /**
   * Saves model.json and weights.safetensors into `dir`, atomically (see models/persistence.ts).
   * @param dir a path or a `file://` URL; another scheme is refused (ModelFileError, E_UNSUPPORTED).
   * @throws Error when dir holds a different model or other files and `overwrite` is not set.
   */
  async save(dir: string | UrlInstance, options: { overwrite?: boolean } = {}): Promise<void> {
    await saveModel(this, dir, options);
  }

  /**
   * Returns every buffer of the model, its layers and its optimiser to nabla's allocator. Then
   * every method (predict, fit, evaluate, getWeights, setWeights, save, summary, ...) throws a
   * DisposedError naming the model, so it never touches memory handed to another model; a second
   * dispose does nothing; raw views from `layer.params()` are invalid. An optimiser compiled into
   * several models is disposed with the LAST of them (the others train on); a layer shared by
   * several models with the FIRST (the others then throw DisposedError naming the layer).
   */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const l of this.layers) l.dispose();
    releaseOptimizer(this, this.optimizer);
    this.ws.dispose();
    throwOnUseAfterDispose(this, `Sequential '${this.name}'`);
  }

  /** True once {@link dispose} ran. */
  get disposed(): boolean { return this.isDisposed; }
}
