/**
 * Bidirectional (Schuster & Paliwal 1997; Keras Bidirectional): a recurrent layer run forwards and
 * a copy of it (its own weights, goBackwards flipped) run backwards over the same input, merged:
 *   concat: [y_f, y_b] on the last axis (2u),  sum: y_f + y_b,  mul: y_f (.) y_b,  ave: (y_f + y_b) / 2.
 * With returnSequences the backward layer's sequence is reversed first, so step t of both halves
 * belongs to input step t (Keras). Backward splits dy the same way and adds both input gradients.
 * The weights are the forward layer's then the backward layer's, named
 * '<name>.forward/kernel', '<name>.backward/kernel', ... The input's mask goes to both halves.
 * Merging uses Backend.gatherRows (interleaving rows of u numbers), axpy, mul and scale.
 * @example new Bidirectional({ layer: new LSTM({ units: 32, returnSequences: true }), mergeMode: 'concat', inputShape: [50, 8] })
 */
import { Workspace } from '../../kernels/workspace.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { getMask, setMask } from '../mask.js';
import { checkKeys } from '../options.js';
import type { Param } from '../param.js';
import { layerFromConfig, registerLayer } from '../registry.js';
import { RecurrentLayer } from './recurrent-base.js';

/** How {@link Bidirectional} merges its two halves: concat [y_f, y_b] (last axis 2u), y_f + y_b, y_f (.) y_b, or (y_f + y_b) / 2. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (SimpleRNN, LSTM, GRU), or its config when loading. */
  layer: RecurrentLayer | LayerConfig;
  /** How the two outputs combine. Default 'concat'. */
  mergeMode?: MergeMode;
}

/**
 * A recurrent layer run forwards and a copy of it run backwards over the same input, merged by
 * `mergeMode` (Schuster & Paliwal 1997; Keras Bidirectional): [batch, time, features] ->
 * [batch, 2u] (concat) or [batch, u], per step with returnSequences.
 */
export class Bidirectional extends Layer {
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly mergeMode: MergeMode;
  private readonly ws = new Workspace();
  /** Row permutations for the current output shape: concat's interleave and the time reversal. */
  private index: { rows: number; steps: number; reverse: Uint32Array; interleave: Uint32Array; split: Uint32Array } | null = null;
  private yf: Tensor | null = null;
  private yb: Tensor | null = null;

  /** @throws Error when the layer is not a recurrent layer (or is stateful / returnState), or mergeMode is unknown. */
  constructor(args: BidirectionalArgs) {
    super(args);
    checkKeys('Bidirectional', args, ['layer', 'mergeMode', 'name', 'inputShape', 'dtype', 'trainable']);
    const l = args.layer, isLayer = l instanceof Layer;
    if (isLayer && args.dtype === undefined) this.dtype = l.dtype; // a layer instance sets the dtype unless one is given
    const inner = isLayer ? l : l && typeof l === 'object' ? layerFromConfig({ ...(l as LayerConfig), dtype: this.dtype }) : null;
    if (!(inner instanceof RecurrentLayer)) throw new Error('Bidirectional: layer must be a recurrent layer (SimpleRNN, LSTM, GRU)');
    if (inner.stateful || inner.returnState) throw new Error(`Bidirectional: the inner ${inner.describe()} may not be stateful or returnState (not supported)`);
    if (inner.dtype !== this.dtype) throw new Error(`Bidirectional: the inner ${inner.describe()} is ${inner.dtype}, this layer ${this.dtype}`);
    this.mergeMode = args.mergeMode ?? 'concat';
    if (!MERGE_MODES.includes(this.mergeMode)) throw new Error(`Bidirectional: mergeMode must be one of ${MERGE_MODES.join(', ')}, got ${JSON.stringify(args.mergeMode)}`);
    this.forwardLayer = inner;
    const c = inner.getConfig();
    this.backwardLayer = layerFromConfig({ ...c, name: c.name || 'backward', goBackwards: !inner.goBackwards, dtype: this.dtype }) as RecurrentLayer;
  }

