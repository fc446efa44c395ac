/**
 * Every code block of the documentation runs (README.md and docs/guides/**.md, read by
 * test/docs/doc-blocks.ts). A ```ts block runs as an ES module written under .scratch/ inside the
 * repository, so `import ... from 'nabla'` resolves through the package's self-reference to dist/
 * (node --import tsx); a ```sh block runs with bash -e, `nabla` on PATH (a shim for
 * dist/cli/main.js). Both run in a temporary working directory, one per Markdown file (its blocks
 * run in order there, so a block may use the files an earlier one wrote), with NABLA_QUICK=1 (long
 * commands shorten themselves) and a timeout per block. Files run two at a time. A block after the
 * line `<!-- doc-test: skip (reason) -->` is skipped; the skipped blocks and their reasons are
 * listed in the output. Needs `npm run build` (npm test builds first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allBlocks, type DocBlock } from './doc-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const TIMEOUT_MS = 90_000;
const CONCURRENCY = 2;
const tsx = import.meta.resolve('tsx');

interface Outcome { code: number | null; signal: string | null; stdout: string; stderr: string }

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

const tail = (s: string, n = 25): string => s.trimEnd().split('\n').slice(-n).join('\n');

const blocks = allBlocks(root);
const files = [...new Set(blocks.map((b) => b.file))];

test('the documentation has code blocks, and every skip marker gives a reason', () => {
  assert.ok(blocks.filter((b) => b.kind === 'ts').length >= 5, `found ${blocks.length} blocks`);
  const bad = blocks.filter((b) => b.badMarker !== undefined).map((b) => b.badMarker);
  assert.deepEqual(bad, []);
});

test('every ts and sh block of README.md and docs/guides runs', { concurrency: CONCURRENCY, skip: existsSync(cli) ? false : 'needs dist/ (npm run build)' }, async (t) => {
  const scratch = join(root, '.scratch', 'doc-blocks');
  mkdirSync(scratch, { recursive: true });
  const bin = mkdtempSync(join(tmpdir(), 'nabla-doc-bin-'));
  writeFileSync(join(bin, 'nabla'), `#!/usr/bin/env bash\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(join(bin, 'nabla'), 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, NABLA_QUICK: '1', CI: '1', NO_COLOR: '1', PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` };
  delete env['NODE_OPTIONS']; delete env['NODE_TEST_CONTEXT'];

  const runBlock = async (b: DocBlock, cwd: string): Promise<void> => {
    const where = `${b.file}:${b.line}`;
    let outcome: Outcome;
    if (b.kind === 'ts') {
      const file = join(scratch, `${b.file.replace(/[^\w.-]+/g, '_')}-${b.line}.mts`);
      writeFileSync(file, b.code);
      try { outcome = await run(process.execPath, ['--import', tsx, file], cwd, env); } finally { rmSync(file, { force: true }); }
    } else {
      outcome = await run('bash', ['-e', '-o', 'pipefail', '-c', b.code], cwd, env);
    }
    const how = outcome.signal === 'SIGKILL' ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit code ${outcome.code}`;
    assert.equal(outcome.code, 0, `the ${b.kind} block at ${where} failed (${how}):\n${tail(outcome.stderr || outcome.stdout)}`);
  };

  await Promise.all(files.map((file) => t.test(file, async (tf) => {
    const cwd = mkdtempSync(join(tmpdir(), 'nabla-doc-'));
    try {
      for (const b of blocks.filter((x) => x.file === file)) {
        await tf.test(`${b.file}:${b.line} (${b.kind})`, { skip: b.skip ?? false }, () => runBlock(b, cwd));
      }
    } finally { rmSync(cwd, { recursive: true, force: true }); }
  })));
  rmSync(bin, { recursive: true, force: true });

  const skipped = blocks.filter((b) => b.skip !== undefined);
  t.diagnostic(`${blocks.length - skipped.length} blocks run, ${skipped.length} skipped:`);
  for (const b of skipped) t.diagnostic(`  ${b.file}:${b.line} (${b.kind}): ${b.skip}`);
});
