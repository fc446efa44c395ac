/**
 * `nabla example NAME [--out DIR] [--seed N] [--no-png] [options]`: runs one of the course's worked
 * examples, prints its report and figures, compares them with the published figures, and writes
 * its plots as SVG and PNG. `nabla example --list` (or no name) lists the examples. Each example
 * is a subcommand, so `nabla example higham --help` shows its own options.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EXAMPLES } from '../../examples/index.js';
import type { Example, ExampleCliOption, ExampleResult } from '../../examples/types.js';
import { EXIT, UsageError } from '../errors.js';
import { parsePositiveInt, parsePositiveNumber, parseSeed } from '../options.js';
import { InvalidArgumentError } from 'commander';
import { describeCommand } from './catalog.js';
import { progressBar } from './train-text.js';
import { quickExampleNotice } from '../quick.js';

/** The `--list` text: one line per example with its source and running time. */
export function exampleList(): string {
  const width = Math.max(...EXAMPLES.map((e) => e.name.length));
  return ['Examples (nabla example NAME; nabla example NAME --help for its options):',
    ...EXAMPLES.map((e) => `  ${e.name.padEnd(width)}  ${e.title}\n  ${' '.repeat(width)}  ${e.source}; about ${e.duration}`)].join('\n');
}

function optionFor(spec: ExampleCliOption): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.kind === 'positiveInt') return option.argParser(parsePositiveInt);
  if (spec.kind === 'positiveNumber') return option.argParser(parsePositiveNumber);
  const choices = spec.choices ?? [];
  const numeric = choices.every((c) => /^\d+(\.\d+)?$/.test(c));
  return option.argParser((value: string) => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`Expected one of ${choices.join(', ')}.`);
    return numeric ? Number(value) : value;
  });
}

/** Prints a finished run: comparisons, figures, files. */
function report(result: ExampleResult, print: (line: string) => void): void {
  if (result.comparisons.length > 0) {
    print('');
    print('Measured against the published figures (or what the source says must happen):');
    for (const c of result.comparisons) print(`  ${c.agrees ? 'agrees ' : 'DIFFERS'}  ${c.label}: ${c.measured}  (reference: ${c.published})`);
  }
  print('');
  print('Figures:');
  for (const [k, v] of Object.entries(result.figures)) print(`  ${k} = ${Number.isInteger(v) ? v : Number(v.toPrecision(7))}`);
  if (result.files.length > 0) print('');
  for (const [kind, paths] of filesByKind(result.files)) print(`${kind}: ${paths.join(', ')}`);
}

/**
 * The files an example wrote, grouped by kind in order of first appearance: 'Plots' (.svg,
 * .png), 'Model' (a folder holding model.json), 'Text' (.txt), 'Data' (.csv, .json) and 'Files'
 * (anything else); a kind with several entries is plural ('Models').
 */
export function filesByKind(files: readonly string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const kind = /\.(svg|png)$/i.test(f) ? 'Plots' : existsSync(join(f, 'model.json')) ? 'Model'
      : /\.txt$/i.test(f) ? 'Text' : /\.(csv|json)$/i.test(f) ? 'Data' : 'Files';
    groups.set(kind, [...groups.get(kind) ?? [], f]);
  }
  return [...groups].map(([kind, paths]) => [kind === 'Model' && paths.length > 1 ? 'Models' : kind, paths]);
}

async function runExample(example: Example, opts: Record<string, unknown>): Promise<number> {
  const { out, png, ...own } = opts;
  const outDir = resolve(typeof out === 'string' ? out : `runs/examples/${example.name}`);
  quickExampleNotice(example);
  const result = await example.run({ ...own, outDir, png: png !== false, log: (line) => console.log(line), progress: progressBar, handleSigint: true });
  report(result, (line) => console.log(line));
  return EXIT.ok;
}

/** Registers `nabla example` and one subcommand per example. */
export function registerExample(program: Command): void {
  const command = program.command('example').description(describeCommand('example'))
    .argument('[name]', 'the example (see --list)')
    .option('--list', 'list the examples')
    .addHelpText('after', `\n${exampleList()}\n\nPlots go to runs/examples/NAME/ unless --out DIR is given.`)
    .action((name: string | undefined) => {
      if (name !== undefined) throw new UsageError(`unknown example '${name}'; valid names: ${EXAMPLES.map((e) => e.name).join(', ')}`);
      console.log(exampleList());
    });
  for (const example of EXAMPLES) {
    const sub = command.command(example.name).description(`${example.title} (${example.source})`)
      .option('--out <dir>', `folder for the plots (default runs/examples/${example.name})`)
      .addOption(new Option('--seed <n>', 'seed of every random choice (default 1)').argParser(parseSeed))
      .option('--no-png', 'write SVG only');
    for (const spec of example.cliOptions) sub.addOption(optionFor(spec));
    sub.action(async (opts: Record<string, unknown>) => { process.exitCode = await runExample(example, opts); });
  }
}
