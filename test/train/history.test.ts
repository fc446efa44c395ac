// History keeps one list per logged key, whatever its name: 'constructor' and '__proto__' are keys
// like any other, not the inherited Object members (which crashed: "push is not a function").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { History } from '../../src/train/history.js';

describe('History', () => {
  it("records keys named 'constructor', '__proto__' and 'toString' as lists", () => {
    const h = new History();
    h.record(0, JSON.parse('{"loss": 1, "constructor": 2, "__proto__": 3, "toString": 4}') as Record<string, number>);
    h.record(1, JSON.parse('{"loss": 5, "constructor": 6, "__proto__": 7, "toString": 8}') as Record<string, number>);
    assert.deepEqual(h.history.loss, [1, 5]);
    assert.deepEqual(h.history['constructor'], [2, 6]);
    assert.deepEqual(h.history['__proto__'], [3, 7]);
    assert.deepEqual(h.history['toString'], [4, 8]);
    assert.equal(JSON.stringify(h.toJSON()), '{"epoch":[0,1],"history":{"loss":[1,5],"constructor":[2,6],"__proto__":[3,7],"toString":[4,8]}}');
  });
});
