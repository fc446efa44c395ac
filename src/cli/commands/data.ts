/**
 * `nabla data list | fetch NAME [--from DIR|URL] | path NAME`: the data sets that are not
 * embedded, downloaded once into the cache and verified by SHA-256 (src/data/fetch.ts).
 *
 * `fetch` draws a progress bar per file on a terminal, and elsewhere (a pipe, CI) prints one
 * line per file once it is verified. An unknown data set name is a usage error (exit 2); a
 * failed download, a checksum mismatch or a stall is a runtime error (exit 1, one line naming
 * the URL or file).
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { cachedDatasetDir, defaultCacheRoot } from '../../data/dataset-cache.js';
import { datasetEntry, datasetNames, registeredDatasets } from '../../data/dataset-registry.js';
import { DEFAULT_FETCH_TIMEOUT_MS, fetchDataset, type FetchProgress } from '../../data/fetch.js';
import { DataFileError } from '../../data/files.js';
import { EXIT, UsageError } from '../errors.js';
import { parsePositiveNumber } from '../options.js';
import { isInteractive } from '../progress.js';
import { describeCommand } from './catalog.js';

/** Bytes as "26.4 MB" / "212 B". */
function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1000, u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** The name, checked. @throws UsageError listing the known names. */
function knownName(name: string): string {
  if (!datasetNames().includes(name)) throw new UsageError(`unknown data set '${name}'; known: ${datasetNames().join(', ')} (see nabla data list)`);
  return name;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers `nabla data` and its three subcommands. */
export function registerData(program: Command): void {
  const data = program.command('data')
    .description(describeCommand('data'))
    .addHelpText('after', [
      '',
      `Cache: $NABLA_HOME/datasets, else $XDG_CACHE_HOME/nabla/datasets, else ~/.cache/nabla/datasets (now ${defaultCacheRoot()}).`,
      'HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.',
      '',
      'Examples:',
      '  nabla data list',
      '  nabla data fetch fashion-mnist',
      '  nabla data fetch fashion-mnist --from /mnt/mirror     # files in /mnt/mirror/fashion-mnist/',
      '  nabla data fetch fashion-mnist --from https://mirror.example.org/datasets',
      '  nabla data path fashion-mnist',
    ].join('\n'));

  data.command('list').description('the data sets nabla can fetch, their size and whether they are cached')
    .action(() => {
      for (const d of registeredDatasets()) {
        const bytes = d.files.reduce((s, f) => s + f.bytes, 0);
        const cached = cachedDatasetDir(d.name);
        console.log(`${d.name.padEnd(14)} ${formatBytes(bytes).padStart(8)}  ${cached ? `cached in ${cached}` : 'not fetched'}`);
        console.log(`${''.padEnd(14)} ${''.padStart(8)}  ${d.title}; ${d.license}; read with ${d.loader}()`);
      }
    });

  data.command('fetch').description('download a data set into the cache and verify its SHA-256 checksums')
    .argument('<name>', `the data set (${datasetNames().join(', ')})`)
    .option('--from <dir|url>', 'get the files from a mirror instead of upstream: <mirror>/<name>/<file> (repeatable; a local folder may hold the files directly)', collect, [])
    .option('--cache-dir <dir>', 'cache folder (default: see nabla data --help)')
    .option('--timeout <seconds>', 'give up on a source when no bytes arrive for this long', parsePositiveNumber, DEFAULT_FETCH_TIMEOUT_MS / 1000)
    .action(async (name: string, opts: { from: string[]; cacheDir?: string; timeout: number }) => {
      knownName(name);
      const progress = createFetchProgress(isInteractive());
      let dir: string;
      try {
        dir = await fetchDataset(name, {
          mirrors: opts.from, timeoutMs: opts.timeout * 1000, onProgress: progress.report,
          ...(opts.cacheDir === undefined ? {} : { cacheDir: opts.cacheDir }),
        });
      } finally {
        progress.stop();
      }
      console.log(`${name}: ${datasetEntry(name).files.length} file(s) verified in ${dir}`);
      process.exitCode = EXIT.ok;
    });

  data.command('path').description('print the folder of a data set\'s cached copy (exit 1 when it is not fetched)')
    .argument('<name>', 'the data set')
    .option('--cache-dir <dir>', 'cache folder (default: see nabla data --help)')
    .action((name: string, opts: { cacheDir?: string }) => {
      knownName(name);
      const dir = cachedDatasetDir(name, opts.cacheDir);
      if (dir === undefined)
        throw new DataFileError(name, `not in the cache (${opts.cacheDir ?? defaultCacheRoot()}); fetch it with 'nabla data fetch ${name}'`, 'E_NOT_FOUND');
      console.log(dir);
    });
}

/** Progress of `nabla data fetch`: a bar per file on a terminal, else one line per file. */
function createFetchProgress(interactive: boolean): { report: (e: FetchProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | null = null;
  const stop = (): void => { bar?.stop(); bar = null; };
  const report = (e: FetchProgress): void => {
    if (e.phase === 'cached') {
      console.log(`  ${e.file}  ${formatBytes(e.receivedBytes)}  already cached, verified`);
    } else if (e.phase === 'start' && interactive) {
      stop();
      bar = new cliProgress.SingleBar({
        format: `  ${e.file} [{bar}] {percentage}% | {got}`, stream: process.stdout, barsize: 24,
        hideCursor: true, clearOnComplete: true, fps: 8,
      }, cliProgress.Presets.shades_classic);
      bar.start(1, 0, { got: '0 B' });
    } else if (e.phase === 'data' && bar) {
      if (e.totalBytes !== undefined) bar.setTotal(e.totalBytes);
      bar.update(e.totalBytes === undefined ? 0 : e.receivedBytes, { got: formatBytes(e.receivedBytes) });
    } else if (e.phase === 'done') {
      stop();
      console.log(`  ${e.file}  ${formatBytes(e.receivedBytes)}  verified (from ${e.source})`);
    }
  };
  return { report, stop };
}
