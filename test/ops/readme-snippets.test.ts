/** Runs the ```ts snippets between the `<!-- ops-snippets -->` markers of docs/guides/library.md against src/. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'docs/guides/library.md'), 'utf8');
const [, block = ''] = readme.split('<!-- ops-snippets -->');
const snippets = [...block.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('the library guide has the ops snippets: grad, a custom loss, a custom layer, a Jacobian', () => {
  assert.ok(snippets.length >= 6, `found ${snippets.length}`);
  for (const want of [/grad\(/, /compile\(\{[^}]*loss: huber/, /extends CustomLayer/, /model\.jacobian\(/])
    assert.ok(snippets.some((c) => want.test(c)), `no snippet matches ${want}`);
});

snippets.forEach((code, i) => {
  test(`library guide ops snippet ${i + 1} runs and prints what its comments say`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-snippet-'));
    const file = join(dir, `snippet${i}.mts`); // an ES module, so a snippet may use top-level await
    const src = pathToFileURL(join(root, 'src/index.ts')).href;
    const lines: string[] = [];
    (globalThis as Record<string, unknown>)['__snippetLog'] = (...a: unknown[]) => lines.push(a.map((v) => JSON.stringify(v)).join(' '));
    writeFileSync(file, code.replace(/from 'nabla'/g, `from '${src}'`).replace(/console\.log\(/g, '(globalThis as any).__snippetLog('));
    try { await import(pathToFileURL(file).href); } finally { rmSync(dir, { recursive: true, force: true }); }
    // Every "// <value>" comment after a console.log must match what it printed.
    const promised = code.split('\n').filter((l) => l.includes('console.log(')).map((l) => /\/\/\s*(.+)$/.exec(l)?.[1]?.trim() ?? null);
    assert.equal(lines.length, promised.length, 'one printed line per console.log');
    promised.forEach((want, k) => {
      if (want === null) return;
      assert.ok(lines[k]!.replace(/\s/g, '').endsWith(want.replace(/\s/g, '')), `printed ${lines[k]}, the guide says ${want}`);
    });
  });
});
