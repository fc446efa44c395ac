#!/usr/bin/env node
/**
 * The `nabla` command: `nabla train | evaluate | predict | summary | visualize | example | data | export` (and
 * `bench`, not available yet), each with --help. Exit codes: 0 success, 1 a runtime error (a
 * missing or corrupt file, an unreadable image), 2 a usage error (one line naming the option),
 * 130 interrupted by Ctrl-C (a checkpoint was saved). Set NABLA_DEBUG=1 for stack traces.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerData } from './commands/data.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExample } from './commands/example.js';
import { registerExport } from './commands/export.js';
import { registerPredict } from './commands/predict.js';
import { registerStubs } from './commands/stubs.js';
import { registerSummary } from './commands/summary.js';
import { registerTrain } from './commands/train.js';
import { registerVisualize } from './commands/visualize.js';
import { reportError } from './errors.js';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch { return '0.0.0'; }
}

/** The `nabla` program (commander), not yet parsed. Errors are thrown, not exited on. */
export function createProgram(): Command {
  const program = new Command('nabla')
    .description('nabla: deep learning in TypeScript - train, evaluate and use neural networks from the command line')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ') + '\n') });
  registerTrain(program);
  registerEvaluate(program);
  registerPredict(program);
  registerSummary(program);
  registerVisualize(program);
  registerExample(program);
  registerData(program);
  registerExport(program);
  registerBench(program);
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
    await createProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

main().then((code) => { process.exitCode = code; }, (err) => { process.exitCode = reportError(err); });
