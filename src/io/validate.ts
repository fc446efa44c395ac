/**
 * Validation of the files a user keeps (model.json, training.json, the safetensors header).
 *
 * Loading never executes code from a file, and every field is checked before it is used: a wrong
 * one is refused with a {@link ModelFileError} that names the file, the field and what came, e.g.
 *
 *     model.json: field 'layers[2].config.units' must be a positive integer, got -3 (in /runs/mnist/model.json)
 *
 * The helpers take the value to check, the file's path (as the user gave it; only used in the
 * message) and the field's path inside the file (build it with {@link fieldPath}), and return the
 * value with a narrowed type, so a loader reads like a schema:
 *
 * ```ts
 * const root = expectObject(parseJsonFile(text, path), path, '');
 * const layers = expectArray(root.layers, path, 'layers');
 * layers.forEach((l, i) => {
 *   const layer = expectObject(l, path, fieldPath('layers', i));
 *   const units = expectPositiveInteger(layer.units, path, fieldPath(fieldPath('layers', i), 'units'));
 * });
 * ```
 *
 * This module has no Node.js imports: it runs in the browser too.
 */
import { ModelFileError } from './model-file-error.js';

export { ModelFileError, fileLabel } from './model-file-error.js';
export { jsonNestingDepth, checkJsonDepth, parseJsonFile, jsonProblem } from './json.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Extends a field path by an object key or an array index, as JavaScript would write it:
 * `fieldPath('layers', 2)` -> `'layers[2]'`, `fieldPath('layers[2]', 'config')` ->
 * `'layers[2].config'`, `fieldPath('', 'units')` -> `'units'`, and a key that is not an
 * identifier is quoted: `fieldPath('tensors', 'dense_1/kernel')` -> `'tensors["dense_1/kernel"]'`.
 */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * A short, printable description of a value for an error message: numbers and short JSON as
 * they are (`-3`, `"relu"`, `[1,2]`), long ones summarised (`an array of 1000 elements`),
 * `undefined` as `nothing`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length <= 60 ? s : `${JSON.stringify(value.slice(0, 40))}... (a string of ${value.length} characters)`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  let json: string | undefined;
  try { json = JSON.stringify(value); } catch { json = undefined; }
  if (json !== undefined && json.length <= 60) return json;
  if (Array.isArray(value)) return `an array of ${value.length} elements`;
  return 'an object';
}

/**
 * Throws a {@link ModelFileError} for one field: `field '<field>' <problem>`.
 * With an empty `field` the subject is "the top-level value".
 * @throws ModelFileError always.
 */
export function failField(path: string, field: string, problem: string): never {
  const subject = field === '' ? 'the top-level value' : `field '${field}'`;
  throw new ModelFileError(path, `${subject} ${problem}`, field);
}

/** Throws "field 'x' must be <expected>, got <value>" (or "... is missing (expected ...)"). */
function fail(path: string, field: string, expected: string, value: unknown): never {
  if (value === undefined) failField(path, field, `is missing (expected ${expected})`);
  failField(path, field, `must be ${expected}, got ${describeValue(value)}`);
}

/** True for a JSON-style object: not null, not an array. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that a value is an object (not null, not an array).
 * @returns the value, typed as a record of unknown fields.
 * @throws ModelFileError naming the path and field otherwise.
 */
export function expectObject(value: unknown, path: string, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) fail(path, field, 'an object', value);
  return value;
}

/**
 * Checks the keys of an object: every `required` key is present (not undefined) and, unless
 * `allowUnknown` is set, no key outside `required` and `optional` appears (a misspelt option is
 * refused instead of silently ignored).
 * @throws ModelFileError naming the first missing or unknown key.
 */