  get className(): string { return 'Bidirectional'; }
  override get hasWeights(): boolean { return true; }
  /** True when the wrapped layer uses dropout. */
  override get stochastic(): boolean { return this.forwardLayer.stochastic; }
  private get units(): number { return this.forwardLayer.units; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const s = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode === 'concat') s[s.length - 1] = 2 * this.units;
    return s;
  }

  override countParams(inputShape: readonly number[]): number { return 2 * this.forwardLayer.countParams(inputShape); }

  protected override buildParams(inputShape: readonly number[]): void {
    this.forwardLayer.name = `${this.name}.forward`; this.backwardLayer.name = `${this.name}.backward`;
    this.forwardLayer.seed = this.seed; this.backwardLayer.seed = this.seed;
    this.forwardLayer.build(inputShape); this.backwardLayer.build(inputShape);
  }

  /** The forward half's parameters, then the backward half's (none once disposed). */
  override params(): Param[] { return this.forwardLayer.disposed ? [] : [...this.forwardLayer.params(), ...this.backwardLayer.params()]; }

  /** The permutations for `rows` = batch x steps output rows of u numbers. */
  private indices(batch: number, steps: number) {
    const rows = batch * steps;
    if (this.index && this.index.rows === rows && this.index.steps === steps) return this.index;
    const reverse = new Uint32Array(rows), interleave = new Uint32Array(2 * rows), split = new Uint32Array(2 * rows);
    for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) reverse[b * steps + t] = b * steps + steps - 1 - t;
    // Stacked [y_f; y_b] (2 rows x u) -> output row r = [y_f row r, y_b row r]; split is its inverse.
    for (let r = 0; r < rows; r++) { interleave[2 * r] = r; interleave[2 * r + 1] = rows + r; split[r] = 2 * r; split[rows + r] = 2 * r + 1; }
    return (this.index = { rows, steps, reverse, interleave, split });
  }

  private buf(key: string, n: number) { return this.ws.get(key, this.dtype, n); }

  /** Runs both halves and merges them; the output keeps x's mask with returnSequences. */
  forward(x: Tensor, training: boolean): Tensor {
    this.checkInput(x);
    const k = this.k, u = this.units, seq = this.forwardLayer.returnSequences;
    const mask = getMask(x);
    const yf = this.forwardLayer.forward(x, training);
    let yb = this.backwardLayer.forward(x, training);
    const rows = yf.size / u, steps = seq ? x.shape[1]! : 1, idx = this.indices(rows / steps, steps);
    if (seq) { const r = new Tensor(this.buf('ybRev', yb.size), yb.shape); k.gatherRows(yb.data, u, idx.reverse, 0, rows, r.data); yb = r; }
    this.yf = yf; this.yb = yb;
    const outShape = this.computeOutputShape(x.shape);
    const y = new Tensor(this.buf('y', rows * (this.mergeMode === 'concat' ? 2 * u : u)), outShape);
    if (this.mergeMode === 'concat') {
      const stacked = this.buf('stacked', 2 * rows * u);
      stacked.set(yf.data); stacked.set(yb.data, rows * u);
      k.gatherRows(stacked, u, idx.interleave, 0, 2 * rows, y.data);
    } else if (this.mergeMode === 'mul') k.mul(yf.data, yb.data, y.data);
    else { y.data.set(yf.data); k.axpy(1, yb.data, y.data); if (this.mergeMode === 'ave') k.scale(y.data, 0.5); }
    return setMask(y, seq ? mask : null);
  }

  /** Splits dy into the halves' gradients, runs both backward passes and adds their input gradients. */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!this.yf || !this.yb) throw new Error(`${this.describe()}: backward called before forward`);
    const k = this.k, u = this.units, seq = this.forwardLayer.returnSequences, yf = this.yf, yb = this.yb;
    const rows = yf.size / u, idx = this.index!;
    if (dy.size !== (this.mergeMode === 'concat' ? 2 : 1) * rows * u) throw new Error(`${this.describe()}: expected a gradient of the output's size, got shape ${formatShape(dy.shape)}`);
    const dyf = new Tensor(this.buf('dyf', rows * u), yf.shape), dybRev = new Tensor(this.buf('dybRev', rows * u), yb.shape);
    if (this.mergeMode === 'concat') {
      const stacked = this.buf('dstacked', 2 * rows * u);
      k.gatherRows(dy.data, u, idx.split, 0, 2 * rows, stacked);
      dyf.data.set(stacked.subarray(0, rows * u)); dybRev.data.set(stacked.subarray(rows * u));
    } else if (this.mergeMode === 'mul') { k.mul(dy.data, yb.data, dyf.data); k.mul(dy.data, yf.data, dybRev.data); }
    else {
      dyf.data.set(dy.data); dybRev.data.set(dy.data);
      if (this.mergeMode === 'ave') { k.scale(dyf.data, 0.5); k.scale(dybRev.data, 0.5); }
    }
    let dyb = dybRev;
    if (seq) { dyb = new Tensor(this.buf('dyb', rows * u), yb.shape); k.gatherRows(dybRev.data, u, idx.reverse, 0, rows, dyb.data); }
    const dxf = this.forwardLayer.backward(dyf, needsInputGradient);
    const dxb = this.backwardLayer.backward(dyb, needsInputGradient);
    if (!needsInputGradient || !dxf || !dxb) return null;
    const dx = new Tensor(this.buf('dx', dxf.size), dxf.shape);
    dx.data.set(dxf.data); k.axpy(1, dxb.data, dx.data);
    return dx;
  }

  override getConfig(): LayerConfig {
    const { name: _name, ...inner } = this.forwardLayer.getConfig();
    return { ...super.getConfig(), layer: inner as LayerConfig, mergeMode: this.mergeMode };
  }

  /** Disposes both halves (whose parameters these are) and the merge buffers, then this layer. */
  override dispose(): void {
    if (this.disposed) return;
    this.forwardLayer.dispose(); this.backwardLayer.dispose(); this.ws.dispose();
    super.dispose();
  }
}

registerLayer('Bidirectional', (c) => new Bidirectional(c as unknown as BidirectionalArgs));
