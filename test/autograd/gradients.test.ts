/**
 * Every op's gradient, and its second derivative (a Hessian-vector product through grad of grad),
 * against central finite differences in float64 (1e-6 relative), over random shapes drawn by
 * fast-check (seeded, bounded runs) including broadcasting, size-1 and empty axes.
 */
import { test } from 'node:test';
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import { Rng, type Tensor } from '../../src/index.js';
import { checkGradients, drawer, randomTensor, type Domain } from './helpers.js';

const RUNS = 12;
const dim = fc.integer({ min: 0, max: 3 });
const shapeArb = fc.array(dim, { maxLength: 3 });
const rankOneShape = fc.array(dim, { minLength: 1, maxLength: 3 });
const nonEmptyShape = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A shape and a second one broadcastable against it (leading axes dropped, some set to 1). */
const broadcastPair = fc.tuple(shapeArb, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 3 }))
  .map(([s, ones, drop]) => [s, s.slice(Math.min(drop, s.length)).map((d, i) => (ones[i] ? 1 : d))] as const);

function unaryCase(name: string, f: (x: Tensor) => Tensor, domain: Domain, shapes = shapeArb): void {
  test(`gradient of ${name}`, () => {
    fc.assert(fc.property(shapes, seedArb, (shape, seed) => {
      const rng = new Rng(seed);
      checkGradients(name, ([x]) => f(x!), [randomTensor(shape, drawer(rng, domain))], rng);
    }), { seed: 13, numRuns: RUNS });
  });
}

unaryCase('neg', (x) => nb.neg(x), 'any');
unaryCase('square', (x) => nb.square(x), 'any');
unaryCase('sqrt', (x) => nb.sqrt(x), 'positive');
unaryCase('exp', (x) => nb.exp(x), 'any');
unaryCase('log', (x) => nb.log(x), 'positive');
unaryCase('log1p', (x) => nb.log1p(x), 'positive');
unaryCase('abs', (x) => nb.abs(x), 'awayFromZero');
unaryCase('sign', (x) => nb.sign(x), 'awayFromZero');
unaryCase('reciprocal', (x) => nb.reciprocal(x), 'awayFromZero');
unaryCase('clipByValue', (x) => nb.clipByValue(x, -0.25, 0.25).add(x.mul(0.1)), 'awayFromZero');
unaryCase('sigmoid', (x) => nb.sigmoid(x), 'any');
unaryCase('tanh', (x) => nb.tanh(x), 'any');
unaryCase('relu', (x) => nb.relu(x), 'awayFromZero');
unaryCase('leakyRelu', (x) => nb.leakyRelu(x, 0.1), 'awayFromZero');
unaryCase('elu', (x) => nb.elu(x), 'awayFromZero');
unaryCase('softplus', (x) => nb.softplus(x), 'any');
unaryCase('softmax (last axis)', (x) => nb.softmax(x), 'any', rankOneShape);
unaryCase('logSoftmax (last axis)', (x) => nb.logSoftmax(x), 'any', rankOneShape);
unaryCase('reshape (-1)', (x) => nb.reshape(x.square(), [-1]), 'any');
unaryCase('expandDims + squeeze', (x) => nb.squeeze(nb.expandDims(x.square(), 0), [0]), 'any');
unaryCase('transpose (reversed axes)', (x) => nb.transpose(x.square()), 'any');
unaryCase('tile', (x) => nb.tile(x.square(), x.shape.map((_, i) => 1 + (i % 2))), 'any');
unaryCase('pad', (x) => nb.pad(x.exp(), x.shape.map((_, i) => [i % 2, 1] as [number, number]), 3), 'any');
unaryCase('stack with itself', (x) => nb.stack([x.square(), x], -1), 'any');
unaryCase('a float32 round trip inside (cast)', (x) => nb.cast(nb.cast(x, 'float32'), 'float64').mul(0).add(x.square()), 'any');
unaryCase('prod over all axes', (x) => nb.prod(x), 'awayFromZero', fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }));

/** Random axes of a rank-r tensor (possibly none) and keepDims. */
const axesFor = (rank: number, seed: number): { axes: number[]; keepDims: boolean } => {
  const rng = new Rng(seed + 1);
  return { axes: Array.from({ length: rank }, (_, i) => i).filter(() => rng.uniform() < 0.5), keepDims: rng.uniform() < 0.5 };
};

