/**
 * Slots: allocated lazily from the backend with the parameter's dtype, keyed by parameter name;
 * getSlots / setSlots round-trip so that a resumed run continues exactly; applyGradients checks
 * its input before changing anything.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisposedError } from '../../src/errors.js';
import { getKernels } from '../../src/kernels/index.js';
import type { Param } from '../../src/nn/param.js';
import {
  Adagrad, Adam, RMSprop, SGD, cosineDecay, exponentialDecay, optimizerFromConfig,
} from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { DType } from '../../src/tensor/tensor.js';
import { makeParam, setGrad } from './helpers.js';

/** Runs `fn` while recording the current backend's alloc / free calls. */
function recordingAllocations<T>(fn: () => T): { result: T; allocs: [DType, number][]; frees: number } {
  const backend = getKernels();
  const alloc = backend.alloc, free = backend.free;
  const allocs: [DType, number][] = [];
  let frees = 0;
  backend.alloc = (dtype, n) => { allocs.push([dtype, n]); return alloc(dtype, n); };
  backend.free = (b) => { frees++; free(b); };
  try {
    return { result: fn(), allocs, frees };
  } finally {
    backend.alloc = alloc;
    backend.free = free;
  }
}

function twoParams(dtype: DType = 'float64'): Param[] {
  return [makeParam('dense/kernel', [0.5, -0.2, 0.1, 0.3, -0.4, 0.25], [3, 2], dtype), makeParam('dense/bias', [0.1, -0.1], [2], dtype)];
}

/** A deterministic gradient that depends on w: g = 2 (w - target) + 0.1 sin(3 w). */
function computeGradients(params: Param[]): void {
  for (const p of params) {
    const w = p.value.data;
    setGrad(p, Array.from(w, (x, i) => 2 * (x - 0.05 * (i + 1)) + 0.1 * Math.sin(3 * x)));
  }
}

function train(opt: Optimizer, params: Param[], steps: number): void {
  for (let i = 0; i < steps; i++) { computeGradients(params); opt.applyGradients(params); }
}

function snapshot(params: Param[]): number[][] {
  return params.map((p) => Array.from(p.value.data));
}

describe('slot allocation', () => {
  it('nothing before the first update; then one buffer per slot with the parameter dtype and size', () => {
    const opt = new Adam();
    assert.deepEqual(opt.getSlots(), []);
    const params = twoParams('float64');
    computeGradients(params);
    const first = recordingAllocations(() => opt.applyGradients(params));
    assert.deepEqual(first.allocs, [['float64', 6], ['float64', 6], ['float64', 2], ['float64', 2]]);
    assert.deepEqual(opt.getSlots().map((s) => [s.name, s.tensor.dtype, s.tensor.shape]), [
      ['dense/kernel/m', 'float64', [3, 2]], ['dense/kernel/v', 'float64', [3, 2]],
      ['dense/bias/m', 'float64', [2]], ['dense/bias/v', 'float64', [2]],
    ]);
    const second = recordingAllocations(() => opt.applyGradients(params));
    assert.deepEqual(second.allocs, [], 'slots are reused');
  });

  it('float32 parameters get float32 slots', () => {
    const opt = new RMSprop();
    const params = twoParams('float32');
    computeGradients(params);
    const { allocs } = recordingAllocations(() => opt.applyGradients(params));
    assert.deepEqual(allocs, [['float32', 6], ['float32', 2]]);
    assert.ok(opt.getSlots().every((s) => s.tensor.data instanceof Float32Array));
  });

  it('slot names per optimiser; plain SGD keeps none', () => {
    const names = (opt: Optimizer): string[] => { const ps = twoParams(); computeGradients(ps); opt.applyGradients(ps); return opt.getSlots().map((s) => s.name); };
    assert.deepEqual(names(new SGD()), []);
    assert.deepEqual(names(new SGD({ momentum: 0.5 })), ['dense/kernel/momentum', 'dense/bias/momentum']);
    assert.deepEqual(names(new RMSprop()), ['dense/kernel/rms', 'dense/bias/rms']);
    assert.deepEqual(names(new Adagrad()), ['dense/kernel/accumulator', 'dense/bias/accumulator']);
  });

  it("Adagrad's accumulator starts at initialAccumulatorValue: s = 0.5 + g^2", () => {
    const opt = new Adagrad({ initialAccumulatorValue: 0.5 });
    const p = makeParam('w', [0, 0], [2]);
    setGrad(p, [1, 2]);
    opt.applyGradients([p]);
    assert.deepEqual(Array.from(opt.getSlots()[0]!.tensor.data), [1.5, 4.5]);
  });

  it('getSlots returns copies', () => {
    const opt = new SGD({ momentum: 0.9 });
    const params = twoParams();
    train(opt, params, 1);
    const slots = opt.getSlots();
    const before = Array.from(slots[0]!.tensor.data);
    slots[0]!.tensor.data.fill(123);
    assert.deepEqual(Array.from(opt.getSlots()[0]!.tensor.data), before);
  });

  it('non-trainable parameters are neither updated nor given slots', () => {
    const opt = new Adam({ learningRate: 0.1 });
    const [kernel, bias] = twoParams();
    bias!.trainable = false;
    computeGradients([kernel!, bias!]);
    opt.applyGradients([kernel!, bias!]);
    assert.deepEqual(Array.from(bias!.value.data), [0.1, -0.1]);
    assert.deepEqual(opt.getSlots().map((s) => s.name), ['dense/kernel/m', 'dense/kernel/v']);
  });

  it('dispose frees every buffer through the backend, once; using the optimiser afterwards throws DisposedError', () => {
    const opt = new Adam({ clipnorm: 1 });
    const params = twoParams();
    train(opt, params, 2);
    const { frees } = recordingAllocations(() => opt.dispose());
    assert.equal(frees, 4 + 1, 'four slots and the clipping scratch buffer');
    assert.equal(recordingAllocations(() => opt.dispose()).frees, 0, 'a second dispose frees nothing');
    assert.throws(() => opt.getSlots(), (e) => e instanceof DisposedError && /^Adam optimizer was disposed; getSlots\(\)/.test(e.message));
    assert.equal(opt.iterations, 2);
  });
});

