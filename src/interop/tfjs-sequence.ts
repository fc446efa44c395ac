/**
 * The sequence layers between Keras configs (snake_case, TF.js / tensorflowjs_converter's
 * model.json) and nabla's: Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional and
 * TimeDistributed. Keras's recurrent weights have nabla's layout (kernel [F, G u],
 * recurrent_kernel [u, G u], bias [G u]; GRU with reset_after [2, 3u]; gate orders i, f, c, o and
 * z, r, h), so only names differ: TF.js calls a Bidirectional's halves `<name>/forward_<inner>/...`
 * and `<name>/backward_<inner>/...`, Keras (Python) puts a cell scope in between
 * (`lstm/lstm_cell/kernel`); nabla's are `<name>.forward/kernel`.
 * TF.js's recurrent_activation defaults to hard_sigmoid where Keras's is sigmoid, so nabla writes
 * it explicitly and, reading a file without it, takes the default of the program that wrote it.
 * TF.js's GRU has no reset_after (its GRUCell refuses it): exportTfjs refuses a GRU with resetAfter.
 */
import type { SavedLayer } from '../io/model-format.js';
import type { LayerView } from './model-view.js';
export { nablaWeightName } from './model-view.js';
import { fail, kerasActivation, only, type At } from './tfjs-keras-config.js';

/** The Keras classes handled here. */
export const SEQUENCE_CLASSES = new Set(['Embedding', 'Masking', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'TimeDistributed']);
const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);
const SNAKE: Record<string, string> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

/** Reads a nested `{ class_name, config }` (Bidirectional's and TimeDistributed's `layer`). */
function nested(c: Record<string, unknown>, at: At): { className: string; config: Record<string, unknown> } {
  const l = c.layer as { class_name?: unknown; config?: unknown } | undefined;
  if (!l || typeof l !== 'object' || typeof l.class_name !== 'string' || !l.config || typeof l.config !== 'object')
    fail(at, 'layer must be { class_name, config }');
  return { className: l.class_name, config: l.config as Record<string, unknown> };
}

/** A nabla layer config without its name, as a wrapper holds it ({ className, ...options }). */
const innerConfig = (l: SavedLayer): Record<string, unknown> => { const { name: _n, ...rest } = l.config; return { className: l.className, ...rest }; };

/**
 * One sequence layer of a Keras file as a nabla layer config.
 * @param common the name (and trainable) every nabla config gets.
 * @param fromKeras the whole translation, for a wrapper's inner layer.
 * @throws ModelFileError (E_UNSUPPORTED) naming the layer for an option nabla lacks (return_state,
 *   time_major, a merge_mode of null, a backward_layer other than the mirrored forward one, a
 *   GRU's recurrent_dropout, Keras 3's hard_sigmoid).
 */
