/**
 * The code blocks of the documentation (README.md and docs/guides/**.md) and their skip markers,
 * read by test/docs/code-blocks.test.ts. A block is a fenced ```ts / ```typescript (run as an ES
 * module) or ```sh / ```bash (run with bash); the line `<!-- doc-test: skip (reason) -->` right
 * before its opening fence (blank lines and other `<!-- ... -->` lines between are allowed) skips it;
 * the reason is required.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One runnable block of a Markdown file. */
export interface DocBlock {
  /** The file, relative to the repository root (forward slashes). */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  kind: 'ts' | 'sh';
  code: string;
  /** The skip marker's reason, or undefined when the block runs. */
  skip?: string;
  /** A marker without a reason (an error the test reports). */
  badMarker?: string;
}

const LANGS: Record<string, DocBlock['kind']> = { ts: 'ts', typescript: 'ts', sh: 'sh', bash: 'sh' };
const MARKER = /^<!--\s*doc-test:\s*skip\b(.*?)-->\s*$/;

/** The Markdown files the runner reads: README.md, then docs/guides/**.md sorted. */
export function docFiles(root: string): string[] {
  const guides = join(root, 'docs', 'guides');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) found.push(join(dir, e.name));
    }
  };
  try { walk(guides); } catch { /* no guides yet */ }
  return [join(root, 'README.md'), ...found.sort()].map((f) => relative(root, f).split('\\').join('/'));
}

/** The ts and sh blocks of one Markdown text, with their skip markers. */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  let marker: string | undefined; // the last marker seen, until a non-blank line that is not a fence
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      const [, indent, fence, lang = ''] = open;
      const body: string[] = [];
      let j = i + 1;
      const close = new RegExp(`^\\s*${fence![0]}{${fence!.length},}\\s*$`);
      for (; j < lines.length && !close.test(lines[j]!); j++)
        body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
      const kind = LANGS[lang.toLowerCase()];
      if (kind) {
        const block: DocBlock = { file, line: i + 1, kind, code: body.join('\n') + '\n' };
        if (marker !== undefined) {
          const reason = /^\s*\((.+)\)\s*$/.exec(marker)?.[1]?.trim();
          if (reason) block.skip = reason; else block.badMarker = `the skip marker before ${file}:${i + 1} gives no reason: write <!-- doc-test: skip (why) -->`;
        }
        blocks.push(block);
      }
      marker = undefined;
      i = j;
      continue;
    }
    const m = MARKER.exec(line.trim());
    if (m) marker = m[1]!;
    else if (line.trim() !== '' && !/^<!--.*-->$/.test(line.trim())) marker = undefined; // other markers may sit between
  }
  return blocks;
}

/** Every block of the documentation under `root`. */
export function allBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((f) => extractBlocks(f, readFileSync(join(root, f), 'utf8')));
}
