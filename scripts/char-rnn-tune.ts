// Short char-rnn runs for tuning the defaults by loss per step (machine-independent): the
// validation nats/char after every 100 steps, and the median time of a training step (it
// depends on the machine and its load; validation is left out). The table in
// docs/guides/text-generation.md ("Tuning the defaults") was made with it.
//   node --import tsx scripts/char-rnn-tune.ts LABEL LR UNITS WINDOW BATCH STEPS [COSINE_STEPS]
// e.g. `... default 0.01 256 50 32 600`; NABLA_THREADS=1 runs on one thread.
import { buildCharModel, charRnnSettings, prepareCharData } from '../src/examples/char-rnn-setup.js';
import { getBackendInfo, ready } from '../src/kernels/index.js';
import { Adam } from '../src/optim/adam.js';
import { cosineDecay } from '../src/optim/schedules.js';

const [label, lr, units, windowLength, batch, steps, cosine] = process.argv.slice(2);
if (steps === undefined) throw new Error('usage: char-rnn-tune.ts LABEL LR UNITS WINDOW BATCH STEPS [COSINE_STEPS]');
await ready();
const s = charRnnSettings({ quick: false, learningRate: Number(lr), units: Number(units), sequenceLength: Number(windowLength), batchSize: Number(batch) });
const data = prepareCharData(s);
const model = buildCharModel(s, data.vocab.vocabularySize);
if (cosine !== undefined) {
  const learningRate = cosineDecay({ initialLearningRate: s.learningRate, decaySteps: Number(cosine) });
  model.compile({ optimizer: new Adam({ learningRate, clipnorm: 5 }), loss: 'sparseCategoricalCrossentropy' });
}
const N = Number(steps), stop = new AbortController(), times: number[] = [], points: string[] = [];
let step = 0, last = Date.now();
await model.fit(data.xTrain, data.yTrain, {
  epochs: 1000, batchSize: s.batchSize, seed: s.seed, shuffle: true, signal: stop.signal,
  callbacks: [{
    onBatchEnd: () => {
      step++;
      times.push(Date.now() - last);
      if (step % 100 === 0) {
        const nats = model.evaluate(data.xVal, data.yVal, { batchSize: 64 })['loss']!;
        points.push(`${step}:${nats.toFixed(3)}`);
        process.stderr.write(`${label} step ${step}: val ${nats.toFixed(4)} nats/char\n`);
      }
      if (step >= N) stop.abort();
      last = Date.now();
    },
  }],
});
times.sort((a, b) => a - b);
const b = getBackendInfo();
console.log([label, `lr=${lr} units=${units} window=${windowLength} batch=${batch}${cosine !== undefined ? ` cosine over ${cosine}` : ''}`,
  points.join(' '), `median ${(times[times.length >> 1]! / 1000).toFixed(3)} s/step`, `${b.name}, ${b.threads} thread(s)`].join('\t'));
