/**
 * The option checks of the optimisers and the learning-rate schedules: the shared ones of
 * src/validate.ts (one error vocabulary: an unknown key or a wrong type is a TypeError, a value
 * out of range a RangeError).
 */
import { describe } from '../validate.js';

export {
  describe, checkOptionKeys, positiveFinite, nonNegativeFinite, unitInterval, closedUnitInterval, boolean, withDefault,
} from '../validate.js';

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
