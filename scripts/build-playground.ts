#!/usr/bin/env node
// The browser build of nabla and the playground's static files (esbuild).
//
//   npm run build:playground                         write playground/dist/ (any static web server can host it)
//   node --import tsx scripts/build-playground.ts --check    only bundle nabla for the browser and check it (writes nothing)
//   node --import tsx scripts/build-playground.ts --out DIR  write the static files to DIR instead
//
// playground/dist/ then holds:
//   nabla.js        nabla's browser build: src/browser.ts and everything it imports, one ES module
//   main.js         the page (imports ./nabla.js)
//   worker.js       the training Web Worker (imports ./nabla.js)
//   index.html, style.css, model/ (the digit model, copied from playground/model/)
//
// Node-only modules never reach the browser: the bundle is built for the platform 'browser' and
// a plugin fails the build on any import of a Node built-in (node:fs, 'path', ...). The only
// exceptions are a few dynamic imports that nabla guards at run time (they run only under
// Node.js: the thread count from node:os, worker_threads, files for saving and loading model
// directories); those are replaced by a stub that throws when imported, and listed in the report.
import { cp, mkdir, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions, BuildResult, Message, Plugin } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const playgroundDir = join(root, 'playground');
export const defaultOutDir = join(playgroundDir, 'dist');

/**
 * Dynamic imports of Node-only modules that nabla guards at run time (never executed in a
 * browser), by importer: replaced by a stub module that throws. Any other Node-only import fails
 * the build.
 */
export const GUARDED_DYNAMIC_IMPORTS: Record<string, string[]> = {
  'src/kernels/index.ts': ['node:os'],                       // default thread count, only when process.versions.node
  'src/kernels/wasm/threads.ts': ['node:worker_threads'],    // the thread pool, only when process.versions.node
  'src/models/persistence.ts': ['node:fs/promises', 'node:path', '../io/files.js'], // directories on disk (URLs and bytes use fetch / nothing)
  'src/models/load.ts': ['../io/files.js'],                 // likewise, for loading
  'src/io/location.ts': ['node:url'],                       // file:// URLs to paths, only for saving/loading on disk
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

function isNodeBuiltin(path: string): boolean {
  return path.startsWith('node:') || NODE_BUILTINS.has(path) || NODE_BUILTINS.has(path.split('/')[0]);
}

/** The esbuild plugin that keeps Node-only modules out; `stubbed` collects what it replaced. */
export function browserOnlyPlugin(stubbed: string[] = []): Plugin {
  return {
    name: 'nabla-browser-only',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const importer = relative(root, args.importer).split('\\').join('/');
        if (args.kind === 'dynamic-import' && GUARDED_DYNAMIC_IMPORTS[importer]?.includes(args.path)) {
          stubbed.push(`${importer}: import('${args.path}')`);
          return { path: `${importer}:${args.path}`, namespace: 'node-only-stub', pluginData: args.path };
        }
        if (isNodeBuiltin(args.path))
          return { errors: [{ text: `the Node-only module '${args.path}' is imported by ${importer} (${args.kind}) and would reach the browser bundle` }] };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'node-only-stub' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.pluginData} is Node-only: it is not part of nabla's browser build`)});\n`,
        loader: 'js',
      }));
    },
  };
}

const COMMON = {
  bundle: true, format: 'esm', platform: 'browser', target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'silent', metafile: true,
} as const satisfies BuildOptions;

/**
 * Bundles nabla (src/browser.ts) for the browser.
 * @returns the esbuild result (outputFiles when write is false) and the stubbed guarded imports.
 */
export async function buildNablaBrowser({ outDir = defaultOutDir, write = true }: { outDir?: string; write?: boolean } = {}): Promise<{ result: BuildResult<{ metafile: true }>; stubbed: string[] }> {
  const esbuild = await import('esbuild');
  const stubbed: string[] = [];
  const result = await esbuild.build({
    ...COMMON, entryPoints: { nabla: join(root, 'src', 'browser.ts') }, outdir: outDir, write,
    plugins: [browserOnlyPlugin(stubbed)],
  });
  return { result, stubbed: [...new Set(stubbed)] };
}

