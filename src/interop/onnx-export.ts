/**
 * exportOnnx: a nabla model as an ONNX ModelProto (https://onnx.ai, IR version 8, the default
 * domain at opset 13 to 17), encoded with protobufjs from onnx.proto's schema
 * (onnx-schema.generated.ts). The graph takes and returns tensors in nabla's own layout (images
 * NHWC, the batch dimension symbolic as `batch`); inside, images run NCHW as ONNX's Conv and
 * pooling want them, with Transpose nodes only where the layout must change (onnx-graph.ts).
 *
 * Layer by layer (ONNX Operators.md, v1.12):
 * - Dense -> Gemm(X, W, b) with W = nabla's kernel [in, units] as it is (transB = 0);
 * - Conv2D -> Conv with the kernel permuted [kh, kw, cin, f] -> OIHW [f, cin, kh, kw] and
 *   TensorFlow's 'same' padding written as explicit `pads` [top, left, bottom, right] (the extra
 *   cell at the bottom/right, src/nn/layers/window.ts);
 * - MaxPooling2D / AveragePooling2D -> MaxPool / AveragePool with the same pads; average pooling
 *   leaves padded cells out of the divisor as nabla does (count_include_pad = 0);
 * - BatchNormalization -> BatchNormalization (inference form) with its epsilon written explicitly,
 *   gamma = 1 / beta = 0 where the layer has no scale / center; ONNX normalises axis 1, so images
 *   run NCHW and other ranks (a sequence [batch, T, F]) are transposed to [batch, F, T] and back;
 * - activations (also a kernel layer's own) -> onnx-activations.ts; Softmax over nabla's last axis;
 * - Dropout -> nothing (the identity at inference);
 * - Flatten -> a Transpose back to NHWC (nabla flattens rows h, w, c), then Flatten(axis = 1);
 * - SimpleRNN / LSTM / GRU / Bidirectional, Embedding, TimeDistributed (over any layer here: time
 *   folded into the batch) and Dense on sequences (MatMul + Add) -> onnx-sequence.ts; Masking is
 *   refused, naming the layer.
 */
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import type { ActivationName } from '../kernels/activation-registry.js';
import { axis } from '../nn/layers/window.js';
import { activationNodes } from './onnx-activations.js';
import { embeddingNodes, matMulNodes, ONNX_RECURRENT, recurrentNodes, refuseMasks, timeDistributedNodes } from './onnx-sequence.js';
import { batchValueInfo, OnnxGraphBuilder, type Flow } from './onnx-graph.js';
import { ONNX_SCHEMA } from './onnx-schema.generated.js';
import { unsupportedLayer, viewModel, weightOf, type ExportableModel, type LayerView } from './model-view.js';

/** The opsets exportOnnx writes: 13 (Softmax over one axis) to 17 (what python3-onnx 1.12's checker knows). */
export const ONNX_MIN_OPSET = 13;
export const ONNX_MAX_OPSET = 17;
/** ONNX IR version 8 (ONNX 1.10 to 1.12). */
const IR_VERSION = 8;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The default domain's opset, an integer in 13..17. Default 13. */
  opset?: number;
}

let modelProto: Protobuf.Type | null = null;
/**
 * The ModelProto message type, built once from the schema. protobufjs is loaded here, on the first
 * export, not when nabla is imported: its `long` dependency compiles a WebAssembly module at load,
 * and importing nabla compiles nothing.
 */
