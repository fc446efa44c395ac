// erf / erfc (Cody 1969) against C's erf / erfc (values printed by Python's math module, glibc),
// and the normal CDF's tail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erf, erfc, normalCdf, softplus } from '../../src/kernels/scalar-math.js';

// [x, erf(x), erfc(x)] from Python 3 math.erf / math.erfc
const TABLE: [number, number, number][] = [
  [-30, -1.0, 2.0], [-6, -1.0, 2.0], [-4.5, -0.9999999998033839, 1.999999999803384], [-2, -0.9953222650189527, 1.9953222650189528],
  [-1, -0.8427007929497149, 1.842700792949715], [-0.5, -0.5204998778130465, 1.5204998778130465], [-0.3, -0.3286267594591274, 1.3286267594591274],
  [-1e-5, -1.1283791670579e-05, 1.0000112837916706], [1e-8, 1.1283791670955126e-08, 0.9999999887162083], [0.2, 0.22270258921047847, 0.7772974107895215],
  [0.47, 0.4937450508860821, 0.5062549491139179], [0.9, 0.7969082124228322, 0.20309178757716786], [1.5, 0.9661051464753108, 0.033894853524689274],
  [2.5, 0.999593047982555, 0.0004069520174449589], [3.9, 0.9999999652077514, 3.479224859723177e-08], [4.1, 0.9999999932999724, 6.700027654084918e-09],
  [6, 1.0, 2.1519736712498916e-17], [9, 1.0, 4.13703174651381e-37], [20, 1.0, 5.3958656116079005e-176],
];

describe('scalar math', () => {
  it('erf and erfc agree with C to 1e-15 relative (erfc in the far tail too)', () => {
    for (const [x, e, c] of TABLE) {
      assert.ok(Math.abs(erf(x) - e) <= 1e-15 * Math.abs(e), `erf(${x}) = ${erf(x)}, want ${e}`);
      assert.ok(Math.abs(erfc(x) - c) <= 1e-15 * Math.abs(c), `erfc(${x}) = ${erfc(x)}, want ${c}`);
    }
    assert.equal(erf(0), 0);
    assert.ok(Object.is(erf(-0), -0));
    assert.equal(erf(Infinity), 1);
    assert.equal(erfc(-Infinity), 2);
    assert.ok(Number.isNaN(erf(Number.NaN)) && Number.isNaN(erfc(Number.NaN)));
  });

  it('Phi keeps its relative accuracy in the lower tail; softplus does not overflow', () => {
    // Phi(-10) = erfc(10 / sqrt 2) / 2 = 7.619853024160593e-24 (Python: 0.5 * math.erfc(10 / math.sqrt(2)))
    // (the two arguments 10 SQRT1_2 and 10 / sqrt(2) differ by 1 ulp, 8.9e-16, and d log erfc(y) / dy = -2y - ...
    // is about -14 there: 1.3e-14 relative between the two, hence 3e-14)
    assert.ok(Math.abs(normalCdf(-10) / 7.619853024160593e-24 - 1) < 3e-14);
    assert.equal(normalCdf(0), 0.5);
    assert.equal(softplus(1000), 1000);
    assert.ok(Math.abs(softplus(-50) - Math.exp(-50)) < 1e-30);
  });
});
