// `npm start` skips the TypeScript build when dist/ is up to date (scripts/build-if-stale.mjs):
// the stale check on a throw-away package tree whose file times are set explicitly.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
// @ts-expect-error: a plain ESM script without type declarations
import { BUILD_OUTPUTS as OUTPUTS, staleReason as reason } from '../../scripts/build-if-stale.mjs';

const BUILD_OUTPUTS = OUTPUTS as readonly string[];
const staleReason = reason as (root: string) => string | null;

const root = mkdtempSync(join(tmpdir(), 'nabla-stale-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes `rel` under the tree with modification time `t` (seconds since the epoch). */
function file(rel: string, t: number): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, t, t);
}
const touch = (rel: string, t: number) => utimesSync(join(root, rel), t, t);

describe('build-if-stale: is dist/ older than its inputs?', () => {
  const T = 1_700_000_000;
  it('no dist/ yet: stale, naming the missing output', () => {
    file('src/index.ts', T); file('src/cli/main.ts', T); file('assembly/gemm.ts', T); file('package.json', T);
    assert.match(staleReason(root) ?? '', /dist\/index\.js is missing/);
  });

  it('every output newer than every input: up to date', () => {
    for (const out of BUILD_OUTPUTS) file(out, T + 10);
    assert.equal(staleReason(root), null);
  });

  it('touching a source file makes it stale; a new build makes it fresh again', () => {
    touch('src/cli/main.ts', T + 20);
    assert.equal(staleReason(root), 'src/cli/main.ts changed after the last build');
    for (const out of BUILD_OUTPUTS) touch(out, T + 30);
    assert.equal(staleReason(root), null);
  });

  it('a changed kernel source, a new file or a changed config counts; files outside the inputs do not', () => {
    touch('assembly/gemm.ts', T + 40);
    assert.equal(staleReason(root), 'assembly/gemm.ts changed after the last build');
    for (const out of BUILD_OUTPUTS) touch(out, T + 50);
    file('src/nn/new-layer.ts', T + 60);
    assert.equal(staleReason(root), 'src/nn/new-layer.ts changed after the last build');
    for (const out of BUILD_OUTPUTS) touch(out, T + 70);
    file('tsconfig.build.json', T + 80);
    assert.match(staleReason(root) ?? '', /tsconfig\.build\.json/);
    for (const out of BUILD_OUTPUTS) touch(out, T + 90);
    file('README.md', T + 100); file('test/x.test.ts', T + 100);
    assert.equal(staleReason(root), null, 'docs and tests are not build inputs');
  });

  it('one output older than an input (a build that stopped half-way) is stale', () => {
    touch('dist/cli/main.js', T + 95);
    touch('src/index.ts', T + 96);
    assert.match(staleReason(root) ?? '', /src\/index\.ts/);
  });
});
