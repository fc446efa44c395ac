/**
 * nabla's sequence layers as ONNX nodes (opsets 13 to 17; ONNX Operators.md v1.12 for each op):
 * - SimpleRNN / LSTM / GRU -> RNN / LSTM / GRU, and Bidirectional -> the same op with
 *   direction 'bidirectional'. Weights W [dirs, G u, F], R [dirs, G u, u], B [dirs, 2 G u] = [Wb, Rb]:
 *   ONNX's LSTM orders its gate blocks i, o, f, c (Keras: i, f, c, o), its GRU z, r, h (as Keras);
 *   Keras's one LSTM / SimpleRNN bias is Wb (Rb = 0); a GRU with resetAfter is
 *   `linear_before_reset = 1` with B = [bias[0], bias[1]], without it `linear_before_reset = 0`
 *   with Rb = 0.
 * - The ops take time first ([T, batch, F], layout 0; ONNX Runtime's CPU kernels refuse
 *   `layout = 1`), so a Transpose brings nabla's [batch, T, F] in and the output back.
 * - goBackwards reverses the input in time (Slice with step -1) and runs forwards: nabla (as Keras)
 *   returns the backward sequence in processing order, which is exactly that. In a Bidirectional,
 *   ONNX's reverse direction returns its outputs aligned with the input's steps, as Keras's
 *   Bidirectional does after reversing its backward sequence.
 * - returnSequences false -> Y_h, the last step's state; merge modes concat (Reshape), sum, mul,
 *   ave (ReduceSum / ReduceProd / ReduceMean over the direction axis).
 * - Embedding -> Cast to int64, Gather(embeddings, ids, axis 0).
 * - Dense on [batch, T, F] and TimeDistributed(Dense) -> MatMul + Add (+ activation); TimeDistributed
 *   over another layer -> Reshape (time folded into the batch), that layer's nodes, Reshape back.
 * Masks (Masking, Embedding with maskZero feeding a recurrent layer) have no ONNX form here and
 * are refused by the caller.
 */
import type { ActivationName } from '../kernels/activation-registry.js';
import { gateBlocks, gateRowsFromKeras } from './gate-layout.js';
import { activationNodes } from './onnx-activations.js';
import type { AttributeValue, Flow, OnnxGraphBuilder } from './onnx-graph.js';
import { timeDistributedInner, weightOf, type LayerView } from './model-view.js';

/** The recurrent classes handled by {@link recurrentNodes}. */
export const ONNX_RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']);

/** For each ONNX gate block, the Keras block it comes from. */
const GATE_ORDER: Record<string, number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const OP: Record<string, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** An activation as an ONNX recurrent op's activation name with its alpha / beta, or null when the op has none. */
function rnnActivation(a: ActivationName): { name: string; alpha?: number; beta?: number } | null {
  switch (a) {
    case 'sigmoid': return { name: 'Sigmoid' };
    case 'tanh': return { name: 'Tanh' };
    case 'relu': return { name: 'Relu' };
    case 'softsign': return { name: 'Softsign' };
    case 'softplus': return { name: 'Softplus' };
    case 'elu': return { name: 'Elu', alpha: 1 };
    case 'hardSigmoid': return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'linear': return { name: 'Affine', alpha: 1, beta: 0 };
    default: return null;
  }
}

/** One direction's W [G u, F], R [G u, u] and B [2 G u] from nabla's kernel [F, G u], recurrent_kernel [u, G u] and bias. */
function directionWeights(layer: LayerView, prefix: string, cls: string, c: Record<string, unknown>, F: number) {
  const u = c.units as number, order = GATE_ORDER[cls]!, Gu = order.length * u;
  const W = gateRowsFromKeras(weightOf(layer, `${prefix}kernel`).data, F, u, order);
  const R = gateRowsFromKeras(weightOf(layer, `${prefix}recurrent_kernel`).data, u, u, order);
  const B = new Float32Array(2 * Gu);
  if (c.useBias) {
    const bias = weightOf(layer, `${prefix}bias`).data;
    B.set(gateBlocks(bias, u, order));
    if (cls === 'GRU' && c.resetAfter === true) B.set(gateBlocks(bias, u, order, Gu), Gu);
  }
  return { W, R, B };
}

/** The flow reversed along time (axis 1 of [batch, T, ...]). */
function reverseTime(g: OnnxGraphBuilder, flow: Flow, base: string): Flow {
  const T = flow.shape[1]!;
  const name = g.node('Slice', [flow.name, g.int64s(`${base}/rev_starts`, [-1]), g.int64s(`${base}/rev_ends`, [-T - 1]),
    g.int64s(`${base}/rev_axes`, [1]), g.int64s(`${base}/rev_steps`, [-1])], `${base}/reverse_time`);
  return { ...flow, name };
}

