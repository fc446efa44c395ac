/**
 * Learning-rate schedules against their Keras formulas, evaluated by hand here (the expected
 * numbers are written from the formula, not computed by nabla).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adam, SGD, cosineDecay, exponentialDecay, optimizerFromConfig, piecewiseConstant, scheduleFromConfig,
} from '../../src/optim/index.js';
import type { LearningRateSchedule } from '../../src/optim/index.js';
import { makeParam, setGrad } from './helpers.js';

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-15 * Math.max(Math.abs(expected), 1e-300), `${what}: got ${actual}, expected ${expected}`);
}

/** schedule.at(step) near each [step, expected value] of the table (values written from the formula). */
function expectAt(schedule: LearningRateSchedule, table: [number, number][]): void {
  for (const [step, value] of table) near(schedule.at(step), value, `at(${step})`);
}

describe('exponentialDecay: lr = lr0 * rate^(step / decaySteps)', () => {
  const s = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  it('continuous', () => {
    // at(5) = 0.1 / sqrt 2, at(15) = 0.05 / sqrt 2
    expectAt(s, [[0, 0.1], [5, 0.07071067811865475], [10, 0.05], [20, 0.025], [15, 0.035355339059327376]]);
  });
  it('staircase floors the exponent', () => {
    const st = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expectAt(st, [[0, 0.1], [9, 0.1], [10, 0.05], [19, 0.05], [25, 0.025]]);
  });
  it('getConfig and scheduleFromConfig round-trip', () => {
    assert.deepEqual(s.getConfig(), { className: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: false });
    const back = scheduleFromConfig(JSON.parse(JSON.stringify(s.getConfig())));
    assert.deepEqual(back.getConfig(), s.getConfig());
    near(back.at(7), s.at(7), 'rebuilt at(7)');
  });
  it('validates its options', () => {
    assert.throws(() => exponentialDecay({ initialLearningRate: 0, decaySteps: 10, decayRate: 0.5 }), /exponentialDecay: initialLearningRate must be a finite number > 0, got 0/);
    assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: -1, decayRate: 0.5 }), /exponentialDecay: decaySteps must be a finite number > 0, got -1/);
    assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: NaN }), /exponentialDecay: decayRate must be a finite number > 0, got NaN/);
    assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never), /decayRate must be a finite number > 0, got undefined/);
    assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: 1 } as never), /staircase must be a boolean, got 1/);
    assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, decay: 1 } as never),
      /exponentialDecay: unknown option 'decay'; valid options: initialLearningRate, decaySteps, decayRate, staircase/);
    assert.throws(() => s.at(-1), /ExponentialDecay.at: step must be a finite number >= 0, got -1/);
  });
});

describe('piecewiseConstant: values[i] for boundaries[i-1] < step <= boundaries[i]', () => {
  const s = piecewiseConstant({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
  it('a boundary step keeps the earlier value', () => {
    assert.equal(s.at(0), 1);
    assert.equal(s.at(100), 1);
    assert.equal(s.at(101), 0.5);
    assert.equal(s.at(110), 0.5);
    assert.equal(s.at(111), 0.1);
    assert.equal(s.at(1e6), 0.1);
  });
  it('no boundaries: a constant', () => {
    assert.equal(piecewiseConstant({ boundaries: [], values: [0.3] }).at(12345), 0.3);
  });
  it('getConfig and scheduleFromConfig round-trip', () => {
    assert.deepEqual(s.getConfig(), { className: 'PiecewiseConstantDecay', boundaries: [100, 110], values: [1, 0.5, 0.1] });
    assert.deepEqual(scheduleFromConfig(s.getConfig()).getConfig(), s.getConfig());
  });
  it('validates its options', () => {
    assert.throws(() => piecewiseConstant({ boundaries: [100, 110], values: [1, 0.5] }), /piecewiseConstant: values must have one more element than boundaries \(3\), got 2/);
    assert.throws(() => piecewiseConstant({ boundaries: [110, 100], values: [1, 0.5, 0.1] }), /piecewiseConstant: boundaries must increase strictly, got boundaries\[0\] = 110 and boundaries\[1\] = 100/);
    assert.throws(() => piecewiseConstant({ boundaries: [100, 100], values: [1, 0.5, 0.1] }), /boundaries must increase strictly/);
    assert.throws(() => piecewiseConstant({ boundaries: [Infinity], values: [1, 0.5] }), /piecewiseConstant: boundaries\[0\] must be a finite number, got Infinity/);
    assert.throws(() => piecewiseConstant({ boundaries: [1], values: [1, -0.5] }), /piecewiseConstant: values\[1\] must be a finite number >= 0, got -0.5/);
    assert.throws(() => piecewiseConstant({ boundaries: 5, values: [1] } as never), /piecewiseConstant: boundaries must be an array of numbers, got 5/);
  });
});

describe('cosineDecay: lr = lr0 ((1 - alpha) 0.5 (1 + cos(pi min(step, T) / T)) + alpha)', () => {
  it('alpha 0', () => {
    const s = cosineDecay({ initialLearningRate: 1, decaySteps: 100 });
    near(s.at(0), 1, 'at(0)');
    near(s.at(25), 0.8535533905932737, 'at(25) = (1 + cos(pi/4)) / 2');
    near(s.at(50), 0.5, 'at(50)');
    assert.ok(Math.abs(s.at(100)) <= 1e-16, 'at(100) = 0');
    assert.ok(Math.abs(s.at(150)) <= 1e-16, 'at(150) = 0');
  });
  it('alpha 0.1, lr0 2: falls to 0.2 and stays', () => {
    const s = cosineDecay({ initialLearningRate: 2, decaySteps: 100, alpha: 0.1 });
    near(s.at(0), 2, 'at(0)');
    near(s.at(50), 1.1, 'at(50) = 2 (0.9 * 0.5 + 0.1)');
    near(s.at(100), 0.2, 'at(100)');
    near(s.at(200), 0.2, 'at(200)');
  });
  it('getConfig and scheduleFromConfig round-trip', () => {
    const s = cosineDecay({ initialLearningRate: 2, decaySteps: 100, alpha: 0.1 });
    assert.deepEqual(s.getConfig(), { className: 'CosineDecay', initialLearningRate: 2, decaySteps: 100, alpha: 0.1 });
    assert.deepEqual(scheduleFromConfig(s.getConfig()).getConfig(), s.getConfig());
  });
  it('validates its options', () => {
    assert.throws(() => cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 1.5 }), /cosineDecay: alpha must be a number in \[0, 1\], got 1.5/);
    assert.throws(() => cosineDecay({ initialLearningRate: 1, decaySteps: 0 }), /cosineDecay: decaySteps must be a finite number > 0, got 0/);
    assert.throws(() => cosineDecay({ initialLearningRate: '1', decaySteps: 10 } as never), /cosineDecay: initialLearningRate must be a finite number > 0, got "1"/);
  });
});

