/**
 * The playground page: controls, the URL state, drawing; training runs in worker.ts.
 */
import { ACTIVATION_DEFS } from '../../src/browser.js';
import { makeDataset, type Dataset } from './datasets.js';
import { setupDigitPanel } from './digit.js';
import { drawLossChart, drawNetwork, drawOutput, drawThumbnail } from './draw.js';
import type { FromWorker, Snapshot, ToWorker } from './protocol.js';
import {
  ACTIVATIONS, DATASET_LABELS, DATASETS, DROPOUT_RATES, formatState, isRegression, L2_VALUES, LEARNING_RATES, MAX_LAYERS, MAX_NEURONS,
  parseState, runKey, type ActivationChoice, type BackendChoice, type DatasetName, type LossChoice, type OptimizerChoice, type PlaygroundState,
} from './state.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: no element #${id}`);
  return el as T;
};

const STEP_EXPLANATION = `The step activation H(z) (1 if z ≥ 0, else 0) is the perceptron's (Nielsen, ch. 1). Its derivative is 0 wherever it exists, so backpropagation (BP2: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)) passes no gradient through a step layer. nabla refuses to train through one, so here the hidden layers are frozen (trainable: false) at their random initial weights and only the output layer learns: a sigmoid neuron on fixed random step features. A small change in a weight makes either no change or a jump in a step neuron's output, which is why the notes move on to sigmoid neurons.`;

let state: PlaygroundState = parseState(location.hash);
let currentRunKey = '';
let generation = 0;
let dataset: Dataset | null = null;
let snap: Snapshot | null = null;
let playing = false;
/** Number of the last play / pause / step command sent. */
let cmd = 0;
let drawQueued = false;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'nabla-training' });
/** Messages wait here until the worker says hello (a module worker drops those sent while it loads). */
let outbox: ToWorker[] | null = [];
const send = (m: ToWorker) => (outbox ? outbox.push(m) : worker.postMessage(m));

function status(text: string, error = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
}

/** Writes the state into the URL; restarts training when the run changed. */
function commit(next: PlaygroundState, forceRestart = false): void {
  state = next;
  const hash = '#' + formatState(state);
  if (location.hash !== hash) history.replaceState(null, '', hash);
  syncControls();
  const key = runKey(state);
  if (forceRestart || key !== currentRunKey) restart();
  else scheduleDraw();
}

function restart(): void {
  currentRunKey = runKey(state);
  generation++;
  snap = null;
  setPlaying(false);
  send({ type: 'init', generation, state });
  dataset = makeDataset(state.dataset, state.seed, state.noise, state.trainRatio);
  scheduleDraw();
}

function setPlaying(p: boolean): void {
  playing = p;
  $('play-label').textContent = p ? 'Pause' : 'Play';
  $('play-icon').setAttribute('d', p ? 'M3 2h3.5v12H3zM9.5 2H13v12H9.5z' : 'M4 2l10 6-10 6z');
  $('play').setAttribute('aria-pressed', String(p));
}

function formatNumber(v: number): string {
  return v === 0 ? '0' : Math.abs(v) < 0.001 ? v.toExponential(2) : v.toFixed(3);
}

function showSnapshot(s: Snapshot): void {
  snap = s;
  $('step-count').textContent = s.step.toLocaleString('en-US');
  $('step-count').dataset.value = String(s.step);
  $('epoch-count').textContent = String(s.epoch);
  $('test-loss').textContent = formatNumber(s.testLoss);
  $('test-loss').dataset.value = String(s.testLoss);
  $('train-loss').textContent = formatNumber(s.trainLoss);
  $('train-loss').dataset.value = String(s.trainLoss);
  const acc = $('accuracy-row');
  acc.hidden = s.trainAccuracy === null;
  if (s.trainAccuracy !== null && s.testAccuracy !== null)
    $('accuracy').textContent = `${(100 * s.trainAccuracy).toFixed(0)}% / ${(100 * s.testAccuracy).toFixed(0)}%`;
  // The worker's playing state counts once it has seen the latest command.
  if (s.cmd === cmd) {
    if (!s.playing && playing) setPlaying(false);
    $('controls').dataset.busy = String(s.playing);
  }
  scheduleDraw();
}

function scheduleDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    if (!dataset) return;
    drawOutput($<HTMLCanvasElement>('boundary'), dataset, snap, state.showTest, state.discretize);
    drawNetwork($<HTMLCanvasElement>('network'), dataset, snap, state.activation, state.layers, state.discretize);
    drawLossChart($<HTMLCanvasElement>('loss-chart'), snap?.history ?? null);
  });
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.type === 'hello') {
    const queued = outbox ?? [];
    outbox = null;
    for (const q of queued) worker.postMessage(q);
    return;
  }
  if (m.generation !== generation) return; // from a state that has been replaced
  switch (m.type) {
    case 'ready':
      dataset = m.dataset;
      $('summary').textContent = m.summary;
      status(`Training with nabla's ${m.backendNote}.`);
      document.body.dataset.backend = m.backend;
      break;
    case 'snapshot':
      showSnapshot(m);
      break;
    case 'stopped':
      setPlaying(false);
      status(m.message, true);
      break;
    case 'error':
      setPlaying(false);
      status(`Could not start: ${m.message}`, true);
      break;
  }
};
worker.onerror = (e) => status(`The training worker failed: ${e.message}`, true);