export function onnxModelType(): Protobuf.Type {
  if (modelProto) return modelProto;
  const protobuf = createRequire(import.meta.url)('protobufjs') as typeof Protobuf;
  modelProto = protobuf.Root.fromJSON(ONNX_SCHEMA as Protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelProto;
}

/** [top, left, bottom, right] padding of a window over an NHWC shape (TensorFlow's 'same', or none). */
function windowPads(inShape: readonly number[], kernel: readonly number[], strides: readonly number[], padding: string): number[] {
  const h = axis(inShape[1]!, kernel[0]!, strides[0]!, padding as 'same' | 'valid');
  const w = axis(inShape[2]!, kernel[1]!, strides[1]!, padding as 'same' | 'valid');
  return [h.padBefore, w.padBefore, h.padTotal - h.padBefore, w.padTotal - w.padBefore];
}

/** The axis holding nabla's last axis in the flow's layout (the channels of an NCHW image). */
function lastAxis(flow: Flow): number { return flow.layout === 'nchw' ? 1 : -1; }

/** Appends one layer's nodes; returns the new flow. */
function layerNodes(g: OnnxGraphBuilder, layer: LayerView, flow: Flow): Flow {
  const c = layer.config as Record<string, unknown>, base = layer.name;
  const activate = (f: Flow): Flow => ({ ...f, name: activationNodes(g, c.activation as ActivationName, f.name, `${base}/${String(c.activation)}`, { softmaxAxis: lastAxis(f) }) });
  if (ONNX_RECURRENT.has(layer.className)) return recurrentNodes(g, layer, flow);
  switch (layer.className) {
    case 'Embedding': return embeddingNodes(g, layer, flow);
    case 'TimeDistributed': return timeDistributedNodes(g, layer, flow, (inner, f) => layerNodes(g, inner, f));
    case 'Dense': {
      if (flow.shape.length > 2) return matMulNodes(g, layer, c, g.toLayout(flow, 'nhwc', base)); // over nabla's last axis
      const kernel = weightOf(layer, 'kernel');
      const inputs = [flow.name, g.constant(`${base}/kernel`, kernel.data, kernel.shape)];
      if (c.useBias) inputs.push(g.constant(`${base}/bias`, weightOf(layer, 'bias').data, [c.units as number]));
      return activate({ name: g.node('Gemm', inputs, `${base}/Gemm`), layout: 'plain', shape: layer.outShape });
    }
    case 'Conv2D': {
      const x = g.toLayout(flow, 'nchw', base), k = weightOf(layer, 'kernel');
      const [kh, kw, cin, f] = k.shape as [number, number, number, number];
      const oihw = new Float32Array(k.size);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < cin; ci++) for (let o = 0; o < f; o++)
        oihw[((o * cin + ci) * kh + i) * kw + j] = k.data[((i * kw + j) * cin + ci) * f + o]!;
      const inputs = [x.name, g.constant(`${base}/kernel`, oihw, [f, cin, kh, kw])];
      if (c.useBias) inputs.push(g.constant(`${base}/bias`, weightOf(layer, 'bias').data, [f]));
      const conv = g.node('Conv', inputs, `${base}/Conv`, {
        kernel_shape: { ints: [kh, kw] }, strides: { ints: c.strides as number[] }, dilations: { ints: [1, 1] }, group: { i: 1 },
        pads: { ints: windowPads(layer.inShape, [kh, kw], c.strides as number[], c.padding as string) },
      });
      return activate({ name: conv, layout: 'nchw', shape: layer.outShape });
    }
    case 'MaxPooling2D': case 'AveragePooling2D': {
      const x = g.toLayout(flow, 'nchw', base), max = layer.className === 'MaxPooling2D';
      const pool = g.node(max ? 'MaxPool' : 'AveragePool', [x.name], `${base}/${max ? 'MaxPool' : 'AveragePool'}`, {
        kernel_shape: { ints: c.poolSize as number[] }, strides: { ints: c.strides as number[] },
        pads: { ints: windowPads(layer.inShape, c.poolSize as number[], c.strides as number[], c.padding as string) },
        ...(max ? {} : { count_include_pad: { i: 0 } }),
      });
      return { name: pool, layout: 'nchw', shape: layer.outShape };
    }
    case 'BatchNormalization': {
      const rank = layer.inShape.length, C = layer.inShape[rank - 1]!;
      // ONNX normalises axis 1: images go NCHW; another rank (a sequence [batch, T, F]) has its last axis moved to 1 and back.
      const moved = rank !== 2 && rank !== 4, perm = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
      const x = moved ? { ...flow, name: g.node('Transpose', [flow.name], `${base}/features_first`, { perm: { ints: perm } }) } : g.toLayout(flow, 'nchw', base);
      const param = (short: string, fill: number) => layer.weights.has(short)
        ? g.constant(`${base}/${short}`, weightOf(layer, short).data, [C]) : g.constant(`${base}/${short}`, new Float32Array(C).fill(fill), [C]);
      const bn = g.node('BatchNormalization', [x.name, param('gamma', 1), param('beta', 0), param('moving_mean', 0), param('moving_variance', 1)],
        `${base}/BatchNormalization`, { epsilon: { f: c.epsilon as number } });
      if (!moved) return { ...x, name: bn };
      return { ...flow, name: g.node('Transpose', [bn], `${base}/features_last`, { perm: { ints: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1] } }) };
    }
    case 'Activation': return activate(flow);
    case 'LeakyReLU': case 'ELU': {
      const act = layer.className === 'ELU' ? 'elu' : 'leakyRelu';
      return { ...flow, name: activationNodes(g, act, flow.name, `${base}/${act}`, { alpha: c.alpha as number }) };
    }
    case 'Dropout': return flow;
    case 'Flatten': {
      if (layer.inShape.length === 2) return flow;
      const x = g.toLayout(flow, 'nhwc', base);
      return { name: g.node('Flatten', [x.name], `${base}/Flatten`, { axis: { i: 1 } }), layout: 'plain', shape: layer.outShape };
    }
    default: throw unsupportedLayer('exportOnnx', layer);
  }
}

