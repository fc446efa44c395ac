/**
 * The playground's training worker: nabla itself, in a Web Worker, so the page never freezes.
 *
 * It runs a Trainer (trainer.ts) for the state it is sent. While playing it trains for about
 * 25 ms, posts a snapshot (losses, the output and every hidden neuron on a grid, the weights) and
 * lets messages in (pause, step, a new state) before going on.
 */
import { getBackend, getBackendInfo, NonFiniteLossError, setBackend } from '../../src/browser.js';
import type { FromWorker, Snapshot, ToWorker } from './protocol.js';
import type { PlaygroundState } from './state.js';
import { Trainer } from './trainer.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let run: { generation: number; trainer: Trainer } | null = null;
let playing = false;
let pendingSteps = 0;
/** The last play / pause / step command received (echoed in snapshots). */
let lastCmd = 0;
let loop: Promise<void> | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** Selects the kernels for a state; returns a sentence for the page. */
async function chooseBackend(choice: PlaygroundState['backend']): Promise<string> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (choice === 'js') { await setBackend('js'); return 'JavaScript kernels (chosen in the URL: backend=js)'; }
  try {
    await setBackend('wasm');
    const { threads, fma } = getBackendInfo();
    const how = `${threads === 1 ? 'one thread' : `${threads} threads (Web Workers on shared memory)`}${fma ? ', fused multiply-add' : ''}`;
    return `WebAssembly SIMD kernels, ${how}${isolated ? '; the page is cross-origin isolated' : ''}`;
  } catch {
    await setBackend('js');
    return `JavaScript kernels: this browser gives ${isolated ? 'no WebAssembly SIMD' : 'no shared WebAssembly memory to a page that is not cross-origin isolated'}`;
  }
}

async function init(generation: number, state: PlaygroundState): Promise<void> {
  const backendNote = await chooseBackend(state.backend);
  const trainer = new Trainer(state);
  run = { generation, trainer };
  post({ type: 'ready', generation, dataset: trainer.data, backend: getBackend(), backendNote, summary: trainer.model.summary() });
  post(...snapshot(run.generation, trainer));
}

function snapshot(generation: number, t: Trainer): [Snapshot, Transferable[]] {
  const { train, test } = t.losses();
  const { output, neurons } = t.probe();
  const weights = t.weights();
  const classification = !t.data.regression;
  const snap: Snapshot = {
    type: 'snapshot', generation, step: t.step, epoch: t.epoch, playing: playing || pendingSteps > 0, cmd: lastCmd,
    trainLoss: train, testLoss: test,
    trainAccuracy: classification ? t.accuracy(t.xTrain, t.yTrain) : null,
    testAccuracy: classification ? t.accuracy(t.xTest, t.yTest) : null,
    history: { steps: [...t.history.steps], train: [...t.history.train], test: [...t.history.test] },
    output, neurons, weights,
  };
  const transfer: Transferable[] = [output.buffer, ...neurons.flat().map((n) => n.buffer), ...weights.flatMap((l) => [l.kernel.buffer, l.bias.buffer])];
  return [snap, transfer];
}

/** Lets queued messages (pause, step, a new state) run. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Trains while playing or while steps are pending, posting a snapshot about every 25 ms. */
function startLoop(): void {
  loop ??= (async () => {
    const r = run;
    if (r === null) return;
    const t = r.trainer;
    try {
      while (r === run && (playing || pendingSteps > 0)) {
        const t0 = performance.now();
        do {
          await t.trainStep();
          if (pendingSteps > 0) pendingSteps--;
        } while ((playing || pendingSteps > 0) && performance.now() - t0 < 25);
        if (r !== run || (!playing && pendingSteps === 0)) break;
        post(...snapshot(r.generation, t));
        await yieldToMessages();
      }
      if (r === run) post(...snapshot(r.generation, t));
    } catch (e) {
      playing = false; pendingSteps = 0;
      if (r === run) {
        post(...snapshot(r.generation, t));
        const message = e instanceof NonFiniteLossError
          ? `The loss became ${Number.isNaN(e.loss) ? 'NaN' : 'infinite'} at step ${t.step + 1}: training stopped there. Lower the learning rate and press Reset.`
          : `Training failed at step ${t.step + 1}: ${e instanceof Error ? e.message : String(e)}`;
        post({ type: 'stopped', generation: r.generation, step: t.step, message });
      }
    } finally {
      loop = null;
    }
  })();
}

/** Messages are handled in order, each after the previous one's work has been set going. */
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'init':
      queue = queue.then(async () => {
        playing = false; pendingSteps = 0;
        if (loop) await loop;
        try {
          run?.trainer.dispose();
          run = null;
          await init(msg.generation, msg.state);
        } catch (err) {
          post({ type: 'error', generation: msg.generation, message: err instanceof Error ? err.message : String(err) });
        }
      });
      return;
    case 'play':
      void queue.then(() => { lastCmd = msg.cmd; playing = true; startLoop(); });
      return;
    case 'pause':
      void queue.then(() => {
        lastCmd = msg.cmd; playing = false; pendingSteps = 0;
        if (run && !loop) post(...snapshot(run.generation, run.trainer));
      });
      return;
    case 'step':
      void queue.then(() => { lastCmd = msg.cmd; playing = false; pendingSteps += Math.max(1, Math.floor(msg.count)); startLoop(); });
      return;
  }
};

post({ type: 'hello' });
