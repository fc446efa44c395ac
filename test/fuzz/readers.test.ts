// Property-based fuzzing of every reader of outside bytes (IDX, CSV, safetensors, model.json,
// PNG) with fast-check: seeded, bounded runs. Each reader's cases run in a child process
// (test/fuzz/worker.ts) started with --max-old-space-size=512, so a memory blow-up fails the case
// instead of the machine, under a generous watchdog that reports a hang (a hang detector, not a
// timing assertion). The number of inputs tried and the time are printed per reader.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const WATCHDOG_MS = 60_000;
const SEED = 20251211;

/** Inputs per reader: enough to reach the header fields, bounded to keep `npm test` short. */
const RUNS: Record<string, number> = { idx: 400, csv: 300, safetensors: 1000, 'model.json': 800, tfjs: 600, png: 600 };

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; hung: boolean }

/** Runs every reader's cases in one child (one start-up of tsx instead of five). */
function runWorker(): Promise<Outcome> {
  const list = Object.entries(RUNS).map(([reader, runs]) => `${reader}:${runs}`).join(',');
  const child = spawn(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', WORKER, list, String(SEED)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '', hung = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const watchdog = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, WATCHDOG_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(watchdog); resolve({ code, signal, stdout, stderr, hung }); });
  });
}

describe('fuzzing the readers of outside bytes (fast-check, in a child with a 512 MB heap)', () => {
  let outcome: Promise<Outcome>;
  before(() => { outcome = runWorker(); });

  for (const [reader, runs] of Object.entries(RUNS)) {
    it(`${reader}: every mutated or random input gives a valid result or a file error with a code`, async (t) => {
      const r = await outcome;
      assert.equal(r.hung, false, `no answer within ${WATCHDOG_MS / 1000} s (a hang); stderr:\n${r.stderr.slice(-2000)}`);
      const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { reader: string; runs?: number; ms?: number; failed?: boolean });
      const result = lines.find((l) => l.reader === reader);
      assert.ok(result, `${reader}: the worker stopped before this reader (exit ${r.code}, signal ${r.signal}); a heap blow-up shows as a V8 out-of-memory abort:\n${r.stderr.slice(-4000)}`);
      assert.equal(result.failed, undefined, `${reader}: a counterexample:\n${r.stderr.slice(-4000)}`);
      assert.equal(result.runs, runs);
      const line = `fuzz ${reader}: ${result.runs} inputs in ${result.ms} ms (seed ${SEED})`;
      t.diagnostic(line);
      console.log(line);
    });
  }
});
