// Measures the three cases of issue 11, part 3 (run with: node --import tsx scripts/measure-linear.mts [cols|layers|line|wide]).
import { parseCsv } from '../src/data/csv.js';
import { Sequential } from '../src/models/sequential.js';
import { Dense } from '../src/nn/index.js';
const which = process.argv[2] ?? 'all';
// Wall time, and CPU time (user + system) of this process: on a loaded machine the CPU time is the steadier figure.
const time = (label: string, f: () => unknown) => {
  const t = performance.now(), c = process.cpuUsage();
  f();
  const cpu = process.cpuUsage(c);
  console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
};
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
if (which === 'all' || which === 'stream') {
  // The same 50 MB line read by readCsvStream from a .csv and a .csv.gz.
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { readCsvStream } = await import('../src/data/csv-stream.js');
  const dir = mkdtempSync(join(tmpdir(), 'nabla-measure-'));
  const line = Array.from({ length: 100_000 }, () => '1234567890'.repeat(50)).join(',') + '\n';
  writeFileSync(join(dir, 'line.csv'), line);
  writeFileSync(join(dir, 'line.csv.gz'), gzipSync(line));
  for (const name of ['line.csv', 'line.csv.gz']) {
    const t = performance.now(), c = process.cpuUsage();
    await readCsvStream(join(dir, name), { header: false });
    const cpu = process.cpuUsage(c);
    console.log(`readCsvStream of a 50 MB line (${name}): ${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
  }
  rmSync(dir, { recursive: true, force: true });
}
