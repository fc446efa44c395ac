/**
 * Keras layer configs (snake_case, as TF.js's `model.save` and tensorflowjs_converter write them in
 * model.json's `modelTopology`) to nabla's layer configs and back, for the layer classes both
 * have: Dense, Conv2D, MaxPooling2D, AveragePooling2D, BatchNormalization, Dropout, Flatten,
 * Activation, LeakyReLU, ELU (and, reading, Keras's ReLU and Softmax layers); the sequence layers
 * (Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed) are in
 * tfjs-sequence.ts. Keras's activation names are its snake_case identifiers ('hard_sigmoid',
 * 'gelu_new'; tfjs-keras-config.ts).
 */
import type { ActivationName } from '../kernels/activation-registry.js';
import type { SavedLayer } from '../io/model-format.js';
import type { LayerView } from './model-view.js';
import { fail, kerasActivation, only, onlyFloat32, TO_KERAS, type At } from './tfjs-keras-config.js';
import { SEQUENCE_CLASSES, sequenceFromKeras, sequenceToKeras } from './tfjs-sequence.js';

function activation(c: Record<string, unknown>, at: At): ActivationName { return kerasActivation(c, at); }

const pair = (v: unknown): unknown => (typeof v === 'number' ? [v, v] : v);
const channelsLast = (c: Record<string, unknown>, at: At): void => only(c, at, 'data_format', 'channels_last');

/**
 * One Keras layer as nabla layer configs: [] for layers that do nothing at inference in nabla's
 * terms (InputLayer is handled by the caller), one config otherwise.
 * @param className Keras's class_name; `c` its config.
 * @throws ModelFileError (E_UNSUPPORTED) naming the layer for a class or option nabla lacks (a
 *   nested model and a Lambda layer among them).
 */
export function layerFromKeras(className: string, c: Record<string, unknown>, at: At): SavedLayer[] {
  const common: Record<string, unknown> = { name: at.name, ...(c.trainable === false ? { trainable: false } : {}) };
  onlyFloat32(c, at);
  only(c, at, 'lora_rank'); // Keras 3's LoRA adapters would be weights nabla does not add
  if (SEQUENCE_CLASSES.has(className)) return sequenceFromKeras(className, c, at, common, layerFromKeras);
  switch (className) {
    case 'Dense':
      return [{ className: 'Dense', config: { ...common, units: c.units, activation: activation(c, at), useBias: c.use_bias ?? true } }];
    case 'Conv2D': case 'Convolution2D':
      channelsLast(c, at); only(c, at, 'dilation_rate', 1, [1, 1]); only(c, at, 'groups', 1); only(c, at, 'padding', 'valid', 'same');
      return [{ className: 'Conv2D', config: { ...common, filters: c.filters, kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1),
        padding: c.padding ?? 'valid', activation: activation(c, at), useBias: c.use_bias ?? true } }];
    case 'MaxPooling2D': case 'MaxPool2D': case 'AveragePooling2D': case 'AvgPool2D': {
      channelsLast(c, at); only(c, at, 'padding', 'valid', 'same');
      const poolSize = pair(c.pool_size ?? 2);
      return [{ className: className.startsWith('Max') ? 'MaxPooling2D' : 'AveragePooling2D',
        config: { ...common, poolSize, strides: pair(c.strides ?? poolSize), padding: c.padding ?? 'valid' } }];
    }
    case 'BatchNormalization':
      only(c, at, 'axis', -1, [-1], 1, [1], 2, [2], 3, [3]); // a positive axis is checked against the input's rank by the caller
      only(c, at, 'renorm', false); // batch renormalisation: extra weights and another training rule
      return [{ className: 'BatchNormalization', config: { ...common, momentum: c.momentum ?? 0.99, epsilon: c.epsilon ?? 1e-3, center: c.center ?? true, scale: c.scale ?? true } }];
    case 'Dropout':
      only(c, at, 'noise_shape');
      return [{ className: 'Dropout', config: { ...common, rate: c.rate } }];
    case 'Flatten': channelsLast(c, at); return [{ className: 'Flatten', config: common }];
    case 'Activation': return [{ className: 'Activation', config: { ...common, activation: activation(c, at) } }];
    case 'Softmax': only(c, at, 'axis', -1, [-1]); return [{ className: 'Activation', config: { ...common, activation: 'softmax' } }];
    case 'LeakyReLU': return [{ className: 'LeakyReLU', config: { ...common, alpha: c.alpha ?? c.negative_slope ?? 0.3 } }];
    case 'ELU': return [{ className: 'ELU', config: { ...common, alpha: c.alpha ?? 1 } }];
    case 'ReLU':
      only(c, at, 'negative_slope', 0); only(c, at, 'threshold', 0); only(c, at, 'max_value', 6);
      return [{ className: 'Activation', config: { ...common, activation: c.max_value === 6 ? 'relu6' : 'relu' } }];
    case 'Functional': case 'Sequential': case 'Model':
      return fail(at, 'a nested model: nabla reads one flat Sequential or plain-chain Functional model; flatten it in Keras (call its layers in one model)', 'E_UNSUPPORTED');
    case 'Lambda': return fail(at, 'a Lambda layer holds Python code, which nabla never runs; rebuild the model without it', 'E_UNSUPPORTED');
    default: return fail(at, `layer class ${className} has no nabla equivalent`, 'E_UNSUPPORTED');
  }
}

