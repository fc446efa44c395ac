/** model.summary(): the Keras-style table of layers, output shapes and parameter counts. */
import type { Layer } from '../nn/layer.js';

/** A row of the table. */
export interface SummaryRow { name: string; className: string; outputShape: (number | null)[]; params: number; trainable: boolean }

function pad(s: string, width: number): string { return s.length >= width ? s + ' ' : s + ' '.repeat(width - s.length); }
const thousands = (n: number): string => n.toLocaleString('en-US');

/** TF.js's summary layout: the line length and where each of the 3 columns ends. */
export interface SummaryLayout {
  /** Characters per line. Default 65 (Keras / TF.js for a Sequential). */
  lineLength?: number | undefined;
  /** Where each column ends: fractions of lineLength when all are <= 1, else characters. Default [0.45, 0.85, 1]. */
  positions?: number[] | undefined;
}

/** Column widths from a layout (TF.js / Keras print_summary). @throws RangeError for a malformed layout. */
function columnWidths(layout: SummaryLayout): number[] {
  const lineLength = layout.lineLength ?? 65;
  if (!Number.isInteger(lineLength) || lineLength < 1) throw new RangeError(`summary: lineLength must be a positive integer, got ${String(layout.lineLength)}`);
  const pos = layout.positions ?? [0.45, 0.85, 1];
  if (!Array.isArray(pos) || pos.length !== 3 || !pos.every((p, i) => typeof p === 'number' && p > 0 && (i === 0 || p > pos[i - 1]!)))
    throw new RangeError(`summary: positions must be 3 increasing positive numbers (column ends), got ${JSON.stringify(layout.positions)}`);
  const ends = pos.every((p) => p <= 1) ? pos.map((p) => Math.floor(p * lineLength)) : pos;
  return ends.map((e, i) => Math.max(1, e - (i === 0 ? 0 : ends[i - 1]!)));
}

/**
 * Renders the table as Keras prints it (shapes with None for the batch, totals at the bottom).
 * @throws RangeError for a malformed layout.
 */
export function formatSummary(modelName: string, rows: readonly SummaryRow[], layers: readonly Layer[], layout: SummaryLayout = {}): string {
  // The layout's widths, widened when a name or shape is longer (no column ever runs into the next).
  const shapeText = (r: SummaryRow) => `(${r.outputShape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  const base = columnWidths(layout);
  const cols = [Math.max(base[0]!, ...rows.map((r) => r.name.length + r.className.length + 5)), Math.max(base[1]!, ...rows.map((r) => shapeText(r).length + 2)), base[2]!];
  const width = Math.max(layout.lineLength ?? 65, cols[0]! + cols[1]! + cols[2]!);
  const line = (c: string) => c.repeat(width);
  const out = [`Model: "${modelName}"`, line('_'), pad(' Layer (type)', cols[0]!) + pad('Output Shape', cols[1]!) + 'Param #', line('=')];
  rows.forEach((r, i) => {
    out.push(pad(` ${r.name} (${r.className})`, cols[0]!) + pad(shapeText(r), cols[1]!) + thousands(r.params));
    out.push(i === rows.length - 1 ? line('=') : '');
  });
  const total = rows.reduce((s, r) => s + r.params, 0);
  let trainable = 0;
  for (const l of layers) for (const p of l.params()) if (p.trainable) trainable += p.value.size;
  out.push(`Total params: ${thousands(total)}`, `Trainable params: ${thousands(trainable)}`, `Non-trainable params: ${thousands(total - trainable)}`, line('_'));
  return out.join('\n');
}

/** Returns `text`, first passing each line to `printFn` when one is given (TF.js prints line by line). */
export function printSummary(text: string, printFn?: (line: string) => void): string {
  if (printFn !== undefined && typeof printFn !== 'function') throw new TypeError(`summary: printFn must be a function such as console.log, got ${typeof printFn}`);
  if (printFn) for (const line of text.split('\n')) printFn(line);
  return text;
}
