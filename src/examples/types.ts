/**
 * What every worked example shares: the options each run takes, the result it returns (its
 * figures as numbers, its comparisons with published figures, the files it wrote) and the entry
 * the registry and `nabla example` read (name, title, source, command-line options).
 */

/** Options every example's `run` takes, beside its own. */
export interface CommonOptions {
  /**
   * Folder for the plots (SVG and PNG); created when missing. Default: write nothing (the
   * command line passes `runs/examples/<name>`).
   */
  outDir?: string;
  /** Also write PNG beside each SVG. Default true. */
  png?: boolean;
  /** Receives the example's report, one line at a time (tables, progress). Default: silent. */
  log?: (line: string) => void;
  /** Seed of every random choice the example makes (initial weights, splits, sampling). */
  seed?: number;
  /**
   * A short run: the example's declared options take their `quick` values ({@link ExampleOption}).
   * Default: NABLA_QUICK set in the environment (examples/options.ts, quickMode).
   */
  quick?: boolean;
}

/** One measured figure set beside the figure a source published (or a bound it must meet). */
export interface Comparison {
  /** What is compared, e.g. 'best test accuracy (784-30-10)'. */
  label: string;
  /** nabla's value, formatted. */
  measured: string;
  /** The published value or the bound, formatted, with its source, e.g. '95.42% (Nielsen ch. 1)'. */
  published: string;
  /** Whether the measured value reproduces the published one to the stated tolerance. */
  agrees: boolean;
}

/** What a run returns. */
export interface ExampleResult {
  /** The example's figures by name (accuracies as fractions, errors as plain numbers). */
  figures: Record<string, number>;
  /** Measured against published figures, where the source gives one. */
  comparisons: Comparison[];
  /** The files written (SVG then PNG for each plot), in order. */
  files: string[];
}

/** A command-line option of one example (`nabla example NAME --points 11`). */
export interface ExampleCliOption {
  /** commander's flags, e.g. '--points <n>'; the option's key is their camel-cased long name. */
  flags: string;
  description: string;
  /** How the value is read: a positive integer, a positive number, or one of `choices`. */
  kind: 'positiveInt' | 'positiveNumber' | 'choice';
  /** For 'choice': the accepted values (numbers are parsed when every choice is numeric). */
  choices?: readonly string[];
}

/**
 * One option an example declares (defineExample's `options`, keyed by the option's key in `run`'s
 * options): the one source of its default, its NABLA_QUICK value and its command-line flag, whose
 * name is the key in kebab case (`trainRows`: `--train-rows <n>`) and whose help is the
 * description followed by "(default ...)".
 */
export interface ExampleOption<T = unknown> {
  /** What the option sets, for --help. */
  description: string;
  /**
   * How the command line reads the value (default 'positiveInt'); 'library': no flag, only `run`
   * takes it.
   */
  kind?: ExampleCliOption['kind'] | 'library';
  /** The value when the option is not given. */
  default: T;
  /**
   * The value of a short run (NABLA_QUICK, or `quick: true`): a number is a cap (the value given
   * is kept when smaller, so a short run is never longer); any other value stands in for the
   * default when the option is not given.
   */
  quick?: T;
  /** For 'choice': the accepted values (numbers are parsed when every choice is numeric). */
  choices?: readonly string[];
  /** The value's name in the flags, `--learning-rate <eta>`. Default 'n'. */
  valueName?: string;
  /** What --help gives as the default where the value would mislead (topK 0: 'all'). */
  defaultText?: string;
}

/** The options an example declares: for each key of its options type `O`, an {@link ExampleOption} of that type. */
export type ExampleOptions<O = Record<string, unknown>> = { readonly [K in keyof O]?: ExampleOption<Exclude<O[K], undefined>> };

/**
 * The option fields an example's declared options `D` stand for (each optional, typed by its
 * default): an example's options type extends it, so that each option is stated once.
 */
export type DeclaredOptions<D> = { -readonly [K in keyof D]?: D[K] extends { default: infer T } ? T : never };

/** A registry entry: what `nabla example --list` shows and `nabla example NAME` runs. */
export interface Example {
  /** The command-line name, e.g. 'higham'. */
  readonly name: string;
  /** One line for --list. */
  readonly title: string;
  /** Where it comes from (book, paper, lecture). */
  readonly source: string;
  /** Options beyond --out, --seed and --no-png (made from `options`). */
  readonly cliOptions: readonly ExampleCliOption[];
  /** The options the example declares: defaults, NABLA_QUICK values, flags. */
  readonly options: ExampleOptions;
  /** A rough running time on one core with the js backend, for --list. */
  readonly duration: string;
  /** Runs the example; `options` holds the common options and the example's own. */
  run(options: CommonOptions & Record<string, unknown>): Promise<ExampleResult>;
}
