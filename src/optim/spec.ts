/**
 * What distinguishes one optimiser from another apart from its update kernel: its names, its
 * default learning rate, its own options (each with its check and default, in getConfig order) and
 * the slots it keeps. {@link BaseOptimizer} reads a spec once and owns everything derived from it:
 * the unknown-key check, the option validation, the instance fields, getConfig()'s own part and
 * the slot names that checkpoints store.
 */
import { withDefault } from './validate.js';

/** A slot an optimiser keeps per parameter: its name (Keras's) and the value it starts from. */
export interface SlotSpec {
  readonly name: string;
  readonly initialValue: number;
}

/** An optimiser's own option value after validation. */
export type OptionValue = number | boolean;

/**
 * One option of an optimiser: the check of src/validate.ts it goes through (it throws the
 * TypeError / RangeError naming the option) and its default (Keras's).
 */
export interface OptionSpec {
  readonly check: (owner: string, option: string, value: unknown) => OptionValue;
  readonly default: OptionValue;
}

/** The description of one optimiser that {@link BaseOptimizer}'s constructor reads. */
export interface OptimizerSpec {
  /** Keras class name, used in getConfig() and errors ('Adam'). */
  readonly className: string;
  /** Registry name ('adam'). */
  readonly name: string;
  /** The learning rate when the options have none. */
  readonly learningRate: number;
  /** The optimiser's own options besides learningRate / clipnorm / clipvalue, in getConfig() order. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** The slots kept per parameter, from the validated options (e.g. SGD keeps none without momentum). */
  readonly slots: (options: Readonly<Record<string, OptionValue>>) => readonly SlotSpec[];
}

/** `{ check, default }` in one call, so a spec's options read as one line each. */
export function option(check: OptionSpec['check'], fallback: OptionValue): OptionSpec {
  return { check, default: fallback };
}

/**
 * The spec's own options read from a key-checked options record: each through its check, its
 * default when absent, in the spec's order (so the first invalid one is reported).
 * @throws the check's TypeError / RangeError naming the option.
 */
export function ownOptions(spec: OptimizerSpec, options: Record<string, unknown>): Readonly<Record<string, OptionValue>> {
  const own: Record<string, OptionValue> = {};
  for (const [key, opt] of Object.entries(spec.options)) own[key] = opt.check(spec.className, key, withDefault(options, key, opt.default));
  return Object.freeze(own);
}
