/** Option validation, defaults, getOptimizer and optimizerFromConfig. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adagrad, Adam, BaseOptimizer, OPTIMIZER_NAMES, RMSprop, SGD, getOptimizer, option, optimizerFromConfig, type OptimizerSpec,
} from '../../src/optim/index.js';

describe('defaults (Keras)', () => {
  it('getConfig of each optimiser built without options', () => {
    assert.deepEqual(new SGD().getConfig(), { className: 'SGD', learningRate: 0.01, momentum: 0, nesterov: false });
    assert.deepEqual(new Adam().getConfig(), { className: 'Adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.deepEqual(new RMSprop().getConfig(), { className: 'RMSprop', learningRate: 0.001, rho: 0.9, epsilon: 1e-7 });
    assert.deepEqual(new Adagrad().getConfig(), { className: 'Adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
  });
  it('names and iterations', () => {
    assert.deepEqual([new SGD().name, new Adam().name, new RMSprop().name, new Adagrad().name], ['sgd', 'adam', 'rmsprop', 'adagrad']);
    assert.equal(new Adam().iterations, 0);
  });
  it('an option explicitly undefined means the default', () => {
    assert.deepEqual(new Adam({ beta1: undefined, clipnorm: undefined }).getConfig(), new Adam().getConfig());
  });
  it('clip options appear in getConfig only when set', () => {
    assert.deepEqual(new SGD({ clipnorm: 1, clipvalue: 0.5 }).getConfig(),
      { className: 'SGD', learningRate: 0.01, momentum: 0, nesterov: false, clipnorm: 1, clipvalue: 0.5 });
  });
});

describe('option validation names the option, the expectation and the value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['learningRate 0', () => new SGD({ learningRate: 0 }), /^RangeError: SGD: learningRate must be a finite number > 0, got 0$/],
    ['learningRate -1', () => new Adam({ learningRate: -1 }), /Adam: learningRate must be a finite number > 0, got -1/],
    ['learningRate NaN', () => new RMSprop({ learningRate: NaN }), /RMSprop: learningRate must be a finite number > 0, got NaN/],
    ['learningRate Infinity', () => new Adagrad({ learningRate: Infinity }), /Adagrad: learningRate must be a finite number > 0, got Infinity/],
    ['learningRate string', () => new SGD({ learningRate: '0.1' as never }), /^TypeError: SGD: learningRate must be a finite number > 0, got "0.1"$/],
    ['learningRate object without at()', () => new SGD({ learningRate: {} as never }), /SGD: learningRate must be a finite number > 0 or a schedule \(an object with at\(\) and getConfig\(\)\), got an object/],
    ['momentum 1', () => new SGD({ momentum: 1 }), /^RangeError: SGD: momentum must be a number in \[0, 1\), got 1$/],
    ['momentum -0.1', () => new SGD({ momentum: -0.1 }), /SGD: momentum must be a number in \[0, 1\), got -0.1/],
    ['nesterov string', () => new SGD({ nesterov: 'yes' as never }), /^TypeError: SGD: nesterov must be a boolean, got "yes"$/],
    ['beta1 1', () => new Adam({ beta1: 1 }), /Adam: beta1 must be a number in \[0, 1\), got 1/],
    ['beta2 -0.5', () => new Adam({ beta2: -0.5 }), /Adam: beta2 must be a number in \[0, 1\), got -0.5/],
    ['beta2 NaN', () => new Adam({ beta2: NaN }), /Adam: beta2 must be a number in \[0, 1\), got NaN/],
    ['epsilon -1e-8', () => new Adam({ epsilon: -1e-8 }), /Adam: epsilon must be a finite number >= 0, got -1e-8/],
    ['epsilon Infinity', () => new RMSprop({ epsilon: Infinity }), /RMSprop: epsilon must be a finite number >= 0, got Infinity/],
    ['rho 1', () => new RMSprop({ rho: 1 }), /RMSprop: rho must be a number in \[0, 1\), got 1/],
    ['initialAccumulatorValue -0.1', () => new Adagrad({ initialAccumulatorValue: -0.1 }), /Adagrad: initialAccumulatorValue must be a finite number >= 0, got -0.1/],
    ['clipnorm 0', () => new SGD({ clipnorm: 0 }), /SGD: clipnorm must be a finite number > 0, got 0/],
    ['clipvalue -1', () => new Adam({ clipvalue: -1 }), /Adam: clipvalue must be a finite number > 0, got -1/],
    ['clipnorm Infinity', () => new Adagrad({ clipnorm: Infinity }), /Adagrad: clipnorm must be a finite number > 0, got Infinity/],
    ['options null', () => new SGD(null as never), /^TypeError: SGD: options must be an object, got null$/],
    ['options array', () => new Adam([] as never), /Adam: options must be an object, got an array of length 0/],
  ];
  for (const [what, make, re] of cases) {
    it(what, () => {
      assert.throws(make, (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(`${e.name}: ${e.message}`, re);
        return true;
      });
    });
  }
  it('boundary values are accepted: momentum 0, beta1 0, epsilon 0, initialAccumulatorValue 0', () => {
    new SGD({ momentum: 0 });
    new Adam({ beta1: 0, beta2: 0, epsilon: 0 });
    new Adagrad({ initialAccumulatorValue: 0, epsilon: 0 });
  });
});

describe('unknown option keys are refused with the valid ones listed', () => {
  it('SGD', () => assert.throws(() => new SGD({ lr: 0.1 } as never),
    /^TypeError: SGD: unknown option 'lr'; valid options: learningRate, clipnorm, clipvalue, momentum, nesterov$/));
  it('Adam', () => assert.throws(() => new Adam({ momentum: 0.9 } as never),
    /Adam: unknown option 'momentum'; valid options: learningRate, clipnorm, clipvalue, beta1, beta2, epsilon/));
  it('RMSprop', () => assert.throws(() => new RMSprop({ decay: 0.9 } as never),
    /RMSprop: unknown option 'decay'; valid options: learningRate, clipnorm, clipvalue, rho, epsilon/));
  it('Adagrad', () => assert.throws(() => new Adagrad({ initial_accumulator_value: 0.1 } as never),
    /Adagrad: unknown option 'initial_accumulator_value'; valid options: learningRate, clipnorm, clipvalue, initialAccumulatorValue, epsilon/));
});

describe('iterations', () => {
  it('accepts integers >= 0 and refuses anything else', () => {
    const opt = new Adam();
    opt.iterations = 41;
    assert.equal(opt.iterations, 41);
    assert.throws(() => { opt.iterations = -1; }, /Adam: iterations must be an integer >= 0, got -1/);
    assert.throws(() => { opt.iterations = 1.5; }, /Adam: iterations must be an integer >= 0, got 1.5/);
    assert.equal(opt.iterations, 41);
  });
});

describe('getOptimizer', () => {
  it('builds each named optimiser with its defaults', () => {
    assert.deepEqual(OPTIMIZER_NAMES, ['sgd', 'adam', 'rmsprop', 'adagrad']);
    const built = OPTIMIZER_NAMES.map((n) => getOptimizer(n));
    assert.ok(built[0] instanceof SGD && built[1] instanceof Adam && built[2] instanceof RMSprop && built[3] instanceof Adagrad);
    assert.deepEqual(built.map((o) => o.getConfig()), [new SGD(), new Adam(), new RMSprop(), new Adagrad()].map((o) => o.getConfig()));
    assert.notEqual(getOptimizer('adam'), getOptimizer('adam'), 'a fresh optimiser each time');
  });
  it('returns an optimiser as it is', () => {
    const opt = new SGD({ learningRate: 0.5 });
    assert.equal(getOptimizer(opt), opt);
  });
  it('refuses an unknown name, listing the valid names', () => {
    assert.throws(() => getOptimizer('nadam' as never), /^Error: getOptimizer: unknown optimizer 'nadam'; valid names: sgd, adam, rmsprop, adagrad$/);
    assert.throws(() => getOptimizer('Adam' as never), /unknown optimizer 'Adam'; valid names: sgd, adam, rmsprop, adagrad/);
    assert.throws(() => getOptimizer('constructor' as never), /unknown optimizer 'constructor'/);
  });
  it('refuses what is neither a name nor an optimiser', () => {
    assert.throws(() => getOptimizer(42 as never), /^TypeError: getOptimizer: expected one of sgd, adam, rmsprop, adagrad or an Optimizer, got 42$/);
    assert.throws(() => getOptimizer({ applyGradients() {} } as never), /got an object/);
  });
});

describe('optimizerFromConfig', () => {
  it('rebuilds every optimiser from its (JSON) config', () => {
    for (const opt of [
      new SGD({ learningRate: 0.2, momentum: 0.8, nesterov: true, clipnorm: 2 }),
      new Adam({ learningRate: 0.003, beta1: 0.5, beta2: 0.9, epsilon: 1e-4, clipvalue: 0.1 }),
      new RMSprop({ learningRate: 0.004, rho: 0.7, epsilon: 0 }),
      new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.3, epsilon: 1e-6 }),
    ]) {
      const config = JSON.parse(JSON.stringify(opt.getConfig()));
      const back = optimizerFromConfig(config);
      assert.equal(back.constructor, opt.constructor);
      assert.deepEqual(back.getConfig(), opt.getConfig());
    }
  });
  it('refuses an unknown class name, listing the valid ones', () => {
    assert.throws(() => optimizerFromConfig({ className: 'Nadam', learningRate: 0.1 }),
      /^Error: optimizerFromConfig: unknown optimizer class 'Nadam'; valid class names: SGD, Adam, RMSprop, Adagrad$/);
    assert.throws(() => optimizerFromConfig({ className: 'sgd' }), /unknown optimizer class 'sgd'/);
    assert.throws(() => optimizerFromConfig({ className: '__proto__' }), /unknown optimizer class '__proto__'/);
  });
  it('refuses a config that is not an object or has no className', () => {
    assert.throws(() => optimizerFromConfig('adam'), /^TypeError: optimizerFromConfig: config must be an object, got "adam"$/);
    assert.throws(() => optimizerFromConfig({ learningRate: 0.1 }), /^TypeError: optimizerFromConfig: className must be a string, got undefined$/);
  });
  it('validates every field, keeping the error type and naming the field', () => {
    assert.throws(() => optimizerFromConfig({ className: 'Adam', beta1: 2 }), /^RangeError: optimizerFromConfig: Adam: beta1 must be a number in \[0, 1\), got 2$/);
    assert.throws(() => optimizerFromConfig({ className: 'SGD', momentun: 0.9 }), /^TypeError: optimizerFromConfig: SGD: unknown option 'momentun'; valid options: /);
    assert.throws(() => optimizerFromConfig({ className: 'SGD', learningRate: { className: 'Warmup' } }),
      /optimizerFromConfig: scheduleFromConfig: unknown learning-rate schedule 'Warmup'/);
    assert.throws(() => optimizerFromConfig({ className: 'SGD', learningRate: { className: 'CosineDecay', initialLearningRate: 1, decaySteps: -5 } }),
      /optimizerFromConfig: cosineDecay: decaySteps must be a finite number > 0, got -5/);
    assert.throws(() => optimizerFromConfig({ className: 'SGD', learningRate: null }), /optimizerFromConfig: SGD: learningRate must be a finite number > 0, got null/);
  });
  it('does not modify the config it is given', () => {
    const config = { className: 'SGD', learningRate: { className: 'CosineDecay', initialLearningRate: 1, decaySteps: 5, alpha: 0 } };
    const copy = structuredClone(config);
    optimizerFromConfig(config);
    assert.deepEqual(config, copy);
  });
});

describe('BaseOptimizer reads its subclass spec', () => {
  it("a subclass without a 'spec' getter is refused with a TypeError naming it", () => {
    class NoSpec extends BaseOptimizer {
      protected override update(): void { /* never reached */ }
    }
    assert.throws(() => new NoSpec(), (e: unknown) => e instanceof TypeError && /NoSpec: a BaseOptimizer subclass must override the 'spec' getter/.test(e.message));
  });

  it("a spec's options become fields, config entries (in the spec's order) and checked keys", () => {
    const spec: OptimizerSpec = {
      className: 'Plain', name: 'plain', learningRate: 0.5, slots: () => [{ name: 'acc', initialValue: 2 }],
      options: { decay: option((owner, key, v) => { if (typeof v !== 'number' || v < 0) throw new RangeError(`${owner}: ${key} must be >= 0`); return v; }, 0.25) },
    };
    class Plain extends BaseOptimizer<{ learningRate?: number; decay?: number }> {
      declare readonly decay: number;
      protected override get spec(): OptimizerSpec { return spec; }
      protected override update(): void { /* not stepped here */ }
    }
    const p = new Plain({ decay: 3 });
    assert.equal(p.decay, 3);
    assert.deepEqual(p.getConfig(), { className: 'Plain', learningRate: 0.5, decay: 3 });
    assert.deepEqual(p.slotNames(), ['acc']);
    assert.equal(new Plain().decay, 0.25);
    assert.throws(() => new Plain({ decay: -1 }), /Plain: decay must be >= 0/);
    assert.throws(() => new Plain({ rate: 1 } as never), (e: unknown) => e instanceof TypeError && /Plain: unknown option 'rate'; valid options: learningRate, clipnorm, clipvalue, decay/.test(e.message));
  });
});
