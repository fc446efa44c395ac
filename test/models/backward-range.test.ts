// Training runs the backward pass from the last layer down to the first layer with weights only:
// the layers before it (Flatten, Dropout, pooling) have nothing to learn, so that layer is not asked
// for dC/dx (for Flatten -> Dense on images, a gemm the size of the forward one, every step). The
// weights' gradients must be those of the full backward pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, Dropout, Flatten, Rng, SGD, Sequential, Tensor, type Layer } from '../../src/index.js';

/** Records, per layer, the needsInputGradient of each backward call. */
function spy(layers: Layer[]): boolean[][] {
  return layers.map((l) => {
    const calls: boolean[] = [];
    const orig = l.backward.bind(l);
    l.backward = ((dy: Tensor, needs: boolean, ...rest: unknown[]) => { calls.push(needs); return (orig as (...a: unknown[]) => Tensor | null)(dy, needs, ...rest); }) as typeof l.backward;
    return calls;
  });
}

describe('backward pass range', () => {
  it('stops at the first layer with weights, which computes no input gradient; the gradients match a model without the leading layers', () => {
    const rng = new Rng(4), n = 32;
    const x = new Tensor(Float32Array.from({ length: n * 36 }, () => rng.normal()), [n, 6, 6, 1]);
    const y = new Tensor(Float32Array.from({ length: n }, () => rng.int(3)), [n]);
    const make = (lead: Layer[]) => {
      const m = new Sequential([...lead, new Dense({ units: 8, activation: 'relu', ...(lead.length ? {} : { inputShape: [36] }) }), new Dense({ units: 3, activation: 'softmax' })], { seed: 3 });
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const a = make([new Flatten({ inputShape: [6, 6, 1] }), new Dropout({ rate: 0 })]);
    const calls = spy(a.layers as Layer[]);
    a.computeGradients(x, y);
    assert.deepEqual(calls, [[], [], [false], [true]], 'Flatten and Dropout skipped; the first Dense asked for no input gradient');
    const b = make([]);
    b.computeGradients(x.reshape([n, 36]), y);
    const grads = (m: Sequential) => m.trainableParams().map((p) => Array.from(p.grad.data));
    assert.deepEqual(grads(a), grads(b));
  });
});
