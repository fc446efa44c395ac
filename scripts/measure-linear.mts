// Measures the three cases of issue 11, part 3 (run with: node --import tsx /tmp/rundir-bench.ts).
import { parseCsv } from '../src/data/csv.js';
import { Sequential } from '../src/models/sequential.js';
import { Dense } from '../src/nn/index.js';
const which = process.argv[2] ?? 'all';
const time = (label: string, f: () => unknown) => { const t = performance.now(); f(); console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(2)} s`); };
if (which === 'all' || which === 'cols') {
  const n = 100_000;
  const text = Array.from({ length: n }, (_, i) => `c${i}`).join(',') + '\n' + Array.from({ length: n }, (_, i) => String(i % 10)).join(',') + '\n';
  time('100,000 CSV columns', () => parseCsv(text));
}
if (which === 'all' || which === 'layers') {
  time('3,000 unnamed layers', () => new Sequential(Array.from({ length: 3000 }, () => new Dense({ units: 1 }))));
}
if (which === 'all' || which === 'line') {
  const cells = Math.ceil(50e6 / 8);
  const line = Array.from({ length: cells }, (_, i) => (i % 1000 / 7).toFixed(4)).join(',');
  const mb = (line.length / 1e6).toFixed(0);
  time(`a ${mb} MB CSV line of ${cells} cells, refused by LIMITS.maxCsvColumns`, () => { try { parseCsv(line + '\n', { header: false }); } catch { /* E_TOO_LARGE */ } });
  time(`a ${mb} MB CSV line of ${cells} cells, maxCsvColumns raised (header:false)`, () => parseCsv(line + '\n', { header: false, limits: { maxCsvColumns: 1e7 } }));
}
if (which === 'all' || which === 'wide') {
  // A 50 MB line within LIMITS.maxCsvColumns: 100,000 cells of 500 characters.
  const digits = '1234567890'.repeat(50), text = 'abcdefghij'.repeat(50);
  const nums = Array.from({ length: 100_000 }, () => digits).join(',');
  time(`a 50 MB CSV line of 100,000 numbers of 500 digits (header:false)`, () => parseCsv(nums + '\n', { header: false }));
  const words = Array.from({ length: 100_000 }, () => text).join(',');
  time(`a 50 MB CSV line of 100,000 text cells of 500 characters (header:false, textColumns:'keep')`, () => parseCsv(words + '\n', { header: false, textColumns: 'keep' }));
}