describe('getSlots / setSlots round trip', () => {
  const makers: [string, () => Optimizer][] = [
    ['SGD momentum Nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['Adam', () => new Adam({ learningRate: 0.05 })],
    ['Adam with exponentialDecay and clipnorm', () => new Adam({ learningRate: exponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.7 }), clipnorm: 0.5 })],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01 })],
    ['Adagrad with cosineDecay', () => new Adagrad({ learningRate: cosineDecay({ initialLearningRate: 0.2, decaySteps: 8 }) })],
  ];
  for (const [what, make] of makers) {
    it(`${what}: a resumed run continues bit for bit`, () => {
      const a = make();
      const paramsA = twoParams();
      train(a, paramsA, 3);
      const saved = { weights: snapshot(paramsA), slots: a.getSlots(), iterations: a.iterations, config: JSON.parse(JSON.stringify(a.getConfig())) };
      train(a, paramsA, 4);

      const b = optimizerFromConfig(saved.config);
      const paramsB = twoParams();
      paramsB.forEach((p, i) => p.value.data.set(saved.weights[i]!));
      b.setSlots(saved.slots);
      b.iterations = saved.iterations;
      train(b, paramsB, 4);

      assert.deepEqual(snapshot(paramsB), snapshot(paramsA));
      assert.deepEqual(b.getSlots(), a.getSlots());
      assert.equal(b.iterations, 7);
    });
  }

  it("Adam without its iterations restored diverges (the bias correction uses t), so the count matters", () => {
    const a = new Adam({ learningRate: 0.05 });
    const paramsA = twoParams();
    train(a, paramsA, 3);
    const slots = a.getSlots(), weights = snapshot(paramsA);
    train(a, paramsA, 1);
    const b = new Adam({ learningRate: 0.05 });
    const paramsB = twoParams();
    paramsB.forEach((p, i) => p.value.data.set(weights[i]!));
    b.setSlots(slots);
    train(b, paramsB, 1);
    assert.notDeepEqual(snapshot(paramsB), snapshot(paramsA));
  });

  it('setSlots replaces the whole state; float32 slots given to float64 parameters are converted', () => {
    const a = new RMSprop();
    const params = twoParams('float64');
    train(a, params, 2);
    const slots32 = a.getSlots().map((s) => ({ name: s.name, tensor: s.tensor.cast('float32') }));
    const b = new RMSprop();
    b.setSlots([slots32[0]!]);           // only the kernel's slot
    train(b, twoParams('float64'), 1);
    const got = b.getSlots();
    assert.deepEqual(got.map((s) => [s.name, s.tensor.dtype]), [['dense/kernel/rms', 'float64'], ['dense/bias/rms', 'float64']]);
  });
});

