// One SGD step equals the step computed by hand from BP1-BP4 (numbers written from the equations,
// never from nabla's output).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, SGD, Sequential, tensor } from '../../src/index.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('one SGD step by hand', () => {
  it("reproduces Mazur's published step-by-step backpropagation example (2-2-2 sigmoid, quadratic cost, eta 0.5)", async () => {
    // Matt Mazur, "A Step by Step Backpropagation Example" (2015): w1..w8 = .15 .20 .25 .30 .40 .45 .50 .55,
    // b1 = .35, b2 = .60, input (.05, .10), target (.01, .99). Published: E_total = 0.298371109 and after
    // one step w1 = 0.149780716, w2 = 0.19956143, w3 = 0.24975114, w4 = 0.29950229,
    // w5 = 0.35891648, w6 = 0.408666186, w7 = 0.511301270, w8 = 0.561370121.
    const model = new Sequential([
      new Dense({ units: 2, activation: 'sigmoid', inputShape: [2], dtype: 'float64' }),
      new Dense({ units: 2, activation: 'sigmoid', dtype: 'float64' }),
    ]);
    model.build();
    // Keras layout kernel[input][unit]: net_h1 = w1 i1 + w2 i2 -> kernel[0][0] = w1, kernel[1][0] = w2.
    model.setWeights([
      tensor([[0.15, 0.25], [0.20, 0.30]], undefined, 'float64'), tensor([0.35, 0.35], undefined, 'float64'),
      tensor([[0.40, 0.50], [0.45, 0.55]], undefined, 'float64'), tensor([0.60, 0.60], undefined, 'float64'),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'quadratic' });
    const { loss } = await model.trainOnBatch(tensor([[0.05, 0.10]], undefined, 'float64'), tensor([[0.01, 0.99]], undefined, 'float64'));
    close(loss, 0.298371109, 1e-9, 'E_total');
    const [k1, , k2] = model.getWeights();
    const published = { w1: 0.149780716, w2: 0.19956143, w3: 0.24975114, w4: 0.29950229, w5: 0.35891648, w6: 0.408666186, w7: 0.511301270, w8: 0.561370121 };
    close(k1!.data[0]!, published.w1, 1e-8, 'w1'); close(k1!.data[2]!, published.w2, 1e-8, 'w2');
    close(k1!.data[1]!, published.w3, 1e-8, 'w3'); close(k1!.data[3]!, published.w4, 1e-8, 'w4');
    close(k2!.data[0]!, published.w5, 1e-8, 'w5'); close(k2!.data[2]!, published.w6, 1e-8, 'w6');
    close(k2!.data[1]!, published.w7, 1e-8, 'w7'); close(k2!.data[3]!, published.w8, 1e-8, 'w8');
  });

  it('a batch of two: BP1-BP4 written out scalar by scalar, biases included', async () => {
    // Network 2-2-1, sigmoid everywhere, quadratic cost C = (1/m) sum_x (1/2)(y - a)^2, eta = 1.
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const W1 = [[0.1, -0.2], [0.3, 0.4]], b1 = [0.05, -0.05], W2 = [0.5, -0.6], b2 = 0.1, eta = 1;
    const X = [[1, 2], [-1, 0.5]], Y = [1, 0], m = 2;
    const gW1 = [[0, 0], [0, 0]], gb1 = [0, 0], gW2 = [0, 0];
    let gb2 = 0;
    for (let n = 0; n < m; n++) {
      const x = X[n]!;
      const z1 = [0, 1].map((j) => x[0]! * W1[0]![j]! + x[1]! * W1[1]![j]! + b1[j]!);
      const a1 = z1.map(s);
      const z2 = a1[0]! * W2[0]! + a1[1]! * W2[1]! + b2, a2 = s(z2);
      const d2 = (a2 - Y[n]!) * a2 * (1 - a2) / m;                          // BP1 (with the 1/m of the mean)
      const d1 = [0, 1].map((j) => W2[j]! * d2 * a1[j]! * (1 - a1[j]!));     // BP2
      gb2 += d2; for (let j = 0; j < 2; j++) { gW2[j]! += a1[j]! * d2; gb1[j]! += d1[j]!; } // BP3, BP4
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) gW1[i]![j]! += x[i]! * d1[j]!;
    }
    const model = new Sequential([
      new Dense({ units: 2, activation: 'sigmoid', inputShape: [2], dtype: 'float64' }),
      new Dense({ units: 1, activation: 'sigmoid', dtype: 'float64' }),
    ]);
    model.build();
    const f64 = (v: number[] | number[][]) => tensor(v, undefined, 'float64');
    model.setWeights([f64(W1), f64(b1), f64([[W2[0]!], [W2[1]!]]), f64([b2])]);
    model.compile({ optimizer: new SGD({ learningRate: eta }), loss: 'quadratic' });
    await model.trainOnBatch(f64(X), f64([[Y[0]!], [Y[1]!]]));
    const [k1, c1, k2, c2] = model.getWeights().map((t) => Array.from(t.data));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(k1![i * 2 + j]!, W1[i]![j]! - eta * gW1[i]![j]!, 1e-15, `W1[${i}][${j}]`);
    for (let j = 0; j < 2; j++) { close(c1![j]!, b1[j]! - eta * gb1[j]!, 1e-15, `b1[${j}]`); close(k2![j]!, W2[j]! - eta * gW2[j]!, 1e-15, `W2[${j}]`); }
    close(c2![0]!, b2 - eta * gb2, 1e-15, 'b2');
  });
});