export function expectKeys(
  obj: Record<string, unknown>,
  path: string,
  field: string,
  keys: { required?: readonly string[]; optional?: readonly string[]; allowUnknown?: boolean },
): void {
  const required = keys.required ?? [];
  const optional = keys.optional ?? [];
  for (const k of required) {
    if (obj[k] === undefined || !Object.prototype.hasOwnProperty.call(obj, k))
      failField(path, fieldPath(field, k), 'is missing');
  }
  if (keys.allowUnknown) return;
  const allowed = new Set([...required, ...optional]);
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) {
      const list = [...allowed].map((a) => `'${a}'`).join(', ');
      const where = field === '' ? 'the top-level object' : `field '${field}'`;
      throw new ModelFileError(path, `${where} has an unknown field '${k}' (allowed: ${list || 'none'})`, fieldPath(field, k));
    }
  }
}

/**
 * Checks that a value is an array, optionally of an exact `length` or at least `minLength`.
 * @throws ModelFileError naming the path and field otherwise.
 */
export function expectArray(
  value: unknown,
  path: string,
  field: string,
  options: { length?: number; minLength?: number } = {},
): unknown[] {
  const { length, minLength } = options;
  const expected =
    length !== undefined ? `an array of ${length} element${length === 1 ? '' : 's'}`
    : minLength !== undefined && minLength > 0 ? `an array of at least ${minLength} element${minLength === 1 ? '' : 's'}`
    : 'an array';
  if (!Array.isArray(value)) fail(path, field, expected, value);
  if (length !== undefined && value.length !== length) fail(path, field, expected, value);
  if (minLength !== undefined && value.length < minLength) fail(path, field, expected, value);
  return value;
}

/**
 * Checks that a value is a string (non-empty with `nonEmpty`).
 * @throws ModelFileError naming the path and field otherwise.
 */
export function expectString(value: unknown, path: string, field: string, options: { nonEmpty?: boolean } = {}): string {
  const expected = options.nonEmpty ? 'a non-empty string' : 'a string';
  if (typeof value !== 'string' || (options.nonEmpty && value === '')) fail(path, field, expected, value);
  return value;
}

/**
 * Checks that a value is one of the given strings (an enum: activation names, padding, ...).
 * @returns the value, typed as the union of the allowed strings.
 * @throws ModelFileError listing the allowed values otherwise.
 */
export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail(path, field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  return value as T;
}

/**
 * Checks that a value is a boolean.
 * @throws ModelFileError naming the path and field otherwise.
 */
export function expectBoolean(value: unknown, path: string, field: string): boolean {
  if (typeof value !== 'boolean') fail(path, field, 'true or false', value);
  return value;
}

/** Bounds for {@link expectNumber}; `min`/`max` are inclusive, the `exclusive` ones are not. */
export interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}

function describeNumber(b: NumberBounds): string {
  const lo = b.exclusiveMin ?? b.min;
  const hi = b.exclusiveMax ?? b.max;
  if (lo !== undefined && hi !== undefined)
    return `a number in ${b.exclusiveMin !== undefined ? '(' : '['}${lo}, ${hi}${b.exclusiveMax !== undefined ? ')' : ']'}`;
  if (b.exclusiveMin === 0) return 'a positive number';
  if (b.min === 0 && hi === undefined) return 'a non-negative number';
  if (lo !== undefined) return `a number ${b.exclusiveMin !== undefined ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `a number ${b.exclusiveMax !== undefined ? '<' : '<='} ${hi}`;
  return 'a finite number';
}

function inBounds(v: number, b: NumberBounds): boolean {
  return !(
    (b.min !== undefined && v < b.min) ||
    (b.max !== undefined && v > b.max) ||
    (b.exclusiveMin !== undefined && v <= b.exclusiveMin) ||
    (b.exclusiveMax !== undefined && v >= b.exclusiveMax)
  );
}

/**
 * Checks that a value is a finite number within the optional bounds.
 * @throws ModelFileError naming the path, the field and the bounds otherwise.
 */
export function expectNumber(value: unknown, path: string, field: string, bounds: NumberBounds = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inBounds(value, bounds))
    fail(path, field, describeNumber(bounds), value);
  return value;
}

function describeInteger(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer between ${min} and ${max}`;
  if (min === 1) return 'a positive integer';
  if (min === 0) return 'a non-negative integer';
  if (min !== undefined) return `an integer >= ${min}`;
  if (max !== undefined) return `an integer <= ${max}`;
  return 'an integer';
}