// ---- controls ----

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value; o.textContent = label;
  return o;
}

function fillSelect(id: string, values: number[], label: (v: number) => string = String): void {
  const sel = $<HTMLSelectElement>(id);
  sel.replaceChildren(...values.map((v) => option(String(v), label(v))));
}

function buildDatasetChooser(): void {
  const box = $('datasets');
  for (const name of DATASETS) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio'; input.name = 'dataset'; input.value = name; input.id = `dataset-${name}`;
    const canvas = document.createElement('canvas');
    canvas.width = 72; canvas.height = 72;
    canvas.setAttribute('aria-hidden', 'true');
    drawThumbnail(canvas, makeDataset(name, 1, 0, 100));
    const span = document.createElement('span');
    span.textContent = DATASET_LABELS[name].replace(' (10 points)', '').replace(' (regression)', '');
    label.append(input, canvas, span);
    label.title = DATASET_LABELS[name];
    input.setAttribute('aria-label', DATASET_LABELS[name]);
    input.addEventListener('change', () => {
      if (!input.checked) return;
      const next: PlaygroundState = { ...state, dataset: name as DatasetName };
      if (name === 'higham' && state.dataset !== 'higham')
        Object.assign(next, { layers: [2, 3], activation: 'sigmoid', loss: 'quadratic', optimizer: 'sgd', learningRate: 1, batchSize: 1 });
      commit(next);
    });
    box.append(label);
  }
}

function buildLayerEditor(): void {
  const list = $('layers');
  list.replaceChildren();
  state.layers.forEach((units, i) => {
    const li = document.createElement('li');
    const minus = document.createElement('button');
    minus.type = 'button'; minus.textContent = '−';
    minus.setAttribute('aria-label', `Remove a neuron from hidden layer ${i + 1}`);
    minus.disabled = units <= 1;
    minus.addEventListener('click', () => commit({ ...state, layers: state.layers.map((u, k) => (k === i ? Math.max(1, u - 1) : u)) }));
    const plus = document.createElement('button');
    plus.type = 'button'; plus.textContent = '+';
    plus.setAttribute('aria-label', `Add a neuron to hidden layer ${i + 1}`);
    plus.disabled = units >= MAX_NEURONS;
    plus.addEventListener('click', () => commit({ ...state, layers: state.layers.map((u, k) => (k === i ? Math.min(MAX_NEURONS, u + 1) : u)) }));
    const text = document.createElement('span');
    text.textContent = `layer ${i + 1}: ${units}`;
    text.setAttribute('aria-live', 'polite');
    li.append(minus, text, plus);
    list.append(li);
  });
  const n = state.layers.length;
  $('layer-count').textContent = `${n} hidden layer${n === 1 ? '' : 's'}`;
  $<HTMLButtonElement>('add-layer').disabled = n >= MAX_LAYERS;
  $<HTMLButtonElement>('remove-layer').disabled = n === 0;
}

/** Restores focus to the same neuron button after the editor is rebuilt. */
function keepFocus(fn: () => void): void {
  const label = document.activeElement?.getAttribute('aria-label') ?? null;
  fn();
  if (label) (document.querySelector(`[aria-label="${label}"]`) as HTMLElement | null)?.focus();
}

function syncControls(): void {
  for (const name of DATASETS) $<HTMLInputElement>(`dataset-${name}`).checked = state.dataset === name;
  $('dataset-note').textContent = dataset?.name === state.dataset ? dataset.note : makeDataset(state.dataset, state.seed, state.noise, state.trainRatio).note;
  $<HTMLInputElement>('noise').value = String(state.noise);
  $('noise-value').textContent = String(state.noise);
  $<HTMLInputElement>('ratio').value = String(state.trainRatio);
  $('ratio-value').textContent = String(state.trainRatio);
  const fixed = state.dataset === 'higham';
  $<HTMLInputElement>('noise').disabled = fixed;
  $<HTMLInputElement>('ratio').disabled = fixed;
  $<HTMLInputElement>('seed').value = String(state.seed);
  setSelect('learning-rate', String(state.learningRate));
  setSelect('activation', state.activation);
  setSelect('loss', state.loss);
  setSelect('optimizer', state.optimizer);
  setSelect('l2', String(state.l2));
  setSelect('dropout', String(state.dropout));
  setSelect('backend', state.backend);
  $<HTMLInputElement>('batch-size').value = String(state.batchSize);
  $<HTMLInputElement>('show-test').checked = state.showTest;
  $<HTMLInputElement>('discretize').checked = state.discretize;
  $<HTMLInputElement>('discretize').disabled = isRegression(state.dataset);
  const note = $('activation-note');
  note.hidden = state.activation !== 'step';
  note.textContent = STEP_EXPLANATION;
  keepFocus(buildLayerEditor);
}

