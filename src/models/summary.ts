/** model.summary(): the Keras-style table of layers, output shapes and parameter counts. */
import type { Layer } from '../nn/layer.js';

/** A row of the table. */
export interface SummaryRow { name: string; className: string; outputShape: (number | null)[]; params: number; trainable: boolean }

function pad(s: string, width: number): string { return s.length >= width ? s + ' ' : s + ' '.repeat(width - s.length); }
const thousands = (n: number): string => n.toLocaleString('en-US');

/** Renders the table as Keras prints it (shapes with None for the batch, totals at the bottom). */
export function formatSummary(modelName: string, rows: readonly SummaryRow[], layers: readonly Layer[]): string {
  // Keras's widths, widened when a name or shape is longer (no column ever runs into the next).
  const shapeText = (r: SummaryRow) => `(${r.outputShape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  const cols = [Math.max(29, ...rows.map((r) => r.name.length + r.className.length + 5)), Math.max(26, ...rows.map((r) => shapeText(r).length + 2)), 10];
  const width = Math.max(65, cols[0]! + cols[1]! + cols[2]!);
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
