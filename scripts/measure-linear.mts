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
  time(`a 50 MB CSV line (${(line.length / 1e6).toFixed(0)} MB, header:false)`, () => parseCsv(line + '\n', { header: false }));
}