/**
 * Appends an RNN / LSTM / GRU node for a recurrent layer or a Bidirectional; returns the flow of
 * its output in nabla's layout ([batch, T, units'] or [batch, units']).
 * @throws Error naming the layer for an activation the ONNX op lacks (only sigmoid, tanh, relu,
 *   softsign, softplus, elu, hardSigmoid and linear are available) or a stateful layer.
 */
export function recurrentNodes(g: OnnxGraphBuilder, layer: LayerView, flow: Flow): Flow {
  const bidi = layer.className === 'Bidirectional', base = layer.name;
  const c = (bidi ? (layer.config as Record<string, unknown>).layer : layer.config) as Record<string, unknown>;
  const cls = String(c.className), merge = bidi ? String((layer.config as Record<string, unknown>).mergeMode) : 'concat';
  const who = `exportOnnx: ${layer.className} '${layer.name}'`;
  if (c.stateful) throw new Error(`${who}: a stateful layer has no ONNX form (its states live between calls)`);
  const acts = (cls === 'SimpleRNN' ? [c.activation] : cls === 'LSTM' ? [c.recurrentActivation, c.activation, c.activation] : [c.recurrentActivation, c.activation])
    .map((a) => {
      const r = rnnActivation(a as ActivationName);
      if (!r) throw new Error(`${who}: activation '${String(a)}' has no ONNX ${OP[cls]} form (sigmoid, tanh, relu, softsign, softplus, elu, hardSigmoid, linear)`);
      return r;
    });
  const dirs = bidi ? 2 : 1, u = c.units as number, F = flow.shape[2]!, T = flow.shape[1]!;
  const parts = (bidi ? ['forward/', 'backward/'] : ['']).map((p) => directionWeights(layer, p, cls, c, F));
  const cat = (key: 'W' | 'R' | 'B') => { const out = new Float32Array(parts.reduce((s, p) => s + p[key].length, 0)); let at = 0; for (const p of parts) { out.set(p[key], at); at += p[key].length; } return out; };
  const G = GATE_ORDER[cls]!.length;
  let x = c.goBackwards ? reverseTime(g, flow, base) : flow;
  x = { ...x, name: g.node('Transpose', [x.name], `${base}/time_first`, { perm: { ints: [1, 0, 2] } }) };
  const all = Array.from({ length: dirs }, () => acts).flat();
  const attrs: Record<string, AttributeValue> = {
    hidden_size: { i: u }, direction: { s: bidi ? 'bidirectional' : 'forward' }, activations: { strings: all.map((a) => a.name) },
  };
  const alphas = all.filter((a) => a.alpha !== undefined).map((a) => a.alpha!), betas = all.filter((a) => a.beta !== undefined).map((a) => a.beta!);
  if (alphas.length) attrs.activation_alpha = { floats: alphas };
  if (betas.length) attrs.activation_beta = { floats: betas };
  if (cls === 'GRU') attrs.linear_before_reset = { i: c.resetAfter === true ? 1 : 0 };
  const inputs = [x.name, g.constant(`${base}/W`, cat('W'), [dirs, G * u, F]), g.constant(`${base}/R`, cat('R'), [dirs, G * u, u]), g.constant(`${base}/B`, cat('B'), [dirs, 2 * G * u])];
  const seq = c.returnSequences === true;
  const [Y, Yh] = g.nodeOutputs(OP[cls]!, inputs, `${base}/${OP[cls]}`, seq ? [true] : [false, true], attrs);
  // Y [T, dirs, batch, u] -> [batch, T, dirs, u]; Y_h [dirs, batch, u] -> [batch, dirs, u]; then merge the dirs axis.
  const batchFirst = seq ? g.node('Transpose', [Y!], `${base}/batch_first`, { perm: { ints: [2, 0, 1, 3] } })
    : g.node('Transpose', [Yh!], `${base}/batch_first`, { perm: { ints: [1, 0, 2] } });
  const dirAxis = seq ? 2 : 1, outShape = seq ? [1, T, merge === 'concat' ? dirs * u : u] : [1, merge === 'concat' ? dirs * u : u];
  let out: string;
  if (merge === 'concat') out = g.node('Reshape', [batchFirst, g.int64s(`${base}/shape`, seq ? [0, 0, -1] : [0, -1])], `${base}/merge`);
  else if (merge === 'sum') out = g.node('ReduceSum', [batchFirst, g.int64s(`${base}/axes`, [dirAxis])], `${base}/merge`, { keepdims: { i: 0 } });
  else out = g.node(merge === 'mul' ? 'ReduceProd' : 'ReduceMean', [batchFirst], `${base}/merge`, { axes: { ints: [dirAxis] }, keepdims: { i: 0 } });
  return { name: out, layout: 'plain', shape: outShape };
}

