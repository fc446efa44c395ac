/**
 * The sequence layers for PyTorch (exportTorch / importTorchState / model.py):
 * - SimpleRNN / LSTM / GRU -> nn.RNN / nn.LSTM / nn.GRU (batch_first=True; a Bidirectional ->
 *   bidirectional=True, keys `_reverse` for the backward half): weight_ih_l0 [G u, F] = kernel^T,
 *   weight_hh_l0 [G u, u] = recurrent_kernel^T with the gate blocks in PyTorch's order (LSTM
 *   i, f, g, o = Keras's i, f, c, o; GRU r, z, n from Keras's z, r, h); Keras's one bias is
 *   bias_ih_l0 with bias_hh_l0 = 0 (read back as their sum); a GRU with resetAfter (PyTorch's only
 *   GRU) has bias_ih_l0 = bias[0], bias_hh_l0 = bias[1]. A GRU without resetAfter, activations
 *   other than PyTorch's (tanh and sigmoid gates; nn.RNN tanh or relu), stateful layers and masks
 *   (Masking; an Embedding's maskZero feeding a recurrent layer) are refused, naming the layer.
 * - goBackwards: the input is flipped in time (x.flip(1)) and the sequence kept in processing
 *   order, as nabla returns it; returnSequences false: the last state h_n.
 * - Embedding -> nn.Embedding (`weight` = embeddings); TimeDistributed(Dense) -> nn.Linear.
 * Layout mapping: scripts/fixtures/recurrent_fixtures.py.
 */
import { Tensor } from '../tensor/tensor.js';
import { gateBlocks, gateRowsFromKeras, gateRowsToKeras } from './gate-layout.js';
import type { LayerView } from './model-view.js';

/** One state_dict entry of a recurrent layer. */
export interface RnnPart {
  /** 'W' weight_ih, 'R' weight_hh, 'bih' bias_ih, 'bhh' bias_hh. */
  kind: 'W' | 'R' | 'bih' | 'bhh';
  cls: string; units: number; inDim: number; resetAfter: boolean;
}

/** For each PyTorch gate block, the Keras block it comes from. */
const TORCH_ORDER: Record<string, number[]> = { SimpleRNN: [0], LSTM: [0, 1, 2, 3], GRU: [1, 0, 2] };
const MODULE: Record<string, string> = { SimpleRNN: 'nn.RNN', LSTM: 'nn.LSTM', GRU: 'nn.GRU' };
export const TORCH_RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']);

/** The recurrent config (a Bidirectional's inner one) and the directions' weight prefixes. */
function recurrentParts(layer: LayerView): { c: Record<string, unknown>; prefixes: string[]; bidi: boolean } {
  const bidi = layer.className === 'Bidirectional', lc = layer.config as Record<string, unknown>;
  return { c: (bidi ? lc.layer : lc) as Record<string, unknown>, prefixes: bidi ? ['forward/', 'backward/'] : [''], bidi };
}

/**
 * Refuses what nn.RNN / nn.LSTM / nn.GRU cannot compute, naming the layer.
 * @throws Error for a GRU without resetAfter, other activations, a stateful layer.
 */
export function checkTorchRecurrent(layer: LayerView): void {
  const { c } = recurrentParts(layer), cls = String(c.className), who = `exportTorch: ${layer.className} '${layer.name}'`;
  if (c.stateful) throw new Error(`${who}: a stateful layer is not exported`);
  if (cls === 'SimpleRNN' && c.activation !== 'tanh' && c.activation !== 'relu')
    throw new Error(`${who}: activation '${String(c.activation)}': nn.RNN has tanh and relu only`);
  if (cls !== 'SimpleRNN' && (c.activation !== 'tanh' || c.recurrentActivation !== 'sigmoid'))
    throw new Error(`${who}: ${MODULE[cls]} computes activation 'tanh' with recurrentActivation 'sigmoid' only, the layer has '${String(c.activation)}' and '${String(c.recurrentActivation)}'`);
  if (cls === 'GRU' && c.resetAfter !== true)
    throw new Error(`${who}: resetAfter false (the reset gate before the recurrent product) cannot be represented by nn.GRU, which applies it after; build the GRU with resetAfter: true (the default) to export it`);
}