export function sequenceFromKeras(className: string, c: Record<string, unknown>, at: At, common: Record<string, unknown>,
                                  fromKeras: (className: string, c: Record<string, unknown>, at: At) => SavedLayer[]): SavedLayer[] {
  if (className === 'Embedding')
    return [{ className, config: { ...common, inputDim: c.input_dim, outputDim: c.output_dim, maskZero: c.mask_zero === true } }];
  if (className === 'Masking') return [{ className, config: { ...common, maskValue: c.mask_value ?? 0 } }];
  if (className === 'Bidirectional' || className === 'TimeDistributed') {
    const inner = nested(c, at), innerAt = { ...at, className: `${className}(${inner.className})` };
    if (className === 'Bidirectional' && !RECURRENT.has(inner.className)) fail(innerAt, `layer ${inner.className} is not SimpleRNN, LSTM or GRU`, 'E_UNSUPPORTED');
    if (className === 'Bidirectional' && c.merge_mode === null) fail(at, 'merge_mode null (a list of two outputs) is not supported by nabla', 'E_UNSUPPORTED');
    const converted = fromKeras(inner.className, inner.config, innerAt);
    if (converted.length !== 1) fail(innerAt, `layer ${inner.className} cannot be wrapped by nabla's ${className}`, 'E_UNSUPPORTED');
    const layer = innerConfig(converted[0]!);
    if (className === 'Bidirectional' && c.backward_layer != null) { // Keras 3 always writes it; nabla's backward half is the forward one going the other way
      const back = fromKeras(nested({ layer: c.backward_layer }, at).className, nested({ layer: c.backward_layer }, at).config, innerAt);
      const mirrored = back.length === 1 ? innerConfig(back[0]!) : null;
      if (!mirrored || JSON.stringify({ ...mirrored, goBackwards: !mirrored.goBackwards }) !== JSON.stringify(layer))
        fail(at, 'backward_layer is not the forward layer going the other way, which nabla\'s Bidirectional requires', 'E_UNSUPPORTED');
    }
    return [{ className, config: { ...common, layer, ...(className === 'Bidirectional' ? { mergeMode: c.merge_mode ?? 'concat' } : {}) } }];
  }
  only(c, at, 'return_state', false); only(c, at, 'time_major', false);
  const config: Record<string, unknown> = {
    ...common, units: c.units, activation: kerasActivation(c, at, 'activation', 'tanh'), useBias: c.use_bias ?? true,
    returnSequences: c.return_sequences ?? false, goBackwards: c.go_backwards ?? false, stateful: c.stateful ?? false,
    ...(typeof c.dropout === 'number' && c.dropout > 0 ? { dropout: c.dropout } : {}),
    ...(typeof c.recurrent_dropout === 'number' && c.recurrent_dropout > 0 ? { recurrentDropout: c.recurrent_dropout } : {}),
  };
  if (className === 'SimpleRNN') return [{ className, config }];
  config.recurrentActivation = kerasActivation(c, at, 'recurrent_activation', at.tfjsDefaults ? 'hard_sigmoid' : 'sigmoid');
  if (className === 'LSTM') return [{ className, config: { ...config, unitForgetBias: c.unit_forget_bias ?? true } }];
  if (config.recurrentDropout !== undefined) fail(at, 'recurrent_dropout > 0 in a GRU is not supported by nabla', 'E_UNSUPPORTED');
  return [{ className, config: { ...config, resetAfter: c.reset_after ?? !at.tfjsDefaults } }];
}

/** The weights a nabla sequence layer config owns, in getWeights() order ('forward/kernel' for a Bidirectional's). */
export function sequenceWeightShortNames(className: string, c: Record<string, unknown>, innerShorts: (className: string, c: Record<string, unknown>) => string[]): string[] {
  if (className === 'Embedding') return ['embeddings'];
  if (RECURRENT.has(className)) return ['kernel', 'recurrent_kernel', ...(c.useBias === false ? [] : ['bias'])];
  if (className !== 'Bidirectional' && className !== 'TimeDistributed') return []; // Masking
  const inner = c.layer as Record<string, unknown>, shorts = innerShorts(String(inner.className), inner);
  if (className === 'Bidirectional') return [...shorts.map((s) => `forward/${s}`), ...shorts.map((s) => `backward/${s}`)];
  return shorts;
}

/** Escapes a string for a RegExp. */
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches the manifest names of any weight of layer `layer` (`<layer>/...`, after an optional model prefix). */
export function layerPrefixPattern(layer: string): RegExp { return new RegExp(`(^|/)${esc(layer)}/`); }

/**
 * Matches a manifest weight name for nabla's layer `layer` and weight `short`: `<layer>/<short>`,
 * optionally after a model prefix and with one scope between (`lstm/lstm_cell/kernel`); a
 * Bidirectional's 'forward/kernel' as `<layer>/forward_<inner>/[scope/]kernel`.
 */
export function manifestPattern(layer: string, short: string): RegExp {
  const cut = short.indexOf('/');
  if (cut > 0) return new RegExp(`(^|/)${esc(layer)}/${esc(short.slice(0, cut))}_[^/]+/([^/]+/)?${esc(short.slice(cut + 1))}$`);
  return new RegExp(`(^|/)${esc(layer)}/([^/]+/)?${esc(short)}$`);
}

