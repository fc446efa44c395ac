/** Shape helpers: sizes, formatting and the checks every layer uses for its error messages. */

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[32, 784]` -> `"[32, 784]"`; `null` batch dimensions print as `null` like Keras. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/**
 * Checks that a shape is a list of non-negative integers.
 * @throws TypeError naming `what` and the shape.
 */
export function assertValidShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError(`${what}: a shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
}

/** True when two shapes are equal, element by element. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