/**
 * Checks that a value is a safe integer (|v| <= 2^53 - 1) within the optional inclusive bounds.
 * @throws ModelFileError naming the path, the field and the bounds otherwise.
 */
export function expectInteger(value: unknown, path: string, field: string, bounds: { min?: number; max?: number } = {}): number {
  const { min, max } = bounds;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max))
    fail(path, field, describeInteger(min, max), value);
  return value;
}

/** {@link expectInteger} with a minimum of 1 ("must be a positive integer, got -3"). */
export function expectPositiveInteger(value: unknown, path: string, field: string): number {
  return expectInteger(value, path, field, { min: 1 });
}

/** {@link expectInteger} with a minimum of 0. */
export function expectNonNegativeInteger(value: unknown, path: string, field: string): number {
  return expectInteger(value, path, field, { min: 0 });
}

/**
 * Checks that a value is an array of finite numbers, optionally of an exact `length`, all
 * integers (`integer`), and all within `bounds`. The message names the first bad element
 * (`'layers[0].config.kernelSize[1]'`).
 * @throws ModelFileError naming the path and the field (or element) otherwise.
 */
export function expectNumberArray(
  value: unknown,
  path: string,
  field: string,
  options: { length?: number; integer?: boolean } & NumberBounds = {},
): number[] {
  const { length, integer, ...bounds } = options;
  const arr = expectArray(value, path, field, length === undefined ? {} : { length });
  arr.forEach((v, i) => {
    if (integer) expectInteger(v, path, fieldPath(field, i), { ...(bounds.min !== undefined && { min: bounds.min }), ...(bounds.max !== undefined && { max: bounds.max }) });
    else expectNumber(v, path, fieldPath(field, i), bounds);
  });
  return arr as number[];
}

/**
 * Checks that a value is an array of integers (optionally of exact `length`, within bounds).
 * @throws ModelFileError naming the path and the first bad element otherwise.
 */
export function expectIntegerArray(
  value: unknown,
  path: string,
  field: string,
  options: { length?: number; min?: number; max?: number } = {},
): number[] {
  return expectNumberArray(value, path, field, { ...options, integer: true });
}

/**
 * Checks that a value is a tensor shape: an array of non-negative integers (`[]` is a scalar).
 * @throws ModelFileError naming the path and the first bad dimension otherwise.
 */
export function expectShape(value: unknown, path: string, field: string): number[] {
  if (!Array.isArray(value)) fail(path, field, 'a shape (a list of non-negative integers)', value);
  return expectIntegerArray(value, path, field, { min: 0 });
}

/**
 * Checks that a value is an array of strings (non-empty strings with `nonEmpty`).
 * @throws ModelFileError naming the path and the first bad element otherwise.
 */
export function expectStringArray(value: unknown, path: string, field: string, options: { nonEmpty?: boolean } = {}): string[] {
  const arr = expectArray(value, path, field);
  arr.forEach((v, i) => expectString(v, path, fieldPath(field, i), options));
  return arr as string[];
}

/**
 * Checks that a value is an object whose values are all strings (safetensors `__metadata__`).
 * @returns a copy (`Object.fromEntries`, so a key `"__proto__"` stays an ordinary key).
 * @throws ModelFileError naming the path and the first non-string entry otherwise.
 */
export function expectStringRecord(value: unknown, path: string, field: string): Record<string, string> {
  const obj = expectObject(value, path, field);
  for (const [k, v] of Object.entries(obj)) expectString(v, path, fieldPath(field, k));
  return Object.fromEntries(Object.entries(obj)) as Record<string, string>;
}
