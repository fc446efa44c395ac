/**
 * `nabla visualize` for recurrent models: the gates of a saved model's first LSTM layer over one
 * input sequence, as a heat map (the kind of picture of Karpathy, Johnson & Fei-Fei, "Visualizing
 * and understanding recurrent networks", 2015). Four panels, one per gate in Keras's order i
 * (input), f (forget), c (the candidate g = tanh(z_c)) and o (output), each units (rows) x time
 * steps (columns); i, f, o are sigmoids in [0, 1] (one colour scale), c in [-1, 1] (a diverging
 * one). The gates are recomputed with nn/functional's lstmForward from the layer's weights after
 * the layers before it ran in inference mode, so any saved Sequential with an LSTM layer works.
 *
 * The input comes from `--text` (a run whose model folder holds the vocabulary file
 * `vocabulary.json` that char-rnn runs save, read by data/text/vocabulary-file.ts: the text is
 * cut and encoded by its TextVectorization, so each character, or each word for a word
 * vocabulary, becomes its id, and a token outside the vocabulary the OOV id 1; ids feed an
 * Embedding, or one-hot rows a model whose input has one feature per id) or `--sequence`
 * (numbers "0.1,0.5,..." for one feature per step, or a CSV file: one row per step, one column
 * per feature).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { VOCABULARY_FILE } from '../../data/text/vocabulary-file.js';
import { OOV_ID, type TextVectorization } from '../../data/text/vocabulary.js';
import { getKernels } from '../../kernels/index.js';
import { Workspace } from '../../kernels/workspace.js';
import type { Sequential } from '../../models/sequential.js';
import { lstmForward, scratchFrom, sequencePlan } from '../../nn/functional/index.js';
import { Embedding } from '../../nn/layers/embedding.js';
import { LSTM } from '../../nn/layers/lstm.js';
import { Tensor } from '../../tensor/tensor.js';

/** Most time steps drawn. */
export const MAX_STEPS = 200;
/** The longest --sequence CSV file read, in bytes. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** An input sequence for the heat map: x [1, L, ...] (padded to the model's length L) and a label per real step (T <= L). */
export interface GateInput {
  x: Tensor; labels: string[]; description: string;
  /** Tokens of the text outside the vocabulary (fed as the OOV id), each once; empty for --sequence. */
  unknown: string[];
}

/**
 * x [1, T, ...] padded with zeros to the model's fixed length L > T (an Embedding or input of
 * inputLength L refuses shorter sequences); the LSTM reads the T real steps first, so their gates
 * do not depend on the padding (unless it goes backwards). @throws Error when T > L.
 */
function padToModel(model: Sequential, x: Tensor, what: string): Tensor {
  const L = model.inputShape?.[0], T = x.shape[1]!;
  if (typeof L !== 'number' || L === T) return x;
  if (T > L) throw new Error(`${what}: ${T} steps, but the model takes sequences of ${L}`);
  const per = x.size / T, d = new Float32Array(L * per);
  d.set(x.data);
  return new Tensor(d, [1, L, ...x.shape.slice(2)]);
}

/** The vocabulary file in the model's folder or else in its run directory, or null. */
export function findVocabulary(dirs: readonly (string | null)[]): string | null {
  for (const d of dirs) if (d && existsSync(join(d, VOCABULARY_FILE))) return join(d, VOCABULARY_FILE);
  return null;
}

/**
 * The text as model input, cut and encoded by the run's vocabulary (`loadVocabulary`): ids
 * [1, T] for a model starting with an Embedding, else one-hot rows [1, T, V] when the model's
 * input has V = vocabularySize features; padded to the model's fixed length.
 * @throws Error when the text has no token or more than MAX_STEPS, is longer than the model's
 *   sequences, or the model takes neither form.
 */
