import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ModelFileError,
  describeValue,
  expectArray,
  expectBoolean,
  expectInteger,
  expectIntegerArray,
  expectKeys,
  expectNonNegativeInteger,
  expectNumber,
  expectNumberArray,
  expectObject,
  expectOneOf,
  expectPositiveInteger,
  expectShape,
  expectString,
  expectStringArray,
  expectStringRecord,
  fieldPath,
  fileLabel,
  parseJsonFile,
} from '../../src/io/validate.js';

const PATH = '/runs/mnist/model.json';

/** Runs fn, expects a ModelFileError with exactly `message`, returns it. */
function refused(fn: () => unknown, message: string): ModelFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ModelFileError, `expected a ModelFileError, got ${String(e)}`);
    assert.equal(e.message, message);
    assert.equal(e.path, PATH);
    return e;
  }
  assert.fail('expected a ModelFileError');
}

test('the message names the file, the field, what was expected and what came', () => {
  const e = refused(
    () => expectPositiveInteger(-3, PATH, 'layers[2].config.units'),
    "model.json: field 'layers[2].config.units' must be a positive integer, got -3 (in /runs/mnist/model.json)",
  );
  assert.equal(e.field, 'layers[2].config.units');
  assert.equal(e.name, 'ModelFileError');
  assert.ok(e instanceof Error);
  // a bare file name is not repeated
  assert.equal(new ModelFileError('model.json', 'is empty').message, 'model.json: is empty');
  assert.equal(new ModelFileError('https://x.org/m/model.json', 'is empty').message, 'model.json: is empty (in https://x.org/m/model.json)');
});

test('fieldPath and fileLabel', () => {
  assert.equal(fieldPath('', 'layers'), 'layers');
  assert.equal(fieldPath('layers', 2), 'layers[2]');
  assert.equal(fieldPath('layers[2]', 'config'), 'layers[2].config');
  assert.equal(fieldPath('weights', 'dense_1/kernel'), 'weights["dense_1/kernel"]');
  assert.equal(fileLabel('/a/b/model.json'), 'model.json');
  assert.equal(fileLabel('C:\\m\\weights.safetensors'), 'weights.safetensors');
  assert.equal(fileLabel('/a/dir/'), 'dir');
});

test('describeValue shows short values as they are and summarises long ones', () => {
  assert.equal(describeValue(undefined), 'nothing');
  assert.equal(describeValue(null), 'null');
  assert.equal(describeValue(-0), '-0');
  assert.equal(describeValue('relu'), '"relu"');
  assert.equal(describeValue([1, 2]), '[1,2]');
  assert.equal(describeValue({ a: 1 }), '{"a":1}');
  assert.equal(describeValue(new Array(100).fill(1)), 'an array of 100 elements');
  assert.match(describeValue('x'.repeat(100)), /^"x{40}"\.\.\. \(a string of 100 characters\)$/);
});

test('missing fields say so', () => {
  refused(() => expectString(undefined, PATH, 'name'), "model.json: field 'name' is missing (expected a string) (in /runs/mnist/model.json)");
  refused(() => expectKeys({ a: 1 }, PATH, 'config', { required: ['a', 'units'] }), "model.json: field 'config.units' is missing (in /runs/mnist/model.json)");
});

test('unknown fields are refused, listing the allowed ones (unless allowUnknown)', () => {
  const e = refused(
    () => expectKeys({ units: 3, activaton: 'relu' }, PATH, 'layers[0].config', { required: ['units'], optional: ['activation'] }),
    "model.json: field 'layers[0].config' has an unknown field 'activaton' (allowed: 'units', 'activation') (in /runs/mnist/model.json)",
  );
  assert.equal(e.field, 'layers[0].config.activaton');
  expectKeys({ units: 3, extra: 1 }, PATH, 'c', { required: ['units'], allowUnknown: true });
  refused(() => expectKeys({ x: 1 }, PATH, '', {}), "model.json: the top-level object has an unknown field 'x' (allowed: none) (in /runs/mnist/model.json)");
});

test('objects, arrays, strings, booleans and enums', () => {
  const obj = { a: 1 };
  assert.equal(expectObject(obj, PATH, 'x'), obj);
  refused(() => expectObject([], PATH, ''), 'model.json: the top-level value must be an object, got [] (in /runs/mnist/model.json)');
  refused(() => expectObject(null, PATH, 'config'), "model.json: field 'config' must be an object, got null (in /runs/mnist/model.json)");
  assert.deepEqual(expectArray([1], PATH, 'x', { length: 1 }), [1]);
  refused(() => expectArray([1, 2, 3], PATH, 'kernelSize', { length: 2 }), "model.json: field 'kernelSize' must be an array of 2 elements, got [1,2,3] (in /runs/mnist/model.json)");
  refused(() => expectArray([], PATH, 'layers', { minLength: 1 }), "model.json: field 'layers' must be an array of at least 1 element, got [] (in /runs/mnist/model.json)");
  refused(() => expectString('', PATH, 'name', { nonEmpty: true }), "model.json: field 'name' must be a non-empty string, got \"\" (in /runs/mnist/model.json)");
  assert.equal(expectBoolean(false, PATH, 'useBias'), false);
  refused(() => expectBoolean('true', PATH, 'useBias'), "model.json: field 'useBias' must be true or false, got \"true\" (in /runs/mnist/model.json)");
  const padding: 'valid' | 'same' = expectOneOf('same', ['valid', 'same'] as const, PATH, 'padding');
  assert.equal(padding, 'same');
  refused(() => expectOneOf('full', ['valid', 'same'], PATH, 'padding'), "model.json: field 'padding' must be one of 'valid', 'same', got \"full\" (in /runs/mnist/model.json)");
});

