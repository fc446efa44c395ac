// Automatic layer names: '<class>_<n>', the smallest n not taken, unique over many layers (the
// search used to scan every layer per try: 3,000 unnamed layers took over a minute).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, Sequential } from '../../src/index.js';

describe('automatic layer names', () => {
  it('3,000 unnamed layers get dense_1 ... dense_3000', { timeout: 30_000 /* a guard against the cubic search, not a measure */ }, () => {
    const model = new Sequential(Array.from({ length: 3000 }, () => new Dense({ units: 1 })));
    const names = model.layers.map((l) => l.name);
    assert.equal(new Set(names).size, 3000);
    assert.equal(names[0], 'dense_1');
    assert.equal(names[2999], 'dense_3000');
  });

  it('skips names the user took, and still refuses a duplicate', () => {
    const model = new Sequential([new Dense({ units: 1, name: 'dense_2' }), new Dense({ units: 1 }), new Dense({ units: 1 }), new Dense({ units: 1 })]);
    assert.deepEqual(model.layers.map((l) => l.name), ['dense_2', 'dense_1', 'dense_3', 'dense_4']);
    assert.throws(() => model.add(new Dense({ units: 1, name: 'dense_3' })), /a layer named 'dense_3' is already in the model/);
  });
});
