#!/usr/bin/env node
/**
 * The `nabla` command: `nabla train | evaluate | predict | summary | visualize | example | data | export` (and
 * `bench`, not available yet), each with --help. Exit codes: 0 success, 1 a runtime error (a
 * missing or corrupt file, an unreadable image), 2 a usage error (one line naming the option),
 * 130 interrupted by Ctrl-C (a checkpoint was saved). Set NABLA_DEBUG=1 for stack traces.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './commands/catalog.js';
import { registerStubs } from './commands/stubs.js';
import { reportError } from './errors.js';

/** Each command's registration, imported only when that command runs (see catalog.ts). */
const REGISTER: Record<string, () => Promise<(program: Command) => void>> = {
  train: async () => (await import('./commands/train.js')).registerTrain,
  evaluate: async () => (await import('./commands/evaluate.js')).registerEvaluate,
  predict: async () => (await import('./commands/predict.js')).registerPredict,
  summary: async () => (await import('./commands/summary.js')).registerSummary,
  visualize: async () => (await import('./commands/visualize.js')).registerVisualize,
  example: async () => (await import('./commands/example.js')).registerExample,
  data: async () => (await import('./commands/data.js')).registerData,
  export: async () => (await import('./commands/export.js')).registerExport,
  bench: async () => (await import('./commands/bench.js')).registerBench,
};

/** The command an argument list runs (`nabla help NAME` shows NAME's help), or undefined. */
function commandOf(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch { return '0.0.0'; }
}

/**
 * The `nabla` program (commander), not yet parsed. Errors are thrown, not exited on. Only the
 * command `args` runs is loaded and registered in full; the others are listed from the catalog
 * (for `--help` and "Did you mean ...?"), so `nabla --help` loads no library module.
 * @param args the arguments after `nabla` (default: none, which loads no command).
 */
export async function createProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command('nabla')
    .description('nabla: deep learning in TypeScript - train, evaluate and use neural networks from the command line')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ') + '\n') });
  const wanted = commandOf(args);
  for (const { name, description } of COMMANDS) {
    if (name === wanted) (await REGISTER[name]!())(program);
    else program.command(name).description(description).helpOption(false).allowUnknownOption().allowExcessArguments();
  }
  const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
  const help = program.createHelp();
  program.configureHelp({ subcommandTerm: (cmd) => (cmd.name() === wanted ? undefined : terms.get(cmd.name())) ?? help.subcommandTerm(cmd) });
  registerStubs(program);
  program.addHelpText('after', '\nStart with: nabla train   (trains an MLP on the embedded MNIST; see nabla train --help)');
  return program;
}

/**
 * Runs the command line and returns its exit code (see the module comment).
 * @param argv process.argv-style arguments (node, script, ...args).
 */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await (await createProgram(argv.slice(2))).parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

main().then((code) => { process.exitCode = code; }, (err) => { process.exitCode = reportError(err); });