describe('setSlots validation (nothing changes when it throws)', () => {
  function trained(): { opt: Adam; before: ReturnType<Adam['getSlots']> } {
    const opt = new Adam();
    train(opt, twoParams(), 1);
    return { opt, before: opt.getSlots() };
  }
  const t = (values: number[], shape: number[]): Tensor => new Tensor(Float64Array.from(values), shape);

  it('an unknown slot name lists the valid ones', () => {
    const { opt, before } = trained();
    assert.throws(() => opt.setSlots([...before, { name: 'dense/kernel/velocity', tensor: t([0, 0, 0, 0, 0, 0], [3, 2]) }]),
      /Adam.setSlots: slot 'dense\/kernel\/velocity' is not '<parameter>\/<slot>' with a slot this optimiser keeps; valid slot names: m, v/);
    assert.throws(() => opt.setSlots([{ name: 'm', tensor: t([0], [1]) }]), /slot 'm' is not '<parameter>\/<slot>'/);
    assert.throws(() => new SGD().setSlots([{ name: 'w/momentum', tensor: t([0], [1]) }]), /SGD.setSlots: .*valid slot names: \(none\)/);
    assert.deepEqual(opt.getSlots(), before);
  });
  it('a shape that differs from a known parameter is named with both shapes', () => {
    const { opt, before } = trained();
    assert.throws(() => opt.setSlots([{ name: 'dense/kernel/m', tensor: t([1, 2], [2]) }]),
      /Adam.setSlots: slot 'dense\/kernel\/m' has shape \[2\] but parameter 'dense\/kernel' has shape \[3, 2\]/);
    assert.deepEqual(opt.getSlots(), before);
  });
  it('a shape mismatch with a parameter not yet seen is caught at its first update, before anything changes', () => {
    const opt = new Adam();
    opt.setSlots([{ name: 'dense/bias/m', tensor: t([1, 2, 3], [3]) }]);
    const params = twoParams();
    computeGradients(params);
    const weights = snapshot(params);
    assert.throws(() => opt.applyGradients(params),
      /Adam.applyGradients: slot 'dense\/bias\/m' has shape \[3\] but parameter 'dense\/bias' has shape \[2\]/);
    assert.deepEqual(snapshot(params), weights);
    assert.equal(opt.iterations, 0);
  });
  it('duplicates, NaN and malformed entries', () => {
    const { opt, before } = trained();
    assert.throws(() => opt.setSlots([before[0]!, before[0]!]), /Adam.setSlots: slot 'dense\/kernel\/m' appears twice/);
    assert.throws(() => opt.setSlots([{ name: 'dense/bias/v', tensor: t([1, NaN], [2]) }]), /Adam.setSlots: slot 'dense\/bias\/v' holds NaN or infinite values/);
    assert.throws(() => opt.setSlots([{ name: 'dense/bias/v', tensor: [1, 2] as never }]), /Adam.setSlots: slots\[0\] must be \{ name: string, tensor: Tensor \}/);
    assert.throws(() => opt.setSlots('x' as never), /Adam.setSlots: slots must be an array of \{ name, tensor \}, got "x"/);
    assert.deepEqual(opt.getSlots(), before);
  });
});

describe('applyGradients checks its input before changing anything', () => {
  it('grad shape or dtype different from the value', () => {
    const opt = new SGD();
    const p = makeParam('w', [1, 2], [2]);
    p.grad = new Tensor(new Float64Array(2), [1, 2]);
    assert.throws(() => opt.applyGradients([p]), /SGD.applyGradients: parameter 'w' has value shape \[2\] but grad shape \[1, 2\]/);
    p.grad = new Tensor(new Float32Array(2), [2]);
    assert.throws(() => opt.applyGradients([p]), /SGD.applyGradients: parameter 'w' has value dtype float64 but grad dtype float32/);
    assert.equal(opt.iterations, 0);
  });
  it('repeated parameter names', () => {
    const opt = new Adam();
    const a = makeParam('w', [1], [1]), b = makeParam('w', [2], [1]);
    setGrad(a, [1]);
    assert.throws(() => opt.applyGradients([a, b]), /Adam.applyGradients: parameter name 'w' appears twice/);
    assert.deepEqual(Array.from(a.value.data), [1]);
  });
  it('a parameter whose shape changed between updates', () => {
    const opt = new SGD();
    opt.applyGradients([makeParam('w', [1, 2], [2])]);
    assert.throws(() => opt.applyGradients([makeParam('w', [1, 2, 3], [3])]),
      /SGD.applyGradients: parameter 'w' had shape \[2\] in earlier updates but has \[3\] now/);
  });
  it('neither an array nor a map of gradients', () => {
    assert.throws(() => new SGD().applyGradients(42 as never), /SGD.applyGradients: params must be an array of parameters or a map of gradients by variable name, got 42/);
    assert.throws(() => new SGD().applyGradients({ w: 3 } as never), /no live variable is named 'w'/);
    const opt = new SGD();
    opt.applyGradients({}); // an empty map of gradients updates nothing (TF.js)
    assert.equal(opt.iterations, 1);
  });
});
