/**
 * The sequence models every exporter is checked on (test/interop/recurrent-*.test.ts): SimpleRNN,
 * LSTM and GRU forwards and backwards, with and without returnSequences, GRU with and without
 * resetAfter, Bidirectional with each merge mode, Embedding -> recurrent -> Dense / TimeDistributed
 * text models; weights randomised from a seed. Inputs: uniform numbers, or integer ids for Embedding.
 */
import {
  Bidirectional, Dense, Embedding, GRU, LSTM, Sequential, SimpleRNN, tensor, TimeDistributed,
} from '../../src/index.js';
import type { Layer, Tensor } from '../../src/index.js';
import { Rng } from '../../src/tensor/rng.js';
import { randomInput, randomizeWeights } from './helpers.js';

/** A sequence model with what it needs: `ids` (the vocabulary size) for an Embedding input, and which formats can hold it. */
export interface RecurrentCase { name: string; model: Sequential; ids?: number; tfjs: boolean; torch: boolean }

/** [n, ...shape] integer ids in [0, vocabulary) as float32 (Embedding's input). */
export function randomIds(shape: readonly number[], n: number, vocabulary: number, seed: number): Tensor {
  const rng = new Rng(seed), size = n * shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: size }, () => Math.min(vocabulary - 1, Math.floor(rng.uniform() * vocabulary))), [n, ...shape]);
}

/** Seeded random input for a case (ids for an Embedding model). */
export function caseInput(c: RecurrentCase, n: number, seed: number): Tensor {
  return c.ids ? randomIds(c.model.inputShape!, n, c.ids, seed) : randomInput(c.model.inputShape!, n, seed);
}

/** The sequence models (tfjs: TF.js can run it; torch: nn.LSTM / nn.GRU / nn.RNN can). */
export function recurrentModels(): RecurrentCase[] {
  const T = 5, F = 3;
  const cases: { name: string; layers: Layer[]; ids?: number; tfjs?: boolean; torch?: boolean }[] = [
    { name: 'SimpleRNN tanh, returnSequences', layers: [new SimpleRNN({ units: 4, returnSequences: true, inputShape: [T, F] })] },
    { name: 'SimpleRNN relu, goBackwards, last step', layers: [new SimpleRNN({ units: 4, activation: 'relu', goBackwards: true, inputShape: [T, F] })] },
    { name: 'LSTM, last step', layers: [new LSTM({ units: 4, inputShape: [T, F] })] },
    { name: 'LSTM goBackwards, returnSequences', layers: [new LSTM({ units: 3, goBackwards: true, returnSequences: true, inputShape: [T, F] })] },
    { name: 'LSTM hardSigmoid gates, no bias', layers: [new LSTM({ units: 3, recurrentActivation: 'hardSigmoid', useBias: false, inputShape: [T, F] })], torch: false },
    { name: 'GRU resetAfter true, last step', layers: [new GRU({ units: 4, inputShape: [T, F] })], tfjs: false },
    { name: 'GRU resetAfter false, returnSequences', layers: [new GRU({ units: 4, resetAfter: false, returnSequences: true, inputShape: [T, F] })], torch: false },
    { name: 'GRU resetAfter true, goBackwards, returnSequences', layers: [new GRU({ units: 3, goBackwards: true, returnSequences: true, inputShape: [T, F] })], tfjs: false },
    { name: 'GRU resetAfter false, goBackwards, last step', layers: [new GRU({ units: 3, resetAfter: false, goBackwards: true, inputShape: [T, F] })], torch: false },
    { name: 'Bidirectional LSTM concat, returnSequences', layers: [new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), inputShape: [T, F] })] },
    { name: 'Bidirectional LSTM ave, last step', layers: [new Bidirectional({ layer: new LSTM({ units: 3 }), mergeMode: 'ave', inputShape: [T, F] })] },
    { name: 'Bidirectional GRU (resetAfter) sum, last step', layers: [new Bidirectional({ layer: new GRU({ units: 3 }), mergeMode: 'sum', inputShape: [T, F] })], tfjs: false },
    { name: 'Bidirectional GRU (no resetAfter) concat, last step', layers: [new Bidirectional({ layer: new GRU({ units: 3, resetAfter: false }), inputShape: [T, F] })], torch: false },
    { name: 'Bidirectional SimpleRNN mul, returnSequences, inner goBackwards', layers: [new Bidirectional({ layer: new SimpleRNN({ units: 3, goBackwards: true, returnSequences: true }), mergeMode: 'mul', inputShape: [T, F] })] },
    { name: 'Embedding -> LSTM -> Dense softmax', ids: 11, layers: [new Embedding({ inputDim: 11, outputDim: 4, inputLength: 6 }), new LSTM({ units: 5 }), new Dense({ units: 3, activation: 'softmax' })] },
    { name: 'Embedding -> stacked LSTMs -> Dense on sequences', ids: 9, layers: [new Embedding({ inputDim: 9, outputDim: 3, inputLength: 4 }),
      new LSTM({ units: 4, returnSequences: true }), new LSTM({ units: 4, returnSequences: true }), new Dense({ units: 2, activation: 'tanh' })] },
    { name: 'GRU -> TimeDistributed(Dense softmax)', layers: [new GRU({ units: 4, resetAfter: false, returnSequences: true, inputShape: [T, F] }),
      new TimeDistributed({ layer: new Dense({ units: 3, activation: 'softmax' }) })], torch: false },
    { name: 'Bidirectional LSTM -> TimeDistributed(Dense)', layers: [new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), inputShape: [T, F] }),
      new TimeDistributed({ layer: new Dense({ units: 2 }) })] },
  ];
  return cases.map((c, i) => {
    const model = new Sequential(c.layers, { seed: 400 + i });
    model.build();
    randomizeWeights(model, 500 + i);
    return { name: c.name, model, ...(c.ids ? { ids: c.ids } : {}), tfjs: c.tfjs ?? true, torch: c.torch ?? true };
  });
}
