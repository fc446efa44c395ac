/**
 * Building an ONNX graph (https://github.com/onnx/onnx/blob/v1.12.0/docs/IR.md) as the plain
 * objects of onnx.proto's messages (GraphProto, NodeProto, TensorProto, AttributeProto), for
 * protobufjs to encode (onnx-proto.ts). Names are made unique here; weights become float32
 * initializers; images move between nabla's NHWC and ONNX's NCHW with Transpose nodes, placed only
 * where an operator needs the other layout, so a Transpose is never followed by its inverse.
 */

/** TensorProto.DataType values used here (onnx.proto). */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** An AttributeProto value: a float, an int, a string, or a list of ints, floats or strings. */
export type AttributeValue = { f: number } | { i: number } | { s: string } | { ints: readonly number[] } | { floats: readonly number[] } | { strings: readonly string[] };

/** AttributeProto.AttributeType values (onnx.proto). */
const ATTRIBUTE_TYPE = { f: 1, i: 2, s: 3, floats: 6, ints: 7, strings: 8 } as const;

/** An attribute's value as protobufjs encodes it (strings as UTF-8 bytes). */
function attributeField(key: keyof typeof ATTRIBUTE_TYPE, value: unknown): unknown {
  const utf8 = (t: string) => new TextEncoder().encode(t);
  if (key === 's') return utf8(value as string);
  if (key === 'strings') return (value as string[]).map(utf8);
  return value;
}

/** The layout of the tensor flowing through the graph: images as nabla holds them or as ONNX's Conv wants them. */
export type Layout = 'nhwc' | 'nchw' | 'plain';

/** NHWC -> NCHW and back (ONNX Transpose's `perm`). */
const TO_NCHW = [0, 3, 1, 2], TO_NHWC = [0, 2, 3, 1];

/** A tensor in the graph: its name, its layout and its shape in nabla's layout (batch first, as nabla's layers compute it). */
export interface Flow { name: string; layout: Layout; shape: readonly number[] }

/**
 * Accumulates nodes and initializers of one graph. Every name it makes is unique within it.
 */
export class OnnxGraphBuilder {
  readonly nodes: Record<string, unknown>[] = [];
  readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet, from `base` ("dense_1/Gemm", then "dense_1/Gemm_1", ...). */
  fresh(base: string): string {
    let name = base, i = 0;
    while (this.used.has(name)) name = `${base}_${++i}`;
    this.used.add(name);
    return name;
  }

  /**
   * Adds a float32 initializer (its data copied into little-endian raw_data) and returns its name.
   * @param dims the tensor's shape; `values.length` must equal their product.
   * @throws RangeError when the lengths disagree.
   */
  constant(base: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new RangeError(`onnx initializer '${base}': ${values.length} values for shape [${dims.join(', ')}]`);
    const name = this.fresh(base);
    const raw = new Uint8Array(size * 4), view = new DataView(raw.buffer);
    for (let i = 0; i < size; i++) view.setFloat32(i * 4, values[i]!, true);
    this.initializers.push({ name, dims: [...dims], data_type: ONNX_FLOAT, raw_data: raw });
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(base: string, value: number): string { return this.constant(base, [value], []); }

  /** A 1-D int64 initializer (Reshape's shape, Slice's starts, ...) and its name. */
  int64s(base: string, values: readonly number[]): string {
    const name = this.fresh(base), raw = new Uint8Array(values.length * 8), view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], data_type: ONNX_INT64, raw_data: raw });
    return name;
  }

  /**
   * Adds a node with one output and returns the output's name.
   * @param attributes ONNX attributes by name.
   */
  node(opType: string, inputs: readonly string[], base: string, attributes: Record<string, AttributeValue> = {}): string {
    return this.nodeOutputs(opType, inputs, base, [true], attributes)[0]!;
  }

  /**
   * Adds a node whose outputs are named where `wanted[i]` is true and left out ('' , ONNX's
   * absent optional output) elsewhere; returns the output names ('' for the absent ones).
   */
  nodeOutputs(opType: string, inputs: readonly string[], base: string, wanted: readonly boolean[], attributes: Record<string, AttributeValue> = {}): string[] {
    const outputs = wanted.map((w, i) => (w ? this.fresh(i === 0 ? base : `${base}_${i}`) : ''));
    const attribute = Object.entries(attributes).map(([name, v]) => {
      const [key, value] = Object.entries(v)[0]! as [keyof typeof ATTRIBUTE_TYPE, unknown];
      return { name, type: ATTRIBUTE_TYPE[key], [key]: attributeField(key, value) };
    });
    this.nodes.push({ op_type: opType, input: [...inputs], output: outputs, name: this.fresh(`${base}/node`), attribute });
    return outputs;
  }

  /**
   * The flow in the wanted layout: a Transpose node when an image (rank 4) is in the other one
   * ('plain' counts as nabla's NHWC), nothing otherwise (so adjacent inverse transposes never arise).
   */
  toLayout(flow: Flow, want: 'nhwc' | 'nchw', base: string): Flow {
    if (flow.shape.length !== 4 || flow.layout === want || (flow.layout === 'plain' && want === 'nhwc')) return flow; // 'plain' is nabla's layout
    const name = this.node('Transpose', [flow.name], `${base}/to_${want}`, { perm: { ints: want === 'nchw' ? TO_NCHW : TO_NHWC } });
    return { name, layout: want, shape: flow.shape };
  }
}

/**
 * A ValueInfoProto for a float32 tensor whose first dimension is the symbolic `batch`.
 * @param shape the shape with the batch first (its value is ignored).
 */
export function batchValueInfo(name: string, shape: readonly number[]): Record<string, unknown> {
  const dim = [{ dim_param: 'batch' }, ...shape.slice(1).map((d) => ({ dim_value: d }))];
  return { name, type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim } } } };
}