export function textInput(model: Sequential, text: string, vocab: TextVectorization): GateInput {
  const tokens = vocab.tokenize(text);
  if (tokens.length === 0) throw new Error('--text: the text is empty');
  if (tokens.length > MAX_STEPS) throw new Error(`--text: ${tokens.length} tokens; at most ${MAX_STEPS} are drawn`);
  const ids = vocab.encode(text).subarray(0, tokens.length);
  if (ids.length < tokens.length) throw new Error(`--text: ${tokens.length} tokens, but the vocabulary cuts texts to ${ids.length} (outputSequenceLength)`);
  const unknown = [...new Set(tokens.filter((_, t) => ids[t] === OOV_ID))];
  const V = vocab.vocabularySize, shape = model.inputShape ?? [];
  const description = `${tokens.length} ${vocab.split === 'whitespace' ? 'words' : 'characters'} of --text`;
  if (model.layers[0] instanceof Embedding) return { x: padToModel(model, new Tensor(Float32Array.from(ids), [1, ids.length]), '--text'), labels: tokens, description, unknown };
  if (shape.length === 2 && shape[1] === V) {
    const x = new Float32Array(ids.length * V);
    ids.forEach((id, t) => { x[t * V + id] = 1; });
    return { x: padToModel(model, new Tensor(x, [1, ids.length, V]), '--text'), labels: tokens, description, unknown };
  }
  throw new Error(`--text: the model takes inputs [${shape.join(', ')}], neither ids (an Embedding first) nor one-hot rows of the ${V} ids of the vocabulary`);
}

/**
 * `--sequence`: numbers separated by commas or spaces (one feature per step), or a CSV file, one
 * row per step and one column per feature (a header row of names is skipped).
 * @throws Error naming the value or the file's line that is not a number, or a width the model does not take.
 */
export function sequenceInput(model: Sequential, spec: string): GateInput {
  const isFile = existsSync(spec) && statSync(spec).isFile();
  if (isFile && statSync(spec).size > MAX_FILE_BYTES) throw new Error(`${spec}: larger than ${MAX_FILE_BYTES} bytes`);
  const lines = isFile ? readFileSync(spec, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '') : [spec];
  let rows = lines.map((l) => l.split(isFile ? ',' : /[\s,]+/).map((c) => c.trim()).filter((c) => c !== ''));
  if (isFile && rows.length > 0 && rows[0]!.some((c) => !Number.isFinite(Number(c)))) rows = rows.slice(1); // a header
  const steps = isFile ? rows : rows[0]!.map((c) => [c]);
  if (steps.length === 0) throw new Error(`--sequence: no values${isFile ? ` in ${spec}` : ''}`);
  if (steps.length > MAX_STEPS) throw new Error(`--sequence: ${steps.length} steps; at most ${MAX_STEPS} are drawn`);
  const F = steps[0]!.length, want = model.inputShape ?? [];
  if (want.length !== 2 || want[1] !== F)
    throw new Error(`--sequence: ${F} value${F > 1 ? 's' : ''} per step, but the model takes inputs [${want.join(', ')}] ([time, features])`);
  const x = new Float32Array(steps.length * F);
  steps.forEach((r, t) => {
    if (r.length !== F) throw new Error(`--sequence: ${isFile ? `${spec} line ${t + 1}` : `step ${t}`} has ${r.length} values, expected ${F}`);
    r.forEach((c, f) => {
      const v = Number(c);
      if (!Number.isFinite(v)) throw new Error(`--sequence: ${isFile ? `${spec} line ${t + 1}` : `value ${t}`} is not a number`);
      x[t * F + f] = v;
    });
  });
  return { x: padToModel(model, new Tensor(x, [1, steps.length, F]), '--sequence'), labels: steps.map((_, t) => String(t)), description: `${steps.length} steps of --sequence`, unknown: [] };
}

/** The gate values of one sequence: values[(t * 4 + g) * units + j], gate g in i, f, c, o, t in input order. */
export interface GateActivations { layer: string; steps: number; units: number; values: Float32Array }

/**
 * Runs the layers before the first LSTM (inference mode) and the LSTM's equations on x [1, T, ...],
 * returning its gates. @throws Error when the model has no LSTM layer (Bidirectional ones are not drawn).
 */
