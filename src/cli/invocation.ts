/**
 * How this process was started, so the commands nabla prints ("resume with: ...") can be copied
 * and run as they are: `nabla` when run through the installed bin, otherwise
 * `node [--import tsx] <path to main>` relative to the working directory.
 */
import { basename, relative } from 'node:path';

/** The command prefix that runs nabla the way this process was run. */
export function nablaCommand(): string {
  const script = process.argv[1] ?? 'nabla';
  const name = basename(script);
  if (name === 'nabla' || name === 'nabla.js' || name === 'nabla.cmd') return 'nabla';
  const rel = relative(process.cwd(), script) || script;
  const shown = rel.startsWith('..') ? script : rel;
  const imports = process.execArgv.filter((a, i, all) => a === '--import' || all[i - 1] === '--import' || a.startsWith('--import='));
  return ['node', ...imports, quote(shown)].join(' ');
}

/** Quotes a path for a POSIX shell when it holds characters the shell would interpret. */
export function quote(path: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
