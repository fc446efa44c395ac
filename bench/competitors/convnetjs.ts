// ConvNetJS (npm `convnetjs` 0.3): scalar JavaScript, one sample at a time; Trainer with
// batch_size 64 averages the gradients of 64 samples per SGD step (learning rate 0.1, no momentum).
import { createRequire } from 'node:module';
import { type Adapter, type Data, WARMUP_SAMPLES, now, slice } from './common.js';

const require = createRequire(import.meta.url);

export function convnetjsAdapter(quick: boolean): Adapter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cj: any = require('convnetjs');
  const train = (layers: unknown[], d: Data, shape: [number, number, number]) => {
    const run = (dd: Data) => {
      const net = new cj.Net();
      net.makeLayers(layers);
      const trainer = new cj.Trainer(net, { method: 'sgd', learning_rate: 0.1, momentum: 0, batch_size: 64, l2_decay: 0 });
      const vol = new cj.Vol(shape[0], shape[1], shape[2], 0);
      const t0 = now();
      for (let i = 0; i < dd.n; i++) {
        const row = dd.x.subarray(i * 784, (i + 1) * 784);
        for (let j = 0; j < 784; j++) vol.w[j] = row[j];
        trainer.train(vol, dd.labels[i]);
      }
      return dd.n / (now() - t0);
    };
    run(slice(d, WARMUP_SAMPLES));
    return run(d);
  };
  return {
    name: `ConvNetJS ${(require('convnetjs/package.json') as { version: string }).version}`, notes: {},
    caps: { w1: quick ? 1000 : 5000, w2: quick ? 300 : 2000 },
    w1: async (d) => train([{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 },
      { type: 'fc', num_neurons: 128, activation: 'relu' }, { type: 'softmax', num_classes: 10 }], d, [1, 1, 784]),
    w2: async (d) => train([{ type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 }, { type: 'softmax', num_classes: 10 }], d, [28, 28, 1]),
  };
}
