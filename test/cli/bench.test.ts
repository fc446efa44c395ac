// `nabla bench`: --help, option checks and a tiny `--quick --only nabla` run (no timing assertions).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nabla } from './helpers.js';

describe('nabla bench', { concurrency: true }, () => {
  it('--help names the workloads and the competitors', async () => {
    const r = await nabla(['bench', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Usage: nabla bench/);
    assert.match(r.stdout, /TensorFlow\.js/);
    assert.match(r.stdout, /--quick/);
  });

  it('--only accepts only nabla (exit 2)', async () => {
    const r = await nabla(['bench', '--only', 'tfjs']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--only/);
  });

  it('--quick --only nabla prints the table and writes the JSON', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-bench-'));
    try {
      const out = join(dir, 'r.json');
      const r = await nabla(['bench', '--quick', '--only', 'nabla', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /W1 MLP train/);
      assert.match(r.stdout, /nabla wasm( FMA)? 1 thread/);
      const j = JSON.parse(readFileSync(out, 'utf8')) as { machine: { cores: number; node: string; fma: boolean }; rows: { name: string; values: Record<string, number> }[] };
      assert.equal(j.machine.node, process.version);
      assert.ok(j.rows.length >= 2);
      for (const row of j.rows) for (const v of Object.values(row.values)) assert.ok(Number.isFinite(v) && v > 0, `${row.name}: ${v}`);
      // FMA is the default where relaxed SIMD runs (Node 20 included: the backend sets its flag).
      if (j.machine.fma) {
        const fmaRows = j.rows.filter((row) => / FMA /.test(row.name));
        assert.equal(fmaRows.length, j.machine.cores > 1 ? 2 : 1, `FMA rows: ${j.rows.map((row) => row.name).join(', ')}`);
        assert.ok(fmaRows.every((row) => row.values['w1']! > 0 && row.values['sgemm1024']! > 0));
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