/** The TF.js weight name nabla writes for a layer's short name (a Bidirectional half's: '<layer>/forward_lstm/kernel'). */
export function tfjsWeightName(view: Pick<LayerView, 'name' | 'className' | 'config'>, short: string): string {
  const cut = short.indexOf('/');
  if (cut < 0) return `${view.name}/${short}`;
  const inner = String(((view.config as Record<string, unknown>).layer as Record<string, unknown>).className);
  return `${view.name}/${short.slice(0, cut)}_${SNAKE[inner] ?? inner}/${short.slice(cut + 1)}`;
}

type Keras = { class_name: string; config: Record<string, unknown> };

/**
 * A nabla sequence layer as a Keras config for TF.js, every recurrent option explicit.
 * @param common name, trainable, dtype (and batch_input_shape for the first layer).
 * @param act nabla -> Keras activation (throws for those TF.js lacks).
 * @param innerToKeras the whole translation, for a wrapper's inner layer.
 * @throws Error naming the layer for a GRU with resetAfter (TF.js cannot run it), a stateful or
 *   returnState layer, or an inner layer TF.js cannot hold.
 */
export function sequenceToKeras(layer: LayerView, common: Record<string, unknown>, act: (a: never) => string, innerToKeras: (inner: LayerView) => Keras[]): Keras[] {
  const c = layer.config as Record<string, unknown>, who = `exportTfjs: ${layer.className} '${layer.name}'`;
  const a = (name: unknown) => act(name as never);
  switch (layer.className) {
    case 'Embedding': return [{ class_name: 'Embedding', config: { ...common, input_dim: c.inputDim, output_dim: c.outputDim, mask_zero: c.maskZero,
      embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } } } }];
    case 'Masking': return [{ class_name: 'Masking', config: { ...common, mask_value: c.maskValue } }];
    case 'Bidirectional': case 'TimeDistributed': {
      const inner = c.layer as Record<string, unknown>, cls = String(inner.className);
      const innerView = { ...layer, className: cls, name: SNAKE[cls] ?? `${layer.name}_inner`, config: inner } as LayerView;
      let converted: Keras[];
      try { converted = innerToKeras(innerView); } catch (e) { throw new Error(`${who}: its inner ${String(e instanceof Error ? e.message : e).replace(/^exportTfjs: /, '')}`); }
      if (converted.length !== 1) throw new Error(`${who}: its inner ${cls} needs ${converted.length} TF.js layers, which a wrapper cannot hold`);
      const { batch_input_shape: _b, ...innerKeras } = converted[0]!.config;
      return [{ class_name: layer.className, config: { ...common, layer: { class_name: converted[0]!.class_name, config: innerKeras },
        ...(layer.className === 'Bidirectional' ? { merge_mode: c.mergeMode } : {}) } }];
    }
    default: { // SimpleRNN, LSTM, GRU
      if (c.stateful || c.returnState) throw new Error(`${who}: stateful / returnState layers are not exported`);
      if (layer.className === 'GRU' && c.resetAfter === true)
        throw new Error(`${who}: resetAfter true, which TF.js's GRU cannot run (its GRUCell refuses reset_after); build the GRU with resetAfter: false to export it to TF.js`);
      const init = (class_name: string) => ({ class_name, config: class_name === 'Zeros' ? {} : { seed: null } });
      const config: Record<string, unknown> = { ...common, units: c.units, activation: a(c.activation), use_bias: c.useBias,
        return_sequences: c.returnSequences, go_backwards: c.goBackwards, return_state: false, stateful: false, unroll: false,
        dropout: c.dropout ?? 0, recurrent_dropout: c.recurrentDropout ?? 0,
        kernel_initializer: init('GlorotUniform'), recurrent_initializer: init('Orthogonal'), bias_initializer: init('Zeros') };
      if (layer.className !== 'SimpleRNN') config.recurrent_activation = a(c.recurrentActivation);
      if (layer.className === 'LSTM') config.unit_forget_bias = c.unitForgetBias;
      if (layer.className === 'GRU') config.reset_after = false;
      return [{ class_name: layer.className, config }];
    }
  }
}