describe('scheduleFromConfig', () => {
  it('refuses an unknown class name, listing the valid ones', () => {
    assert.throws(() => scheduleFromConfig({ className: 'PolynomialDecay' }),
      /scheduleFromConfig: unknown learning-rate schedule 'PolynomialDecay'; valid class names: ExponentialDecay, PiecewiseConstantDecay, CosineDecay/);
    assert.throws(() => scheduleFromConfig({ className: 'toString' }), /unknown learning-rate schedule 'toString'/);
    assert.throws(() => scheduleFromConfig(null), /scheduleFromConfig: config must be an object, got null/);
    assert.throws(() => scheduleFromConfig({ initialLearningRate: 1 }), /scheduleFromConfig: className must be a string, got undefined/);
  });
});

describe('optimisers with a schedule', () => {
  it('the update after k earlier updates uses at(k)', () => {
    // SGD, w -= lr g with g = 1: lr = 1 for steps 0 and 1 (boundary 1 keeps the earlier value), then 0.5.
    const opt = new SGD({ learningRate: piecewiseConstant({ boundaries: [1], values: [1, 0.5] }) });
    const p = makeParam('w', [0], [1]);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push(opt.currentLearningRate());
      setGrad(p, [1]);
      opt.applyGradients([p]);
    }
    assert.deepEqual(seen, [1, 1, 0.5]);
    assert.deepEqual([...p.value.data], [-2.5]);
  });

  it('getConfig nests the schedule config and optimizerFromConfig rebuilds it', () => {
    const opt = new Adam({ learningRate: exponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9, staircase: true }), beta1: 0.8 });
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    assert.deepEqual(config, {
      className: 'Adam',
      learningRate: { className: 'ExponentialDecay', initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9, staircase: true },
      beta1: 0.8, beta2: 0.999, epsilon: 1e-7,
    });
    const back = optimizerFromConfig(config);
    assert.deepEqual(back.getConfig(), config);
  });

  it('a schedule that returns a bad value stops the update with the step, and changes nothing', () => {
    const bad: LearningRateSchedule = { at: (step) => (step >= 1 ? NaN : 0.1), getConfig: () => ({ className: 'Bad' }) };
    const opt = new SGD({ learningRate: bad });
    const p = makeParam('w', [1], [1]);
    setGrad(p, [1]);
    opt.applyGradients([p]);
    assert.throws(() => opt.applyGradients([p]), /SGD: the learning-rate schedule Bad returned NaN at step 1; expected a finite number >= 0/);
    assert.equal(opt.iterations, 1);
    assert.deepEqual([...p.value.data], [0.9]);
  });

  it('learningRate can be changed later (as a callback would), with validation', () => {
    const opt = new SGD({ learningRate: 0.1 });
    opt.learningRate = 0.05;
    assert.equal(opt.currentLearningRate(), 0.05);
    assert.throws(() => { opt.learningRate = -1; }, /SGD: learningRate must be a finite number > 0, got -1/);
    assert.equal(opt.learningRate, 0.05);
  });
});