/**
 * Exports a model as a serialised ONNX ModelProto. The graph's input `input` and output `output`
 * are float32 in nabla's layout, [batch, ...inputShape] and [batch, ...outputShape], with the
 * batch size symbolic; weights are written as float32 initializers (a float64 model is rounded).
 * The result runs in ONNX Runtime and passes the ONNX checker (test/interop/onnx-export.test.ts).
 * @param model a Sequential (built first when needed).
 * @param options `opset` (13..17, default 13).
 * @returns the ModelProto's bytes (a `.onnx` file's content).
 * @throws RangeError for an opset outside 13..17; Error naming the layer for a layer class with no
 *   ONNX conversion here ("unsupported layer X"), Masking (also inside TimeDistributed), an
 *   Embedding's maskZero feeding a recurrent layer, a recurrent activation the ONNX ops lack.
 */
export function exportOnnx(model: ExportableModel, options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? ONNX_MIN_OPSET;
  if (!Number.isInteger(opset) || opset < ONNX_MIN_OPSET || opset > ONNX_MAX_OPSET)
    throw new RangeError(`exportOnnx: opset must be an integer from ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}, got ${String(opset)}`);
  const layers = viewModel(model);
  refuseMasks(layers);
  const g = new OnnxGraphBuilder();
  const inputShape = [1, ...model.inputShape!];
  let flow: Flow = { name: g.fresh('input'), layout: inputShape.length === 4 ? 'nhwc' : 'plain', shape: inputShape };
  const inputName = flow.name;
  for (const layer of layers) flow = layerNodes(g, layer, flow);
  if (flow.shape.length === 4) flow = g.toLayout(flow, 'nhwc', 'output');
  const outName = g.fresh('output');
  g.nodes.push({ op_type: 'Identity', input: [flow.name], output: [outName], name: g.fresh('output/node'), attribute: [] });
  const graph = {
    name: model.name, node: g.nodes, initializer: g.initializers,
    input: [batchValueInfo(inputName, inputShape)], output: [batchValueInfo(outName, flow.shape)],
  };
  const type = onnxModelType();
  const message = type.fromObject({
    ir_version: IR_VERSION, producer_name: 'nabla', producer_version: '0.1.0', graph,
    opset_import: [{ domain: '', version: opset }],
    doc_string: `exported by nabla from the Sequential '${model.name}'; input and output in nabla's layout (images NHWC)`,
  });
  return type.encode(message).finish();
}