test('numbers and integers with bounds', () => {
  assert.equal(expectNumber(0.5, PATH, 'rate', { min: 0, exclusiveMax: 1 }), 0.5);
  refused(() => expectNumber(1, PATH, 'rate', { min: 0, exclusiveMax: 1 }), "model.json: field 'rate' must be a number in [0, 1), got 1 (in /runs/mnist/model.json)");
  refused(() => expectNumber(0, PATH, 'lr', { exclusiveMin: 0 }), "model.json: field 'lr' must be a positive number, got 0 (in /runs/mnist/model.json)");
  refused(() => expectNumber(NaN, PATH, 'x'), "model.json: field 'x' must be a finite number, got NaN (in /runs/mnist/model.json)");
  refused(() => expectNumber('1', PATH, 'x', { min: 0 }), "model.json: field 'x' must be a non-negative number, got \"1\" (in /runs/mnist/model.json)");
  assert.equal(expectInteger(7, PATH, 'n', { min: 1, max: 9 }), 7);
  refused(() => expectInteger(2.5, PATH, 'n', { min: 1, max: 9 }), "model.json: field 'n' must be an integer between 1 and 9, got 2.5 (in /runs/mnist/model.json)");
  refused(() => expectNonNegativeInteger(-1, PATH, 'epoch'), "model.json: field 'epoch' must be a non-negative integer, got -1 (in /runs/mnist/model.json)");
  refused(() => expectInteger(2 ** 53, PATH, 'n'), "model.json: field 'n' must be an integer, got 9007199254740992 (in /runs/mnist/model.json)");
});

test('arrays of numbers, integers, strings and shapes name the bad element', () => {
  assert.deepEqual(expectNumberArray([0.1, 2], PATH, 'x'), [0.1, 2]);
  refused(() => expectNumberArray([1, null], PATH, 'history.loss'), "model.json: field 'history.loss[1]' must be a finite number, got null (in /runs/mnist/model.json)");
  refused(() => expectIntegerArray([3, 0], PATH, 'layers[1].config.kernelSize', { length: 2, min: 1 }), "model.json: field 'layers[1].config.kernelSize[1]' must be a positive integer, got 0 (in /runs/mnist/model.json)");
  assert.deepEqual(expectShape([], PATH, 's'), []);
  assert.deepEqual(expectShape([28, 28, 1], PATH, 's'), [28, 28, 1]);
  refused(() => expectShape([28, -1], PATH, 'inputShape'), "model.json: field 'inputShape[1]' must be a non-negative integer, got -1 (in /runs/mnist/model.json)");
  refused(() => expectShape('28', PATH, 'inputShape'), "model.json: field 'inputShape' must be a shape (a list of non-negative integers), got \"28\" (in /runs/mnist/model.json)");
  assert.deepEqual(expectStringArray(['accuracy'], PATH, 'metrics'), ['accuracy']);
  refused(() => expectStringArray(['accuracy', 3], PATH, 'metrics'), "model.json: field 'metrics[1]' must be a string, got 3 (in /runs/mnist/model.json)");
});

test('expectStringRecord copies safely (a "__proto__" key stays a key)', () => {
  const parsed = JSON.parse('{"__proto__": "x", "a": "b"}') as unknown;
  const rec = expectStringRecord(parsed, PATH, 'meta');
  assert.equal(Object.getPrototypeOf(rec), Object.prototype);
  assert.deepEqual(Object.keys(rec), ['__proto__', 'a']);
  refused(() => expectStringRecord({ a: 1 }, PATH, 'meta'), "model.json: field 'meta.a' must be a string, got 1 (in /runs/mnist/model.json)");
});

test('parseJsonFile refuses empty, non-UTF-8 and non-JSON files, naming the path', () => {
  assert.deepEqual(parseJsonFile('{"a": [1]}', PATH), { a: [1] });
  assert.deepEqual(parseJsonFile(new TextEncoder().encode('\uFEFF{"a": 1}'), PATH), { a: 1 });
  assert.deepEqual(parseJsonFile('\uFEFF[]', PATH), []);
  refused(() => parseJsonFile('', PATH), 'model.json: is empty (an interrupted write?) (in /runs/mnist/model.json)');
  refused(() => parseJsonFile(Uint8Array.from([0x7b, 0xff, 0x7d]), PATH), 'model.json: is not valid UTF-8 text (a binary or corrupt file?) (in /runs/mnist/model.json)');
  const e = (() => { try { parseJsonFile('{"layers": [1, 2', PATH); } catch (err) { return err as ModelFileError; } return undefined; })();
  assert.ok(e instanceof ModelFileError);
  assert.match(e.message, /^model\.json: is not valid JSON: .+ \(in \/runs\/mnist\/model\.json\)$/);
});
