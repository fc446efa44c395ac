/**
 * How the command line reports failure (docs/design.md, "The command line" and "Errors and bad input"):
 *
 * - a usage error (a bad option value, an unknown data set or model, a missing argument) prints
 *   ONE line on stderr naming the option and exits with code 2;
 * - a runtime error (a missing, truncated or corrupt file, an image that holds no digit) prints
 *   one line, the error's message, and exits with code 1;
 * - Ctrl-C during training saves a checkpoint and exits with code 130 (128 + SIGINT).
 *
 * The exit code is chosen from the error's class and `code` ({@link exitCodeOf}; the classes and
 * codes are listed in src/errors.ts), never from its message. No stack trace is shown unless the
 * environment sets NABLA_DEBUG=1, which also prints the error's class and code.
 */
import { CommanderError } from 'commander';

/** Exit codes of the `nabla` command. */
export const EXIT = Object.freeze({ ok: 0, runtime: 1, usage: 2, interrupted: 130 });

/** A mistake on the command line: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Always 'E_USAGE'. */
  readonly code = 'E_USAGE' as const;
  /** The option at fault ('--data'), when the message names one. */
  readonly option: string | undefined;
  /** What is wrong, without the "option '--data': " prefix (commander's parsers print their own). */
  readonly problem: string;

  /**
   * @param problem what is wrong, as a phrase.
   * @param option the option at fault: the message becomes "option '<option>': <problem>".
   */
  constructor(problem: string, option?: string) {
    super(option === undefined ? problem : `option '${option}': ${problem}`);
    this.option = option;
    this.problem = problem;
  }
}

/** True when NABLA_DEBUG asks for stack traces. */
export function debugEnabled(): boolean {
  const v = process.env['NABLA_DEBUG'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The message of an error as one line (later lines, if any, are joined with ' | '). */
export function oneLine(message: string): string {
  return message.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '').join(' | ');
}

/**
 * Prints an error the way the command line reports it and returns the exit code to use.
 * Commander's own parse errors have already been printed by commander (one line) and only map
 * to their exit code here.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.executeSubCommandAsync') return EXIT.ok;
    if (err.code === 'commander.help') return EXIT.usage; // `nabla` with no command: help on stderr
    return EXIT.usage;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  stderr.write(`error: ${oneLine(e.message)}\n`);
  if (debugEnabled()) {
    const code = (e as { code?: unknown }).code;
    stderr.write(`(${e.name}${typeof code === 'string' ? `, code ${code}` : ''})\n`);
    if (e.stack) stderr.write(e.stack + '\n');
  }
  return exitCodeOf(e);
}

/**
 * The exit code for an error that ends a command, from its class and code only:
 * {@link UsageError} (code 'E_USAGE') -> 2 (usage); anything else (DataFileError, ModelFileError,
 * FileWriteError, DisposedError, NonFiniteLossError, a TypeError / RangeError from a refused
 * model config, ...) -> 1 (runtime). Commander's own errors are mapped in {@link reportError}.
 */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? EXIT.usage : EXIT.runtime;
}