/**
 * x W + b (+ activation) over the last axis of a rank >= 2 flow (MatMul broadcasts the batch
 * axes), for Dense on sequences and TimeDistributed(Dense).
 * @param c the Dense layer's config; weights from `layer` ('kernel', 'bias').
 */
export function matMulNodes(g: OnnxGraphBuilder, layer: LayerView, c: Record<string, unknown>, flow: Flow): Flow {
  const base = layer.name, kernel = weightOf(layer, 'kernel');
  let y = g.node('MatMul', [flow.name, g.constant(`${base}/kernel`, kernel.data, kernel.shape)], `${base}/MatMul`);
  if (c.useBias) y = g.node('Add', [y, g.constant(`${base}/bias`, weightOf(layer, 'bias').data, [c.units as number])], `${base}/Add`);
  const a = c.activation as ActivationName;
  return { name: activationNodes(g, a, y, `${base}/${a}`, { softmaxAxis: -1 }), layout: 'plain', shape: layer.outShape };
}

/**
 * Embedding -> Gather(embeddings, Cast(ids, int64), axis 0): [batch, T] -> [batch, T, outputDim].
 * An id outside [0, inputDim) is an error in ONNX Runtime as in nabla.
 */
export function embeddingNodes(g: OnnxGraphBuilder, layer: LayerView, flow: Flow): Flow {
  const e = weightOf(layer, 'embeddings'), base = layer.name;
  const ids = g.node('Cast', [flow.name], `${base}/ids`, { to: { i: 7 } });
  return { name: g.node('Gather', [g.constant(`${base}/embeddings`, e.data, e.shape), ids], `${base}/Gather`, { axis: { i: 0 } }), layout: 'plain', shape: layer.outShape };
}

/**
 * TimeDistributed(inner): Dense, Activation and Dropout work on the last axis of any rank, so
 * they apply to [batch, T, ...] as they are (MatMul + Add for Dense); any other inner layer runs
 * with time folded into the batch, as nabla computes it: Reshape [batch, T, ...rest] ->
 * [batch T, ...rest], the inner layer's own nodes (`inner`, the exporter's per-layer conversion),
 * back to nabla's layout, Reshape -> [batch, T, ...out].
 * @param inner converts one layer (a LayerView with the one-step shapes) on a flow.
 * @throws Error naming the layer for an inner Masking (masks are not exported) or what `inner` refuses.
 */
export function timeDistributedNodes(g: OnnxGraphBuilder, layer: LayerView, flow: Flow, inner: (layer: LayerView, flow: Flow) => Flow): Flow {
  const view = timeDistributedInner(layer), base = layer.name;
  flow = g.toLayout(flow, 'nhwc', base); // time is nabla's axis 1
  switch (view.className) {
    case 'Dense': return matMulNodes(g, layer, view.config as Record<string, unknown>, flow);
    case 'Dropout': return flow;
    case 'Activation': {
      const a = (view.config as Record<string, unknown>).activation as ActivationName;
      return { ...flow, name: activationNodes(g, a, flow.name, `${base}/${a}`, { softmaxAxis: -1 }) };
    }
    case 'Masking': throw new Error(`exportOnnx: TimeDistributed '${base}' wraps Masking, which has no ONNX form here (masks are not exported)`);
    default: {
      const T = layer.inShape[1]!, rest = view.inShape.slice(1);
      const folded = g.node('Reshape', [flow.name, g.int64s(`${base}/fold_shape`, [-1, ...rest])], `${base}/fold_time`);
      let y = inner(view, { name: folded, layout: view.inShape.length === 4 ? 'nhwc' : 'plain', shape: view.inShape });
      if (y.shape.length === 4) y = g.toLayout(y, 'nhwc', base);
      const name = g.node('Reshape', [y.name, g.int64s(`${base}/unfold_shape`, [-1, T, ...view.outShape.slice(1)])], `${base}/unfold_time`);
      return { name, layout: 'plain', shape: layer.outShape };
    }
  }
}

/**
 * Refuses masks, which the exported graph could not honour: a Masking layer, and an Embedding
 * with maskZero followed by a recurrent layer (which would skip the padded steps).
 * @throws Error naming the layer.
 */
export function refuseMasks(layers: readonly LayerView[]): void {
  layers.forEach((l, i) => {
    if (l.className === 'Masking')
      throw new Error(`exportOnnx: Masking '${l.name}' has no ONNX form here (the recurrent ops cannot skip masked steps); remove it, or pad at the end and trim the outputs yourself`);
    if (l.className === 'Embedding' && (l.config as Record<string, unknown>).maskZero && layers.slice(i + 1).some((n) => ONNX_RECURRENT.has(n.className)))
      throw new Error(`exportOnnx: Embedding '${l.name}' has maskZero, which the recurrent layers after it honour and ONNX's recurrent ops cannot; build the model with maskZero: false to export it`);
  });
}
