/**
 * A built-in layer called on tensors inside a gradient call (`layer.call(x)` in `grad`,
 * `valueAndGrads`, a custom training loop): ONE tape node whose forward is the layer's fused
 * forward and whose vector-Jacobian product is its fused backward, instead of a replay of many
 * small ops (docs/design.md, "Models and the tape").
 */
import { isRecording, makeTensor, record, requiresGrad, type AnyTensor } from '../ops/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from './param.js';

/** What the tape needs of a layer (Layer's contract; kept structural so this module does not import layer.ts). */
export interface FusedLayer {
  readonly className: string;
  forward(x: Tensor, training: boolean): Tensor;
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null;
  params(): Param[];
  describe(): string;
}

/** The application a layer's cached forward belongs to (a layer caches one forward at a time). */
const lastApplication = new WeakMap<FusedLayer, number>();
let applications = 0;

/** A tracked copy of a kernel result (a workspace buffer that the layer's next pass overwrites). */
function trackedCopy(t: Tensor): Tensor {
  const out = makeTensor(t.dtype, t.shape);
  out.data.set(t.data);
  return out;
}

/**
 * y = layer(x) as one op: a tracked copy of the fused forward's output, taped (when a gradient
 * call is running and x or a trainable weight is watched or taped) with inputs [x, ...trainable
 * weights' values] and a product that runs the fused backward: dx, and each weight's gradient
 * (also left in the weight's `grad`, as a model's backward leaves it).
 * @throws Error (when differentiated) if the layer ran forward again since this application
 *   (its cache now belongs to the later one: use one layer object per application on a tape),
 *   or if the backward pass is itself taped (a second derivative through a fused backward).
 */
export function callFused(layer: FusedLayer, x: Tensor, training: boolean): Tensor {
  const y = layer.forward(x, training);
  const out = trackedCopy(y);
  if (!isRecording()) return out;
  const params = layer.params().filter((p) => p.trainable);
  const inputs = [x, ...params.map((p) => p.value)] as AnyTensor[];
  if (!inputs.some(requiresGrad)) return out;
  const id = ++applications;
  lastApplication.set(layer, id);
  record(layer.className, out as AnyTensor, inputs, (dy, needs) => {
    if (lastApplication.get(layer) !== id)
      throw new Error(`${layer.describe()}: called again on the tape before the gradient of an earlier call was taken; its fused backward keeps one forward pass: use a separate layer object per call`);
    if (isRecording())
      throw new Error(`${layer.describe()}: a second derivative through a built-in layer's fused backward is not available; write the layer with ops (CustomLayer) to differentiate its gradient`);
    const dx = layer.backward(dy, needs[0] === true);
    return [dx && needs[0] ? trackedCopy(dx) : null, ...params.map((p, i) => (needs[i + 1] ? trackedCopy(p.grad) : null))];
  });
  return out;
}