/**
 * A nabla layer as Keras layer configs for TF.js (`modelTopology.config.layers`): one, or two
 * for a kernel layer whose activation TF.js only has as a layer (leakyRelu: a LeakyReLU layer
 * `<name>_leaky_relu` follows).
 * @throws Error naming the layer for a layer class or activation TF.js lacks ('step', 'geluTanh').
 */
export function layerToKeras(layer: LayerView, batchInputShape: (number | null)[] | null): { class_name: string; config: Record<string, unknown> }[] {
  const c = layer.config as Record<string, unknown>;
  const common = { name: layer.name, trainable: c.trainable !== false, dtype: 'float32', ...(batchInputShape ? { batch_input_shape: batchInputShape } : {}) };
  const who = `exportTfjs: ${layer.className} '${layer.name}'`;
  const act = (name: ActivationName): string => {
    if (name === 'step') throw new Error(`${who}: activation 'step' has no TF.js equivalent`);
    // TF.js registers 'gelu_new' but camel-cases config strings on load ('geluNew'), so it cannot read it back.
    if (name === 'geluTanh') throw new Error(`${who}: activation 'geluTanh' (gelu_new) cannot be loaded by tf.loadLayersModel`);
    return TO_KERAS[name] ?? name;
  };
  const kernelLayer = (className: string, own: Record<string, unknown>) => {
    const a = c.activation as ActivationName, leaky = a === 'leakyRelu';
    const main = { class_name: className, config: { ...common, ...own, activation: leaky ? 'linear' : act(a), use_bias: c.useBias,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } };
    return leaky ? [main, { class_name: 'LeakyReLU', config: { name: `${layer.name}_leaky_relu`, trainable: true, dtype: 'float32', alpha: 0.3 } }] : [main];
  };
  switch (layer.className) {
    case 'Dense': return kernelLayer('Dense', { units: c.units });
    case 'Conv2D': return kernelLayer('Conv2D', { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides, padding: c.padding,
      data_format: 'channels_last', dilation_rate: [1, 1] });
    case 'MaxPooling2D': case 'AveragePooling2D':
      return [{ class_name: layer.className, config: { ...common, pool_size: c.poolSize, strides: c.strides, padding: c.padding, data_format: 'channels_last' } }];
    case 'BatchNormalization':
      return [{ class_name: 'BatchNormalization', config: { ...common, axis: -1, momentum: c.momentum, epsilon: c.epsilon, center: c.center, scale: c.scale } }];
    case 'Dropout': return [{ class_name: 'Dropout', config: { ...common, rate: c.rate } }];
    case 'Flatten': return [{ class_name: 'Flatten', config: common }];
    case 'Activation': return [{ class_name: 'Activation', config: { ...common, activation: act(c.activation as ActivationName) } }];
    case 'ELU':
      if (c.alpha !== 1) throw new Error(`exportTfjs: ELU '${layer.name}' has alpha ${String(c.alpha)}; TensorFlow.js's ELU layer loads only alpha 1 (its "not supported yet")`);
      return [{ class_name: 'ELU', config: { ...common, alpha: 1 } }];
    case 'LeakyReLU': return [{ class_name: 'LeakyReLU', config: { ...common, alpha: c.alpha } }];
    case 'Embedding': case 'Masking': case 'SimpleRNN': case 'LSTM': case 'GRU': case 'Bidirectional': case 'TimeDistributed':
      return sequenceToKeras(layer, common, act, (inner) => layerToKeras(inner, null));
    default: throw new Error(`exportTfjs: unsupported layer ${layer.className} '${layer.name}' (no conversion for this layer class yet)`);
  }
}
