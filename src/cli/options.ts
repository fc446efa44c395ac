/**
 * Parsers for option values, for commander's `argParser`. Each throws commander's
 * InvalidArgumentError, which commander reports in one line naming the option:
 * `error: option '--epochs <n>' argument '0' is invalid. Expected a positive integer.`
 */
import { InvalidArgumentError } from 'commander';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A positive integer (1, 2, ...). @throws InvalidArgumentError otherwise. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

/** A seed: an integer in [0, 2^32). @throws InvalidArgumentError otherwise. */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < 0 || n >= 2 ** 32) throw new InvalidArgumentError('Expected an integer in [0, 4294967295].');
  return n;
}

/** A positive, finite decimal number (a learning rate). @throws InvalidArgumentError otherwise. */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number such as 0.001.');
  return n;
}

/** A fraction in [0, 1) (a validation split). @throws InvalidArgumentError otherwise. */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !(n >= 0 && n < 1)) throw new InvalidArgumentError('Expected a number in [0, 1) such as 0.1.');
  return n;
}

/**
 * A comma-separated list of layer widths ("128,64"); "" or "none" for no hidden layer.
 * @throws InvalidArgumentError unless every entry is a positive integer.
 */
export function parseHidden(value: string): number[] {
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'none') return [];
  const parts = v.split(',').map((s) => s.trim());
  const out = parts.map((s) => Number(s));
  if (parts.some((s) => !INTEGER.test(s)) || out.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new InvalidArgumentError("Expected comma-separated positive integers such as 128,64 (or 'none').");
  return out;
}
