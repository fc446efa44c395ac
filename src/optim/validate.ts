/**
 * Option checks shared by the optimisers and the learning-rate schedules. Every message names
 * the owner (`SGD`, `exponentialDecay`, ...), the option, what was expected and what came, so a
 * typo or a wrong value is found at construction rather than as a NaN several epochs later.
 */

/** A short, unambiguous rendering of a bad value for an error message. */
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
 * Returns `options` as a record after refusing keys not in `valid`.
 * `undefined` is the same as `{}`.
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

function requireNumber(owner: string, name: string, value: unknown, expected: string): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be ${expected}, got ${describe(value)}`);
  return value;
}

/** @throws TypeError / RangeError unless value is a finite number > 0. */
export function positiveFinite(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a finite number > 0');
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${owner}: ${name} must be a finite number > 0, got ${describe(v)}`);
  return v;
}

/** @throws TypeError / RangeError unless value is a finite number >= 0. */
export function nonNegativeFinite(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a finite number >= 0');
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${owner}: ${name} must be a finite number >= 0, got ${describe(v)}`);
  return v;
}

/** @throws TypeError / RangeError unless value is a number in [0, 1) (a decay rate: 1 would never forget). */
export function unitInterval(owner: string, name: string, value: unknown): number {
  const v = requireNumber(owner, name, value, 'a number in [0, 1)');
  if (!(v >= 0 && v < 1)) throw new RangeError(`${owner}: ${name} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

/** @throws TypeError / RangeError unless value is a number in [0, 1] (closed). */
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

/** The option's value, or `fallback` when it is absent or `undefined`. */
export function withDefault<T>(options: Record<string, unknown>, key: string, fallback: T): unknown {
  const v = options[key];
  return v === undefined ? fallback : v;
}

/**
 * Reads a `getConfig()` record `{ className, ...options }` and picks the maker of its class.
 * @returns the maker and the other fields (a fresh object: the options to rebuild from).
 * @throws TypeError when config is not a plain object or className not a string; Error when the
 *   className is not a key of `makers` (naming `what`, e.g. 'optimizer class', and listing the keys).
 */
export function classFromConfig<M>(owner: string, config: unknown, makers: Readonly<Record<string, M>>, what: string): { make: M; options: Record<string, unknown> } {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new TypeError(`${owner}: config must be an object, got ${describe(config)}`);
  const { className, ...options } = config as Record<string, unknown>;
  if (typeof className !== 'string')
    throw new TypeError(`${owner}: className must be a string, got ${describe(className)}`);
  const make = Object.hasOwn(makers, className) ? makers[className] : undefined;
  if (make === undefined)
    throw new Error(`${owner}: unknown ${what} '${className}'; valid class names: ${Object.keys(makers).join(', ')}`);
  return { make, options };
}
