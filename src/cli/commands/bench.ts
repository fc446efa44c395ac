/**
 * `nabla bench`: nabla (js; wasm 1 thread; wasm all threads) against TensorFlow.js (cpu, wasm),
 * ConvNetJS, brain.js and PyTorch CPU. The benchmark itself is `bench/run.ts` in a source checkout
 * (the competitors are devDependencies); this command runs it in one child process (node --import
 * tsx), passing the options through. See docs/guides/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parsePositiveInt } from '../options.js';
import { describeCommand } from './catalog.js';

/** The repository root: src/cli/commands or dist/cli/commands, three levels up. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export function registerBench(program: Command): void {
  program.command('bench')
    .description(describeCommand('bench'))
    .option('--quick', 'a short smoke run (fewer samples and repetitions)')
    .option('--only <what>', "'nabla': skip the competitors")
    .option('--passes <n>', 'passes over every library; each figure is the best of its passes (default 2; 1 with --quick)', parsePositiveInt)
    .option('--out <file>', 'write the JSON here (default: bench/results/<date>.json)')
    .option('--no-save', 'do not write the JSON')
    .addHelpText('after', [
      '',
      'Workloads: W1 MLP 784-128-10 SGD 0.1 batch 64 (10,000 samples); W2 CNN conv 5x5x8 - maxpool 2 - dense 10',
      '(5,000 samples); W3 the main job\'s MLP with Adam on MNIST; LeNet, the CNN of --model cnn, with Adam (5,000 samples);',
      'W1 inference at batch 1000; sgemm 256/512/1024. PyTorch: once, as root, bench/setup.sh installs it with OpenBLAS.',
      'Needs a source checkout with devDependencies installed (npm install); same as `npm run bench`.',
    ].join('\n'))
    .action((opts: { quick?: boolean; only?: string; passes?: number; out?: string; save?: boolean }) => {
      const script = join(ROOT, 'bench', 'run.ts');
      if (!existsSync(script)) throw new UsageError("'nabla bench' needs a source checkout of nabla (bench/run.ts); run it there with npm run bench");
      if (opts.only !== undefined && opts.only !== 'nabla') throw new UsageError(`--only: expected 'nabla', got '${opts.only}'`);
      const args = [...(opts.quick ? ['--quick'] : []), ...(opts.only ? ['--only', opts.only] : []), ...(opts.passes ? ['--passes', String(opts.passes)] : []),
        ...(opts.out ? ['--out', opts.out] : []), ...(opts.save === false ? ['--no-save'] : [])];
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });
}
