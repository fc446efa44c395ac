/**
 * NABLA_QUICK=1: the documentation's code-block test (test/docs/code-blocks.test.ts) runs every
 * command of the guides, and a command that trains for minutes would make that test take an hour.
 * With NABLA_QUICK=1 in the environment, `nabla train` and `nabla example NAME` shorten themselves
 * (fewer epochs, steps and samples, never more than the command line asked for) and say so on
 * stderr; their output then shows the command works, not the published figures.
 */
import type { Example } from '../examples/types.js';
import { quickMode } from '../examples/util.js';

/** What `nabla train` keeps under NABLA_QUICK=1: one epoch over at most 2,000 samples. */
export const QUICK_TRAIN = Object.freeze({ epochs: 1, limit: 2000 });

/**
 * Caps per example (the option keys of its `run`) under NABLA_QUICK=1, for the examples that run
 * longer than a few seconds; the others run as they are.
 */
export const QUICK_EXAMPLES: Readonly<Record<string, Readonly<Record<string, number>>>> = Object.freeze({
  higham: { steps: 20_000, iterations: 100 },
  'nielsen-ch1': { epochs: 1, trainSize: 2000 },
  'pokemon-cp': { iterations: 20_000 },
  runge: { epochs: 300 },
  'xor-gates': { epochs: 1000 },
});

/** Whether NABLA_QUICK is set (see {@link quickMode}, the one reading of the variable). */
export const isQuick = quickMode;

/**
 * `given` with each numeric option capped at `caps` (an option not given takes the cap): the
 * smaller of the two wins, so NABLA_QUICK never lengthens a run.
 */
export function capOptions<T extends object>(given: T, caps: Readonly<Record<string, number>>): T {
  const out: Record<string, unknown> = { ...(given as Record<string, unknown>) };
  for (const [key, cap] of Object.entries(caps)) {
    const v = out[key];
    out[key] = typeof v === 'number' && v < cap ? v : cap;
  }
  return out as T;
}

/** The options an example runs with: `given`, capped by its QUICK_EXAMPLES entry when quick. */
export function quickExampleOptions(example: Pick<Example, 'name'>, given: Record<string, unknown>, quick = isQuick()): Record<string, unknown> {
  const caps = QUICK_EXAMPLES[example.name];
  if (!quick || caps === undefined) return given;
  const capped = capOptions(given, caps);
  process.stderr.write(`NABLA_QUICK=1: shortened run (${Object.entries(caps).map(([k, v]) => `${k} <= ${v}`).join(', ')}); the figures will not match the published ones\n`);
  return capped;
}
