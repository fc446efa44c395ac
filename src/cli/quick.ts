/**
 * NABLA_QUICK=1: the documentation's code-block test (test/docs/code-blocks.test.ts) runs every
 * command of the guides, and a command that trains for minutes would make that test take an hour.
 * With NABLA_QUICK=1 in the environment, `nabla train` and `nabla example NAME` shorten themselves
 * (fewer epochs, steps and samples, never more than the command line asked for) and say so on
 * stderr; their output then shows the command works, not the published figures. An example's
 * short run is declared with its options (the `quick` values of examples/options.ts).
 */
import type { Example } from '../examples/types.js';
import { quickMode, quickSummary, quickValue } from '../examples/options.js';

/** What `nabla train` keeps under NABLA_QUICK=1: one epoch over at most 2,000 samples. */
export const QUICK_TRAIN = Object.freeze({ epochs: 1, limit: 2000 });

/** Whether NABLA_QUICK is set (see {@link quickMode}, the one reading of the variable). */
export const isQuick = quickMode;

/**
 * `given` with each numeric option capped at `caps` (an option not given takes the cap): the
 * smaller of the two wins, so NABLA_QUICK never lengthens a run (the rule of examples/options.ts).
 */
export function capOptions<T extends object>(given: T, caps: Readonly<Record<string, number>>): T {
  const out: Record<string, unknown> = { ...(given as Record<string, unknown>) };
  for (const [key, cap] of Object.entries(caps)) out[key] = quickValue(out[key], cap);
  return out as T;
}

/**
 * Under NABLA_QUICK, says on stderr what the example's run shortens (its declared quick values,
 * which its `run` applies); nothing otherwise, or when the example declares none.
 */
export function quickExampleNotice(example: Pick<Example, 'options'>, quick = isQuick()): void {
  const summary = quickSummary(example.options);
  if (quick && summary !== '') process.stderr.write(`NABLA_QUICK=1: shortened run (${summary}); the figures will not match the published ones\n`);
}
