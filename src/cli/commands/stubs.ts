/**
 * Commands docs/design.md lists that this build does not have yet (none at present).
 * Each has --help and exits with code 2 and one line saying it is not available.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

const STUBS: readonly [string, string][] = [];

/** Registers the commands that are not available yet. */
export function registerStubs(program: Command): void {
  for (const [name, description] of STUBS) {
    program.command(name).description(`${description} (not available yet)`)
      .allowUnknownOption().allowExcessArguments()
      .action(() => { throw new UsageError(`'nabla ${name}' is not available yet in this version`); });
  }
}