export function lstmGates(model: Sequential, x: Tensor): GateActivations {
  const at = model.layers.findIndex((l) => l instanceof LSTM);
  if (at < 0) throw new Error('the model has no LSTM layer (a Bidirectional LSTM is not drawn)');
  const lstm = model.layers[at] as LSTM;
  let a = x.dtype === model.dtype ? x : x.cast(model.dtype);
  for (const layer of model.layers.slice(0, at)) a = layer.forward(a, false);
  const [kernel, recurrent, bias] = lstm.params(), T = a.shape[1]!, u = lstm.units;
  const ws = new Workspace();
  try {
    const cache = lstmForward(getKernels(), scratchFrom(ws, model.dtype), a, kernel!.value, recurrent!.value, lstm.useBias ? bias!.value : null,
      { activation: lstm.activation, recurrentActivation: lstm.recurrentActivation }, null, sequencePlan(1, T, lstm.goBackwards), true);
    const values = new Float32Array(T * 4 * u);
    for (let s = 0; s < T; s++) {
      const t = lstm.goBackwards ? T - 1 - s : s; // the cache is in processing order
      values.set(cache.gates.subarray(s * 4 * u, (s + 1) * 4 * u), t * 4 * u);
    }
    return { layer: lstm.name, steps: T, units: u, values };
  } finally { ws.dispose(); }
}

const GATES = [['i', 'input gate i'], ['f', 'forget gate f'], ['c', 'candidate c = tanh(z_c)'], ['o', 'output gate o']] as const;

/**
 * The heat map as a Vega-Lite spec: four panels (i, f, c, o) of the first `units` units x the
 * first labels.length steps, labelled with `labels` (characters for a text).
 */
export function gateHeatmap(g: GateActivations, labels: readonly string[], units: number, title: string): TopLevelSpec {
  const shown = Math.min(units, g.units), steps = Math.min(labels.length, g.steps), cell = steps > 80 ? 8 : 14;
  const numbered = labels.every((l, t) => l === String(t)), every = numbered && steps > 40 ? 5 : 1; // step numbers: every 5th when long
  const show = (s: string, t: number): string => (t % every !== 0 ? '' : s === ' ' ? '␣' : s === '\n' ? '↵' : s);
  const panel = (gi: number) => {
    const values: { t: number; unit: number; v: number }[] = [];
    for (let t = 0; t < steps; t++) for (let j = 0; j < shown; j++) values.push({ t, unit: j, v: g.values[(t * 4 + gi) * g.units + j]! });
    const isC = GATES[gi]![0] === 'c';
    return {
      title: { text: GATES[gi]![1], fontSize: 12 },
      data: { values }, mark: { type: 'rect' as const, stroke: null },
      width: steps * cell, height: shown * Math.max(4, Math.min(10, Math.floor(160 / shown))),
      encoding: {
        x: { field: 't', type: 'ordinal' as const, title: gi === 3 ? 'time step' : null, scale: { paddingInner: 0, paddingOuter: 0 },
             axis: { labelExpr: `${JSON.stringify(labels.slice(0, steps).map(show))}[datum.value]`, grid: false, ticks: every === 1, labelAngle: 0, labelFontSize: cell > 8 ? 11 : 8 } },
        y: { field: 'unit', type: 'ordinal' as const, title: 'unit', scale: { paddingInner: 0, paddingOuter: 0 }, axis: { labelExpr: 'datum.value % 8 == 0 ? datum.value : ""', grid: false } },
        color: { field: 'v', type: 'quantitative' as const, title: isC ? 'c' : GATES[gi]![0],
                 scale: isC ? { scheme: 'redblue', domain: [-1, 1], reverse: true } : { scheme: 'viridis', domain: [0, 1] } },
      },
    };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, background: 'white',
    vconcat: [0, 1, 2, 3].map(panel), resolve: { scale: { color: 'independent' } },
    config: { view: { stroke: null }, axis: { labelFont: 'DejaVu Sans', titleFont: 'DejaVu Sans' }, title: { font: 'DejaVu Sans', anchor: 'start' } },
  } as TopLevelSpec;
}
