// Optimisers on variables, as TF.js: minimize(f, returnCost?, varList?) and applyGradients(NamedTensorMap).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adam, memory, SGD, Tensor, tensor, variable, type Param } from '../../src/index.js';

describe('optimizers on variables', () => {
  it('minimize: SGD on (w - 3)^2 follows w_n = 3 + (w_0 - 3) 0.8^n exactly (lr 0.1, float64)', () => {
    const w = variable(tensor([0, 5], undefined, 'float64'), true, 'minimize_w');
    const opt = new SGD({ learningRate: 0.1 });
    try {
      for (let n = 1; n <= 30; n++) {
        const cost = opt.minimize(() => w.sub(3).square().sum(), true)!;
        assert.equal(cost.rank, 0);
        cost.dispose();
        const want = [3 - 3 * 0.8 ** n, 3 + 2 * 0.8 ** n];
        w.dataSync().forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `step ${n}: ${v} vs ${want[i]}`));
      }
      assert.equal(opt.iterations, 30);
      assert.equal(opt.minimize(() => w.sub(3).square().sum()), null);
    } finally { w.dispose(); opt.dispose(); }
  });

  it('minimize(f, varList) updates only the listed variables, and memory stays flat', () => {
    const a = variable(tensor([1], undefined, 'float64'), true, 'minimize_a'), b = variable(tensor([1], undefined, 'float64'), true, 'minimize_b');
    const opt = new SGD({ learningRate: 0.5 });
    try {
      opt.minimize(() => a.mul(b).sum(), [a]);
      const before = memory().numTensors;
      for (let i = 0; i < 50; i++) opt.minimize(() => a.mul(b).sum(), [a]);
      assert.equal(memory().numTensors, before);
      assert.equal(a.dataSync()[0], 1 - 51 * 0.5);
      assert.equal(b.dataSync()[0], 1);
    } finally { a.dispose(); b.dispose(); opt.dispose(); }
  });

  it('applyGradients with a NamedTensorMap or { name, tensor }[] equals the Param[] form (Adam, 3 steps)', () => {
    const v = variable(tensor([[0.5, -1], [2, 0.25]], undefined, 'float64'), true, 'named_v');
    const u = variable(tensor([[0.5, -1], [2, 0.25]], undefined, 'float64'), true, 'named_u');
    const p: Param = { name: 'named_p', value: new Tensor(Float64Array.from([0.5, -1, 2, 0.25]), [2, 2]), grad: new Tensor(new Float64Array(4), [2, 2]), trainable: true };
    const o1 = new Adam({ learningRate: 0.01 }), o2 = new Adam({ learningRate: 0.01 }), o3 = new Adam({ learningRate: 0.01 });
    try {
      for (let s = 0; s < 3; s++) {
        const g = tensor([[0.1 * (s + 1), -0.2], [0.3, 0.05 * s]], undefined, 'float64');
        o1.applyGradients({ named_v: g });
        o3.applyGradients([{ name: 'named_u', tensor: g }]);
        p.grad.data.set(g.data);
        o2.applyGradients([p]);
      }
      assert.deepEqual(Array.from(v.dataSync()), Array.from(p.value.data));
      assert.deepEqual(Array.from(u.dataSync()), Array.from(p.value.data));
      assert.notDeepEqual(Array.from(p.value.data), [0.5, -1, 2, 0.25]);
      assert.throws(() => o1.applyGradients({ nowhere: tensor([1]) }), /no live variable is named 'nowhere'/);
    } finally { v.dispose(); u.dispose(); o1.dispose(); o2.dispose(); o3.dispose(); }
  });
});
