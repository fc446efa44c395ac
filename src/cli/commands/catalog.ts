/**
 * The `nabla` commands as `nabla --help` lists them: name, usage term and one-line description.
 * This module imports nothing, so the program can list every command, and suggest one for a
 * typo, without loading any command's module (main.ts loads only the command that runs: the
 * library, the WebAssembly kernels, plotting and image modules are not loaded for `--help`).
 */

/** One command of the catalog. */
export interface CommandEntry {
  /** The command's name (`nabla NAME`). */
  readonly name: string;
  /** How `nabla --help` shows its usage, e.g. `evaluate [options] <model-dir>`. */
  readonly term: string;
  /** The one-line description (the command's own `--help` shows the same). */
  readonly description: string;
}

/** The commands, in the order `nabla --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = Object.freeze([
  { name: 'train', term: 'train [options]', description: 'train a model on a data set, report test accuracy and save it' },
  { name: 'evaluate', term: 'evaluate [options] <model-dir>', description: "report a saved model's test loss, accuracy and confusion matrix" },
  { name: 'predict', term: 'predict [options] <model-dir> <input>', description: 'predict the class of a digit image (PNG) or of the rows of a CSV file' },
  { name: 'summary', term: 'summary [options] <model-dir>', description: "print a saved model's layers, parameters, training history and results" },
  { name: 'visualize', term: 'visualize [options] <model-dir>', description: "draw a saved model's filters and feature maps (CNN) or its first layer's weights (MLP) as PNG images" },
  { name: 'example', term: 'example [options] [name]', description: "run one of the course's worked examples: its figures, the published ones, its plots" },
  { name: 'data', term: 'data', description: 'list, fetch (download, verify by SHA-256, cache) and locate the data sets that are not embedded' },
  { name: 'export', term: 'export [options] <run-dir>', description: 'write a trained model for another engine: ONNX Runtime, TensorFlow.js or PyTorch' },
  { name: 'bench', term: 'bench [options]', description: 'time nabla (js, wasm 1 thread, wasm all threads) against TensorFlow.js, ConvNetJS, brain.js and PyTorch on this machine' },
]);

/** The description of a command of {@link COMMANDS}. */
export function describeCommand(name: string): string {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new RangeError(`describeCommand: no command '${name}' in the catalog`);
  return entry.description;
}