/** Resolves the playground's imports of src/browser.ts to the separate ./nabla.js module. */
function nablaExternalPlugin(): Plugin {
  return {
    name: 'nabla-external',
    setup(build) {
      build.onResolve({ filter: /(^|\/)src\/browser(\.js|\.ts)?$/ }, () => ({ path: './nabla.js', external: true }));
    },
  };
}

/**
 * Files of src/ the page and worker may bundle themselves (pure functions, no state): everything
 * else of nabla must come through ./nabla.js, or the page would hold two copies of its backends.
 */
const APP_OWN_SRC = new Set(['src/data/digit-preprocess.ts']);

export interface PlaygroundBuild { outDir: string; sizes: Record<string, number>; stubbed: string[]; ms: number }

/** Builds the whole playground into outDir. */
export async function buildPlayground({ outDir = defaultOutDir }: { outDir?: string } = {}): Promise<PlaygroundBuild> {
  const esbuild = await import('esbuild');
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const lib = await buildNablaBrowser({ outDir, write: true });
  const app = await esbuild.build({
    ...COMMON,
    entryPoints: { main: join(playgroundDir, 'src', 'main.ts'), worker: join(playgroundDir, 'src', 'worker.ts') },
    outdir: outDir, plugins: [nablaExternalPlugin(), browserOnlyPlugin()],
  });
  const foreign = Object.keys(app.metafile.inputs).filter((f) => f.startsWith('src/') && !APP_OWN_SRC.has(f));
  if (foreign.length > 0)
    throw new Error(`the playground bundles nabla modules itself instead of importing them from src/browser.ts: ${foreign.join(', ')}`);
  for (const f of ['index.html', 'style.css']) await cp(join(playgroundDir, f), join(outDir, f));
  await cp(join(playgroundDir, 'model'), join(outDir, 'model'), { recursive: true, filter: (src) => !src.endsWith('.md') });
  const sizes: Record<string, number> = {};
  for (const [file, info] of Object.entries({ ...lib.result.metafile.outputs, ...app.metafile.outputs }))
    if (file.endsWith('.js')) sizes[relative(outDir, join(root, file))] = info.bytes;
  return { outDir, sizes, stubbed: lib.stubbed, ms: Date.now() - started };
}

function kb(n: number): string { return `${(n / 1024).toFixed(0)} KB`; }

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--check')) {
      const { result, stubbed } = await buildNablaBrowser({ write: false });
      const js = result.outputFiles!.find((f) => f.path.endsWith('.js'))!;
      console.log(`nabla browser bundle: ${kb(js.contents.length)}, no Node-only module; guarded dynamic imports stubbed: ${stubbed.join('; ') || 'none'}`);
    } else {
      const o = args.indexOf('--out');
      const outDir = o >= 0 ? join(process.cwd(), args[o + 1] ?? '') : defaultOutDir;
      const r = await buildPlayground({ outDir });
      console.log(`playground built in ${r.ms} ms: ${relative(process.cwd(), r.outDir) || '.'}/ (${Object.entries(r.sizes).map(([f, n]) => `${f} ${kb(n)}`).join(', ')})`);
      console.log('Host that folder with any static web server; serve it with the headers');
      console.log('  Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp');
      console.log("to let nabla use its WebAssembly backend (else it uses the 'js' backend). `npm run playground` does that locally.");
    }
  } catch (e) {
    const errors = (e as { errors?: Message[] } | null)?.errors;
    if (Array.isArray(errors) && errors.length > 0)
      for (const err of errors) console.error(`build-playground: ${err.location ? `${err.location.file}:${err.location.line}: ` : ''}${err.text}`);
    else console.error(`build-playground: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

