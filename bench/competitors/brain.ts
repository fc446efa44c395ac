// brain.js (W1 only): NeuralNetwork with one hidden layer of 128 relu units. brain.js has no
// softmax/cross-entropy or mini-batches: it trains sample by sample (online SGD, learning rate
// 0.1, its default momentum 0.1) on a squared error with sigmoid outputs. Closest it offers.
import { createRequire } from 'node:module';
import { type Adapter, type Data, WARMUP_SAMPLES, now, slice } from './common.js';

const require = createRequire(import.meta.url);

export function brainAdapter(quick: boolean): Adapter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const brain: any = require('brain.js');
  const version: string = require('brain.js/package.json').version;
  const run = (dd: Data) => {
    const data = [];
    for (let i = 0; i < dd.n; i++) data.push({ input: Array.from(dd.x.subarray(i * 784, (i + 1) * 784)), output: Array.from(dd.y.subarray(i * 10, (i + 1) * 10)) });
    const net = new brain.NeuralNetwork({ hiddenLayers: [128], activation: 'relu' });
    const t0 = now();
    net.train(data, { iterations: 1, learningRate: 0.1, errorThresh: 1e-9 });
    return dd.n / (now() - t0);
  };
  return {
    name: `brain.js ${version}`, notes: { w2: 'no convolution layers', w3: 'no Adam' },
    caps: { w1: quick ? 1000 : 5000 },
    w1: async (d) => { run(slice(d, WARMUP_SAMPLES)); return run(d); },
  };
}