for (const name of ['sum', 'mean', 'max', 'min', 'prod', 'logSumExp'] as const) {
  test(`gradient of ${name} over random axes, keepDims either way`, () => {
    const domain: Domain = name === 'prod' ? 'awayFromZero' : 'any';
    fc.assert(fc.property(name === 'max' || name === 'min' ? fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }) : shapeArb, seedArb, (shape, seed) => {
      const rng = new Rng(seed);
      const { axes, keepDims } = axesFor(shape.length, seed);
      const x = randomTensor(shape, drawer(rng, domain));
      const y0 = nb[name](x, axes, keepDims);
      if (!Array.from(y0.data).every(Number.isFinite)) return; // an empty mean (NaN) or logSumExp (-inf)
      checkGradients(`${name}(${JSON.stringify(axes)}, ${keepDims})`, ([t]) => nb[name](t!, axes, keepDims), [x], rng);
    }), { seed: 7, numRuns: RUNS });
  });
}

const binaries: [string, (a: Tensor, b: Tensor) => Tensor, Domain, Domain][] = [
  ['add', nb.add, 'any', 'any'], ['sub', nb.sub, 'any', 'any'], ['mul', nb.mul, 'any', 'any'],
  ['div', nb.div, 'any', 'awayFromZero'], ['pow', nb.pow, 'positive', 'any'],
  ['maximum', nb.maximum, 'any', 'any'], ['minimum', nb.minimum, 'any', 'any'],
  ['where(a > b)', (a, b) => nb.where(nb.greater(a, b), a.square(), b.exp()), 'any', 'any'],
];
for (const [name, f, da, db] of binaries) {
  test(`gradient of ${name} with broadcasting`, () => {
    fc.assert(fc.property(broadcastPair, fc.boolean(), seedArb, ([sa, sb], swap, seed) => {
      const rng = new Rng(seed);
      const [s1, s2] = swap ? [sb, sa] : [sa, sb];
      checkGradients(name, ([a, b]) => f(a!, b!), [randomTensor(s1, drawer(rng, da)), randomTensor(s2, drawer(rng, db))], rng);
    }), { seed: 11, numRuns: RUNS });
  });
}

test('gradient of matMul: transposes, batches, a shared (broadcast) operand, empty dimensions', () => {
  fc.assert(fc.property(fc.tuple(dim, dim, dim, fc.integer({ min: 1, max: 3 })), fc.boolean(), fc.boolean(), fc.constantFrom('2x2', '3x3', '2x3', '3x2'), seedArb,
    ([m, k, n, batch], tA, tB, ranks, seed) => {
      const rng = new Rng(seed), draw = drawer(rng, 'any');
      const aShape = tA ? [k, m] : [m, k], bShape = tB ? [n, k] : [k, n];
      const a = randomTensor(ranks[0] === '3' ? [batch, ...aShape] : aShape, draw);
      const b = randomTensor(ranks[2] === '3' ? [ranks === '3x3' && rng.uniform() < 0.3 ? 1 : batch, ...bShape] : bShape, draw);
      checkGradients(`matMul(${ranks}, ${tA}, ${tB})`, ([x, y]) => nb.matMul(x!, y!, tA, tB), [a, b], rng);
    }), { seed: 5, numRuns: 20 });
});

test('gradient of slice, concat and gather (repeated indices accumulate)', () => {
  fc.assert(fc.property(nonEmptyShape, seedArb, (shape, seed) => {
    const rng = new Rng(seed), x = randomTensor(shape, drawer(rng, 'any'));
    const begin = shape.map((d) => rng.int(d)), size = shape.map((d, i) => rng.int(d - begin[i]! + 1));
    checkGradients('slice', ([t]) => nb.slice(t!.square(), begin, size), [x], rng);
    const axis = rng.int(shape.length);
    checkGradients('concat', ([t]) => nb.concat([t!, t!.exp(), t!.square()], axis), [x], rng);
    const idx = Array.from({ length: 4 }, () => rng.int(shape[axis]!));
    checkGradients('gather', ([t]) => nb.gather(t!.square(), idx, axis), [x], rng);
  }), { seed: 3, numRuns: RUNS });
});

test('gradient of broadcastTo and of a composite loss (log-softmax cross-entropy on a linear model)', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), seedArb, (n, d, k, seed) => {
    const rng = new Rng(seed), draw = drawer(rng, 'any');
    checkGradients('broadcastTo', ([t]) => nb.broadcastTo(t!.square(), [2, n, d]), [randomTensor([n, 1], draw).tile([1, 1])], rng);
    const labels = nb.oneHot(Array.from({ length: n }, () => rng.int(k)), k, 1, 0, 'float64');
    checkGradients('cross-entropy', ([x, w, b]) => nb.neg(nb.mean(nb.sum(nb.logSoftmax(nb.matMul(x!, w!).add(b!)).mul(labels), -1))),
      [randomTensor([n, d], draw), randomTensor([d, k], draw), randomTensor([k], draw)], rng);
  }), { seed: 9, numRuns: RUNS });
});
