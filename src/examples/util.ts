/** Small helpers the examples share: writing a plot, formatting numbers and tables, comparing. */
import { EXAMPLE_CATALOG } from './catalog.js';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeChart } from '../plots/render.js';
import { Tensor } from '../tensor/tensor.js';
import { cliOptionsOf } from './options.js';
import type { CommonOptions, Comparison, Example, ExampleOptions, ExampleResult } from './types.js';

/** The log function of the options, or a silent one. */
export function logger(options: CommonOptions): (line: string) => void {
  return options.log ?? (() => {});
}

/**
 * Writes `<outDir>/<name>.svg` (and `.png`) when the options ask for files; otherwise nothing.
 * @returns the paths written.
 */
export async function plot(options: CommonOptions, name: string, spec: TopLevelSpec): Promise<string[]> {
  if (options.outDir === undefined) return [];
  return writeChart(spec, join(options.outDir, name), { png: options.png ?? true });
}

/** A fraction as a percentage with `digits` decimals: 0.95423 -> '95.42%'. */
export function percent(v: number, digits = 2): string {
  return `${(100 * v).toFixed(digits)}%`;
}

/** A number in 4 significant digits, in exponent form when very small or large. */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
}

/** A text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [header.map(String), ...rows.map((r) => r.map((c) => (typeof c === 'number' ? num(c) : c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const right = header.map((_, j) => rows.every((r) => typeof r[j] === 'number' || /^[-+]?[\d.,]+(e[-+]?\d+)?%?$/.test(String(r[j]))));
  const line = (r: readonly string[]) => r.map((c, j) => (right[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
}

/** A comparison entry. */
export function compare(label: string, measured: string, published: string, agrees: boolean): Comparison {
  return { label, measured, published, agrees };
}

/** A float64 tensor `[n, 1]` from numbers. */
export function column(values: ArrayLike<number>): Tensor {
  return new Tensor(Float64Array.from(values), [values.length, 1]);
}

/** `n` equispaced points from a to b inclusive. */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}

/** Fraction of positions where two label arrays agree. */
export function accuracyOf(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) ok++;
  return ok / truth.length;
}

/** The index of each row's largest entry, for a row-major `[n, k]` array. */
export function argmaxRows(data: ArrayLike<number>, k: number): Int32Array {
  const n = data.length / k, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (data[i * k + j]! > data[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/** The least-squares slope of y on x (both given; used on logarithms for convergence orders). */
export function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]!; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i]! - mx) * (y[i]! - my); sxx += (x[i]! - mx) ** 2; }
  return sxy / sxx;
}

/**
 * The registry entry of an example: `name` (the command-line name, a row of
 * {@link EXAMPLE_CATALOG}, which gives what `nabla example --list` shows), its `run` function, and
 * its declared `options` (default none): the command-line options are made from them
 * (examples/options.ts), and `run` resolves them itself (resolveOptions), so that a call from code
 * gets the same defaults. The entry's `run` hands the options record to `run` as the example's own
 * options type `O` (the command line has parsed each value by its option's kind).
 * @throws Error when `name` has no catalogue row.
 */
export function defineExample<O extends CommonOptions>(
  name: string, run: (options?: O) => Promise<ExampleResult>, options: ExampleOptions<NoInfer<O>> = {},
): Example {
  const about = EXAMPLE_CATALOG[name];
  if (about === undefined) throw new Error(`defineExample: '${name}' has no row in EXAMPLE_CATALOG (src/examples/catalog.ts)`);
  const { title, source, duration } = about;
  return { name, title, source, duration, options: options as ExampleOptions, cliOptions: cliOptionsOf(options as ExampleOptions), run: (o) => run(o as O) };
}
