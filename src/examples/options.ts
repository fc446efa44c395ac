/**
 * The options an example declares (types.ts, ExampleOption): `run` resolves them here (the value
 * given, else the default; under NABLA_QUICK the quick values), the command line makes its flags
 * and help text from them, and says on stderr what a quick run shortens. NABLA_QUICK is read here
 * only ({@link quickMode}).
 */
import type { CommonOptions, ExampleCliOption, ExampleOption, ExampleOptions } from './types.js';

/**
 * Whether NABLA_QUICK is set to anything but '', '0' or 'false' in `env` (default process.env; never
 * in a browser): the documentation's code-block test sets it, and a command or example that trains
 * for more than a few seconds then shortens itself (explicit options still win when smaller). The
 * one reading of the variable: `src/cli/quick.ts` uses it too.
 */
export function quickMode(env?: Readonly<Record<string, string | undefined>>): boolean {
  const e = env ?? (typeof process !== 'undefined' ? process.env : {});
  const v = e['NABLA_QUICK'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * The value of a short run: a numeric `quick` caps `given` (an option not given takes the cap, a
 * smaller one is kept: a short run is never longer); any other `quick` stands in for a value not given.
 */
export function quickValue(given: unknown, quick: unknown): unknown {
  if (typeof quick === 'number') return typeof given === 'number' && given < quick ? given : quick;
  return given ?? quick;
}

/** Options `O` with the declared keys `K` present. */
export type Resolved<O, K extends PropertyKey> = O & { [P in K & keyof O]-?: Exclude<O[P], undefined> };

/**
 * `given` with every declared option set: the value given, else the default; in a short run
 * (`given.quick`, default {@link quickMode}) the option's quick value applies ({@link quickValue}).
 */
export function resolveOptions<O extends CommonOptions, D extends ExampleOptions<O>>(declared: D, given: O): Resolved<O, keyof D> {
  const quick = given.quick ?? quickMode();
  const out = { ...given } as Record<string, unknown>;
  for (const [key, option] of Object.entries(declared) as [string, ExampleOption][]) {
    const v = out[key];
    out[key] = quick && option.quick !== undefined ? quickValue(v, option.quick) : v ?? option.default;
  }
  return out as Resolved<O, keyof D>;
}

/** The help text of an option: its description, then "(default 32; NABLA_QUICK=1: at most 8)". */
function helpText(o: ExampleOption): string {
  const shown = o.defaultText !== undefined ? `default: ${o.defaultText}` : `default ${String(o.default)}`;
  return `${o.description} (${shown}${typeof o.quick === 'number' ? `; NABLA_QUICK=1: at most ${o.quick}` : ''})`;
}

/** The command-line options of the declared ones (all but kind 'library'), in their order: `unitsPerLayer` is `--units-per-layer <n>`. */
export function cliOptionsOf(declared: ExampleOptions): ExampleCliOption[] {
  return (Object.entries(declared) as [string, ExampleOption][]).filter(([, o]) => o.kind !== 'library').map(([key, o]) => ({
    flags: `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <${o.valueName ?? 'n'}>`, description: helpText(o),
    kind: o.kind === undefined || o.kind === 'library' ? 'positiveInt' : o.kind, ...(o.choices ? { choices: o.choices } : {}),
  }));
}

/** What a short run changes, e.g. 'steps <= 30, lengths = [10,25]'; '' when the example declares no quick value. */
export function quickSummary(declared: ExampleOptions): string {
  return (Object.entries(declared) as [string, ExampleOption][]).filter(([, o]) => o.quick !== undefined)
    .map(([key, o]) => (typeof o.quick === 'number' ? `${key} <= ${o.quick}` : `${key} = ${JSON.stringify(o.quick)}`)).join(', ');
}