/** The state_dict entries of a recurrent layer or Bidirectional `m`, with their nabla weight (short name). */
export function torchRecurrentEntries(layer: LayerView, m: string): { key: string; shape: number[]; short: string; rnn: RnnPart }[] {
  checkTorchRecurrent(layer);
  const { c, prefixes } = recurrentParts(layer), cls = String(c.className), u = c.units as number, F = layer.inShape[2]!;
  const Gu = TORCH_ORDER[cls]!.length * u, base = { cls, units: u, inDim: F, resetAfter: c.resetAfter === true };
  return prefixes.flatMap((p, d) => {
    const suffix = d === 0 ? '' : '_reverse';
    return [
      { key: `${m}.weight_ih_l0${suffix}`, shape: [Gu, F], short: `${p}kernel`, rnn: { ...base, kind: 'W' as const } },
      { key: `${m}.weight_hh_l0${suffix}`, shape: [Gu, u], short: `${p}recurrent_kernel`, rnn: { ...base, kind: 'R' as const, inDim: u } },
      ...(c.useBias ? [
        { key: `${m}.bias_ih_l0${suffix}`, shape: [Gu], short: `${p}bias`, rnn: { ...base, kind: 'bih' as const } },
        { key: `${m}.bias_hh_l0${suffix}`, shape: [Gu], short: `${p}bias`, rnn: { ...base, kind: 'bhh' as const } },
      ] : []),
    ];
  });
}

/** A nabla weight as the PyTorch tensor of entry `r`. */
export function rnnToTorch(r: RnnPart, src: ArrayLike<number>): Float32Array {
  const order = TORCH_ORDER[r.cls]!, Gu = order.length * r.units;
  if (r.kind === 'W' || r.kind === 'R') return gateRowsFromKeras(src, r.inDim, r.units, order);
  if (r.kind === 'bih') return gateBlocks(src, r.units, order);
  return r.resetAfter ? gateBlocks(src, r.units, order, Gu) : new Float32Array(Gu);
}

/**
 * A PyTorch tensor as its contribution to the nabla weight of `shape`: the whole kernel, or the
 * bias's part (LSTM / SimpleRNN: b_ih and b_hh each in full, to be added; GRU: its row of [2, 3u]).
 */
export function rnnFromTorch(r: RnnPart, src: ArrayLike<number>, shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  const order = TORCH_ORDER[r.cls]!, Gu = order.length * r.units, n = shape.reduce((a, b) => a * b, 1);
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (r.kind === 'W' || r.kind === 'R') gateRowsToKeras(src, r.inDim, r.units, order, out);
  else {
    const at = r.kind === 'bhh' && r.resetAfter ? Gu : 0;
    order.forEach((kb, b) => { for (let j = 0; j < r.units; j++) out[at + kb * r.units + j] = src[b * r.units + j]!; });
  }
  return new Tensor(out, shape);
}

/** model.py's constructor and forward lines for a recurrent layer or Bidirectional (`m` = 'self.<module>'). */
export function recurrentPy(layer: LayerView, m: string): { init: string; fwd: string[] } {
  checkTorchRecurrent(layer);
  const { c, bidi } = recurrentParts(layer), cls = String(c.className), u = c.units as number;
  const merge = bidi ? String((layer.config as Record<string, unknown>).mergeMode) : 'concat';
  const extra = cls === 'SimpleRNN' ? `, nonlinearity='${String(c.activation)}'` : '';
  const init = `${m} = ${MODULE[cls]}(${layer.inShape[2]}, ${u}, batch_first=True, bias=${c.useBias ? 'True' : 'False'}${bidi ? ', bidirectional=True' : ''}${extra})`;
  const fwd: string[] = [];
  if (c.goBackwards) fwd.push("x = x.flip(1)  # goBackwards: the sequence's last step first");
  fwd.push(`out, h_n = ${m}(x)`);
  if (cls === 'LSTM') fwd.push('h_n = h_n[0]  # (h_n, c_n)');
  const [a, b] = c.returnSequences ? [`out[..., :${u}]`, `out[..., ${u}:]`] : ['h_n[0]', 'h_n[1]'];
  if (!bidi) fwd.push(`x = ${c.returnSequences ? 'out' : 'h_n[0]'}`);
  else if (merge === 'concat') fwd.push(`x = ${c.returnSequences ? 'out' : `torch.cat([${a}, ${b}], dim=-1)`}`);
  else fwd.push(`x = ${merge === 'sum' ? `${a} + ${b}` : merge === 'mul' ? `${a} * ${b}` : `(${a} + ${b}) / 2`}  # mergeMode '${merge}'`);
  return { init, fwd };
}

/**
 * Refuses masks, which the module could not honour: Masking, and an Embedding with maskZero
 * followed by a recurrent layer.
 * @throws Error naming the layer.
 */
export function refuseTorchMasks(layers: readonly LayerView[]): void {
  layers.forEach((l, i) => {
    if (l.className === 'Masking') throw new Error(`exportTorch: Masking '${l.name}' has no PyTorch form here (nn.LSTM / nn.GRU cannot skip masked steps without packed sequences); remove it to export the model`);
    if (l.className === 'Embedding' && (l.config as Record<string, unknown>).maskZero && layers.slice(i + 1).some((n) => TORCH_RECURRENT.has(n.className)))
      throw new Error(`exportTorch: Embedding '${l.name}' has maskZero, which the recurrent layers after it honour and nn.LSTM / nn.GRU do not; build the model with maskZero: false to export it`);
  });
}
