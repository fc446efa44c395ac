/**
 * The one module of option checks, shared by layers (`nn/`), optimisers and schedules (`optim/`),
 * `fit` / `compile` (`train/`, `models/`) and the classic models (`classic/`), so that the same
 * mistake gives the same error class everywhere (the rule is in src/errors.ts):
 *
 * - an options argument that is not an object, an unknown option key, or a value of the wrong
 *   type (a string where a number belongs, a name not among the choices) -> `TypeError`;
 * - a value of the right type outside its range (0 units, a rate of 1, NaN) -> `RangeError`.
 *
 * Every message names the owner (`Dense`, `SGD`, `fit`, ...), the option, what was expected and
 * what came ({@link describe}), and for an unknown key lists the valid ones.
 *
 * This module imports nothing, so any layer of the house may use it; it runs in the browser too.
 */

/** A short, unambiguous rendering of a bad value for an error message (never the whole value). */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return Object.prototype.toString.call(value).slice(8, -1) === 'Object' ? 'an object' : Object.prototype.toString.call(value);
  return `a ${typeof value}`;
}

/**
 * Returns `options` as a record after refusing keys not in `valid`. `undefined` is the same as `{}`.
 * @param owner prefixes the message ('SGD', 'fit', 'optimizerFromConfig: Adam').
 * @throws TypeError when options is not a plain object, or names an unknown key (listing the valid ones).
 */
export function checkOptionKeys(owner: string, options: unknown, valid: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!valid.includes(key))
      throw new TypeError(`${owner}: unknown option '${key}'; valid options: ${valid.join(', ')}`);
  }
  return record;
}

/**
 * Refuses any key of `args` not in `allowed` ({@link checkOptionKeys} for an object already known).
 * @throws TypeError naming the unknown key and listing the valid ones.
 */
export function checkKeys(where: string, args: object, allowed: readonly string[]): void {
  checkOptionKeys(where, args, allowed);
}

function requireNumber(owner: string, name: string, value: unknown, expected: string): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be ${expected}, got ${describe(value)}`);
  return value;
}

/** @throws TypeError unless v is a number; RangeError unless it is an integer > 0. */
export function positiveInt(where: string, option: string, v: unknown): number {
  const n = requireNumber(where, option, v, 'a positive integer');
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${where}: ${option} must be a positive integer, got ${describe(n)}`);
  return n;
}

/** @throws TypeError unless value is a number; RangeError unless it is an integer (a seed, say). */
export function integer(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'an integer');
  if (!Number.isInteger(v)) throw new RangeError(`${owner}: ${name} must be an integer, got ${describe(v)}`);
  return v;
}

/** @throws TypeError unless value is a number; RangeError unless it is an integer >= min. */
export function integerAtLeast(owner: string, name: string, value: unknown, min: number): number {
  const v = requireNumber(owner, name, value, `an integer >= ${min}`);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${owner}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

/**
 * @throws TypeError unless v is a number; RangeError unless it is finite and in [lo, hi)
 *   (or [lo, hi] with `closed`).
 */
export function numberIn(where: string, option: string, v: unknown, lo: number, hi: number, closed = false): number {
  const range = `a number in [${lo}, ${hi}${closed ? ']' : ')'}`;
  const n = requireNumber(where, option, v, range);
  if (!Number.isFinite(n) || n < lo || (closed ? n > hi : n >= hi)) throw new RangeError(`${where}: ${option} must be ${range}, got ${describe(n)}`);
  return n;
}

/** @throws TypeError unless value is a number; RangeError unless it is finite and > 0. */
export function positiveFinite(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a finite number > 0');
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${owner}: ${name} must be a finite number > 0, got ${describe(v)}`);
  return v;
}

/** @throws TypeError unless value is a number; RangeError unless it is finite and >= 0. */
export function nonNegativeFinite(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a finite number >= 0');
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${owner}: ${name} must be a finite number >= 0, got ${describe(v)}`);
  return v;
}

/** @throws TypeError unless value is a number; RangeError unless in [0, 1) (a decay rate: 1 would never forget). */
export function unitInterval(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a number in [0, 1)');
  if (!(v >= 0 && v < 1)) throw new RangeError(`${owner}: ${name} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

/** @throws TypeError unless value is a number; RangeError unless in [0, 1] (closed). */
export function closedUnitInterval(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a number in [0, 1]');
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${owner}: ${name} must be a number in [0, 1], got ${describe(v)}`);
  return v;
}

/** @throws TypeError unless value is a boolean. */
export function boolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** @throws TypeError unless value is one of `choices` (listed in the message). */
export function oneOf<T extends string>(owner: string, name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw new TypeError(`${owner}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`);
  return value as T;
}

/** The option's value, or `fallback` when it is absent or `undefined`. */
export function withDefault<T>(options: Record<string, unknown>, key: string, fallback: T): unknown {
  const v = options[key];
  return v === undefined ? fallback : v;
}
