/**
 * The built documentation site (docs/site/, `npm run docs`) has no dead internal link: every
 * href and src of every page that points inside the site names a file that exists, and its
 * #anchor, if any, an id on that page (a link to a folder means its index.html, as a web server
 * serves it). `npm test` builds the site first; run alone, this test
 * builds it when it is missing or older than the Markdown sources (TypeDoc, warnings are errors).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docFiles } from './doc-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const site = join(root, 'docs', 'site');
const index = join(site, 'index.html');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : []);
}

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The ids (and names) a page defines, for its anchors. */
function anchorsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => decode(m[1]!)));
}

function stale(): boolean {
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return docFiles(root).some((f) => statSync(join(root, f)).mtimeMs > built);
}

test('the documentation site has no dead internal link, image or anchor', { timeout: 300_000 }, () => {
  if (stale()) execFileSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc')], { cwd: root, stdio: 'pipe', timeout: 240_000 });
  const pages = htmlFiles(site);
  assert.ok(pages.length > 50, `only ${pages.length} pages in docs/site`);
  for (const want of ['documents/Getting_started.html', 'classes/index.Sequential.html', 'assets/katex/katex.min.css', 'assets/search.js'])
    assert.ok(existsSync(join(site, want)), `docs/site/${want} is missing`);

  const anchors = new Map<string, Set<string>>();
  const anchorsAt = (file: string): Set<string> => {
    let a = anchors.get(file);
    if (!a) anchors.set(file, a = anchorsOf(readFileSync(file, 'utf8')));
    return a;
  };
  const dead: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    for (const m of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
      const url = decode(m[2]!);
      if (url === '' || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) continue; // external (http:, mailto:, data:, ...)
      const [pathPart = '', hash] = url.split('#', 2);
      let target = pathPart === '' ? page : join(dirname(page), decodeURIComponent(pathPart.split('?')[0]!));
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html'); // a folder serves its index.html
      const where = `${relative(site, page)}: ${m[1]}="${url}"`;
      checked++;
      if (!existsSync(target) || !statSync(target).isFile()) { dead.push(`${where} (no file ${relative(site, target)})`); continue; }
      if (hash && target.endsWith('.html') && !anchorsAt(target).has(decodeURIComponent(hash))) dead.push(`${where} (no anchor #${hash})`);
    }
  }
  assert.ok(checked > 1000, `only ${checked} links checked`);
  assert.deepEqual(dead, [], `${dead.length} dead links of ${checked}:\n${dead.slice(0, 40).join('\n')}`);
});
