/**
 * nabla's weights as PyTorch's state_dict has them, and back, decided by the layer's class and the
 * tensor's key, never by its shape (a square Dense kernel is transposed like any other):
 * - Dense -> nn.Linear: `<m>.weight` = kernel^T [units, in], `<m>.bias` [units];
 * - Conv2D -> nn.Conv2d: `<m>.weight` = kernel [kh, kw, cin, f] permuted to [f, cin, kh, kw], `<m>.bias`;
 * - BatchNormalization -> nn.BatchNorm1d/2d: `<m>.weight` (gamma; ones without `scale`), `<m>.bias`
 *   (beta; zeros without `center`), both absent when the layer has neither (affine = False),
 *   `<m>.running_mean`, `<m>.running_var` (PyTorch's `num_batches_tracked` is not written, and
 *   ignored when read).
 * - Embedding -> nn.Embedding: `<m>.weight` = embeddings as they are; TimeDistributed(X) as X;
 * - SimpleRNN / LSTM / GRU / Bidirectional -> nn.RNN / nn.LSTM / nn.GRU (torch-recurrent.ts).
 * `<m>` is the layer's name made a Python identifier ({@link torchModuleNames}).
 */
import { Tensor } from '../tensor/tensor.js';
import { timeDistributedInner, type LayerView } from './model-view.js';
import { rnnFromTorch, rnnToTorch, TORCH_RECURRENT, torchRecurrentEntries, type RnnPart } from './torch-recurrent.js';

/** One state_dict entry of a layer: its key, its PyTorch shape and the nabla weight it comes from. */
export interface TorchEntry {
  key: string;
  shape: number[];
  /** nabla's weight ('kernel', 'gamma', ...), or null for a fixed tensor nabla does not keep (gamma without `scale`). */
  short: string | null;
  /** The value to write when `short` is null (1 for a missing gamma, 0 for a missing beta). */
  fixed?: number;
  /** A recurrent layer's entry (its gate layout); entries sharing `short` add up to the nabla weight. */
  rnn?: RnnPart;
}

/** True for the layers whose weights are nn.Linear's. */
const isLinear = (layer: LayerView): boolean => layer.className === 'Dense';

/**
 * Python attribute names for the layers: the name with characters outside [A-Za-z0-9_] as '_',
 * prefixed with 'layer_' when it would start with a digit or is a Python keyword, made unique.
 */
export function torchModuleNames(layers: readonly Pick<LayerView, 'name'>[]): string[] {
  const used = new Set<string>(), keywords = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'forward', 'training']);
  return layers.map((l) => {
    let base = l.name.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base) || keywords.has(base) || base === '') base = `layer_${base}`;
    let name = base, i = 0;
    while (used.has(name)) name = `${base}_${++i}`;
    used.add(name);
    return name;
  });
}

/** The state_dict entries of one layer (none for layers without weights). */
export function torchEntries(layer: LayerView, m: string): TorchEntry[] {
  const c = layer.config as Record<string, unknown>;
  if (TORCH_RECURRENT.has(layer.className)) return torchRecurrentEntries(layer, m);
  switch (layer.className) {
    case 'Embedding': return [{ key: `${m}.weight`, shape: [c.inputDim as number, c.outputDim as number], short: 'embeddings' }];
    case 'TimeDistributed': return torchEntries(timeDistributedInner(layer), m);
    case 'Dense': {
      const [inF, units] = [layer.inShape[layer.inShape.length - 1]!, c.units as number];
      return [{ key: `${m}.weight`, shape: [units, inF], short: 'kernel' }, ...(c.useBias ? [{ key: `${m}.bias`, shape: [units], short: 'bias' }] : [])];
    }
    case 'Conv2D': {
      const [kh, kw] = c.kernelSize as number[], f = c.filters as number, cin = layer.inShape[3]!;
      return [{ key: `${m}.weight`, shape: [f, cin, kh!, kw!], short: 'kernel' }, ...(c.useBias ? [{ key: `${m}.bias`, shape: [f], short: 'bias' }] : [])];
    }
    case 'BatchNormalization': {
      const C = layer.inShape[layer.inShape.length - 1]!, affine = c.scale || c.center;
      return [
        ...(affine ? [
          c.scale ? { key: `${m}.weight`, shape: [C], short: 'gamma' } : { key: `${m}.weight`, shape: [C], short: null, fixed: 1 },
          c.center ? { key: `${m}.bias`, shape: [C], short: 'beta' } : { key: `${m}.bias`, shape: [C], short: null, fixed: 0 },
        ] : []),
        { key: `${m}.running_mean`, shape: [C], short: 'moving_mean' }, { key: `${m}.running_var`, shape: [C], short: 'moving_variance' },
      ];
    }
    default: return [];
  }
}

/** Transposes a rows x cols row-major matrix. */
function transpose(src: ArrayLike<number>, rows: number, cols: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[q * rows + r] = src[r * cols + q]!;
}

/**
 * A nabla weight in PyTorch's layout (entry.shape), as float32.
 * @param value the nabla tensor (ignored for a fixed entry).
 */
export function toTorch(layer: LayerView, e: TorchEntry, value: Tensor | null): Float32Array {
  if (layer.className === 'TimeDistributed') return toTorch(timeDistributedInner(layer), e, value);
  const n = e.shape.reduce((a, b) => a * b, 1), out = new Float32Array(n);
  if (e.short === null) return out.fill(e.fixed ?? 0);
  const src = value!.data;
  if (e.rnn) return rnnToTorch(e.rnn, src);
  if (e.short === 'kernel' && isLinear(layer)) transpose(src, e.shape[1]!, e.shape[0]!, out);
  else if (e.short === 'kernel') {
    const [f, cin, kh, kw] = e.shape as [number, number, number, number];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < cin; ci++) for (let o = 0; o < f; o++)
      out[((o * cin + ci) * kh + i) * kw + j] = src[((i * kw + j) * cin + ci) * f + o]!;
  } else out.set(src);
  return out;
}

/**
 * A PyTorch tensor (in entry.shape) in nabla's layout, for the weight `e.short` of shape `shape`.
 * @param dtype nabla's dtype for the result.
 */
export function fromTorch(layer: LayerView, e: TorchEntry, src: ArrayLike<number>, shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  if (layer.className === 'TimeDistributed') return fromTorch(timeDistributedInner(layer), e, src, shape, dtype);
  if (e.rnn) return rnnFromTorch(e.rnn, src, shape, dtype);
  const out = dtype === 'float64' ? new Float64Array(src.length) : new Float32Array(src.length);
  if (e.short === 'kernel' && isLinear(layer)) transpose(src, e.shape[0]!, e.shape[1]!, out);
  else if (e.short === 'kernel') {
    const [f, cin, kh, kw] = e.shape as [number, number, number, number];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < cin; ci++) for (let o = 0; o < f; o++)
      out[((i * kw + j) * cin + ci) * f + o] = src[((o * cin + ci) * kh + i) * kw + j]!;
  } else out.set(src as ArrayLike<number>);
  return new Tensor(out, shape);
}