function setSelect(id: string, value: string): void {
  const sel = $<HTMLSelectElement>(id);
  if (![...sel.options].some((o) => o.value === value)) sel.append(option(value, value)); // a value from the URL not in the list
  sel.value = value;
}

function wire(): void {
  fillSelect('learning-rate', LEARNING_RATES);
  fillSelect('l2', L2_VALUES, (v) => (v === 0 ? 'none' : String(v)));
  fillSelect('dropout', DROPOUT_RATES, (v) => (v === 0 ? 'none' : `${v * 100}%`));
  $<HTMLSelectElement>('activation').replaceChildren(...ACTIVATIONS.map((a) => option(a, ACTIVATION_DEFS[a].label)));
  buildDatasetChooser();
  const onSelect = (id: string, apply: (v: string) => Partial<PlaygroundState>) =>
    $<HTMLSelectElement>(id).addEventListener('change', (e) => commit({ ...state, ...apply((e.target as HTMLSelectElement).value) }));
  onSelect('learning-rate', (v) => ({ learningRate: Number(v) }));
  onSelect('activation', (v) => ({ activation: v as ActivationChoice }));
  onSelect('loss', (v) => ({ loss: v as LossChoice }));
  onSelect('optimizer', (v) => ({ optimizer: v as OptimizerChoice }));
  onSelect('l2', (v) => ({ l2: Number(v) }));
  onSelect('dropout', (v) => ({ dropout: Number(v) }));
  onSelect('backend', (v) => ({ backend: v as BackendChoice }));
  const onNumber = (id: string, lo: number, hi: number, apply: (v: number) => Partial<PlaygroundState>) =>
    $<HTMLInputElement>(id).addEventListener('change', (e) => {
      const v = Math.round(Number((e.target as HTMLInputElement).value));
      if (Number.isFinite(v)) commit({ ...state, ...apply(Math.min(hi, Math.max(lo, v))) }); else syncControls();
    });
  onNumber('batch-size', 1, 100, (v) => ({ batchSize: v }));
  onNumber('seed', 0, 2 ** 31 - 1, (v) => ({ seed: v }));
  // Sliders: the number follows while dragging, the data changes when released (or on a key press).
  for (const [id, key] of [['noise', 'noise'], ['ratio', 'trainRatio']] as const) {
    const input = $<HTMLInputElement>(id);
    input.addEventListener('input', () => { $(`${id}-value`).textContent = input.value; });
    input.addEventListener('change', () => commit({ ...state, [key]: Number(input.value) }));
  }
  $('new-seed').addEventListener('click', () => commit({ ...state, seed: crypto.getRandomValues(new Uint32Array(1))[0]! % 100000 }));
  $('add-layer').addEventListener('click', () => commit({ ...state, layers: [...state.layers, state.layers[state.layers.length - 1] ?? 2] }));
  $('remove-layer').addEventListener('click', () => commit({ ...state, layers: state.layers.slice(0, -1) }));
  $('show-test').addEventListener('change', (e) => commit({ ...state, showTest: (e.target as HTMLInputElement).checked }));
  $('discretize').addEventListener('change', (e) => commit({ ...state, discretize: (e.target as HTMLInputElement).checked }));

  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', step);
  $('reset').addEventListener('click', () => commit(state, true));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement;
    if (t.closest('input, select, textarea, [contenteditable], #digit-canvas')) return;
    const k = e.key.toLowerCase();
    if (k === 'p') { e.preventDefault(); togglePlay(); }
    else if (k === 's') { e.preventDefault(); step(); }
    else if (k === 'r') { e.preventDefault(); commit(state, true); }
  });
  window.addEventListener('hashchange', () => commit(parseState(location.hash)));
  window.addEventListener('resize', scheduleDraw);
}

function togglePlay(): void {
  setPlaying(!playing);
  // Busy until the worker answers this command: after a pause, a snapshot of the batch that was
  // running may still be on its way, and only the worker's answer says no step will follow.
  $('controls').dataset.busy = 'true';
  send({ type: playing ? 'play' : 'pause', cmd: ++cmd });
}

function step(): void {
  setPlaying(false);
  $('controls').dataset.busy = 'true';
  send({ type: 'step', cmd: ++cmd, count: Number($<HTMLSelectElement>('step-size').value) || 1 });
}

wire();
commit(state, true);
setupDigitPanel();
