/** Small validators for options objects: each message names the class and the option. */

/** @throws Error naming any key of `args` not in `allowed`, and listing the valid keys. */
export function checkKeys(where: string, args: object, allowed: readonly string[]): void {
  for (const key of Object.keys(args))
    if (!allowed.includes(key)) throw new Error(`${where}: unknown option '${key}'; valid options: ${allowed.join(', ')}`);
}

/** @throws RangeError unless v is a positive integer. */
export function positiveInt(where: string, option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${option} must be a positive integer, got ${String(v)}`);
  return v;
}

/** @throws RangeError unless v is a finite number in [lo, hi) (or [lo, hi] with `closed`). */
export function numberIn(where: string, option: string, v: unknown, lo: number, hi: number, closed = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (closed ? v > hi : v >= hi))
    throw new RangeError(`${where}: ${option} must be a number in [${lo}, ${hi}${closed ? ']' : ')'}, got ${String(v)}`);
  return v;
}
