// The published package, as a consumer gets it: `npm pack` of the built tree (npm test builds
// first), installed into a fresh project outside the repository, then required from CommonJS,
// imported from ESM (root and 'nabla/browser'), and type-checked without @types/node.
// Hermetic: the install runs --offline with an empty npm cache; nabla's dependencies come from
// this repository's node_modules as file: links, so nothing is fetched.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const skip = npmVersion.status === 0 ? false : 'needs npm on the PATH (it packs and installs the tarball)';

/** Runs a command; fails the test with its output when it exits non-zero. */
function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Files under `dir`, relative, '/'-separated. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'));
}

// A script prints MARK right after loading nabla: anything before it was printed by the import.
const MARK = '--- loaded ---';
// y = 2x through the origin: the fit's prediction at x = 4 must be 8.
const TRAIN = `
  const model = new n.Sequential([new n.Dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })], { seed: 1 });
  model.compile({ optimizer: new n.SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const fitted = model.fit(n.tensor([[1], [2], [3]]), n.tensor([[2], [4], [6]]), { epochs: 200, batchSize: 3, verbose: 0 })
    .then(() => console.log('prediction', model.predict(n.tensor([[4]])).data[0].toFixed(2)));`;

const CONSUMER_TS = `
import { Sequential, Dense, SGD, tensor, loadMnist, loadModel, readDataFile, type ModelSource } from 'nabla';
import { Sequential as BrowserSequential, encodeSafetensors } from 'nabla/browser';
const model = new Sequential([new Dense({ units: 1, inputShape: [1] })], { seed: 1 });
model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
await model.fit(tensor([[1]]), tensor([[2]]), { epochs: 1 });
const bytes: Uint8Array = readDataFile('x.csv');
const source: ModelSource = { modelJson: '{}', weights: bytes };
export const used = [loadMnist, loadModel, source, BrowserSequential, encodeSafetensors];
`;

describe('the packed package in a fresh consumer project', { skip }, () => {
  let work = '';
  let consumer = '';
  let installed = '';

  before(() => {
    assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is built (npm run build)');
    work = mkdtempSync(join(tmpdir(), 'nabla-pack-'));
    const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root);
    const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    consumer = join(work, 'consumer');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const deps = Object.fromEntries(Object.keys(pkg.dependencies).map((d) => [d, `file:${join(root, 'node_modules', d)}`]));
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: deps }));
    run('npm', ['install', tarball, '--offline', '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
    installed = join(consumer, 'node_modules', 'nabla');
  });
  after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

  it('holds the built code, the data, README, LICENSE and NOTICE, and no sources or tests', () => {
    const files = listFiles(installed);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'NOTICE', 'dist/index.js', 'dist/index.d.ts', 'dist/browser.js', 'dist/browser.d.ts',
                     'dist/cli/main.js', 'data/README.md', 'data/mnist/README.md', 'data/mnist/train-images-idx3-ubyte.gz',
                     'vendor/onnx/onnx.proto'])
      assert.ok(files.includes(f), `${f} is in the package`);
    assert.deepEqual(files.filter((f) => /^(src|test|bench|scripts|playground|assembly|node_modules)\//.test(f)), []);
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 the nabla authors\n/);
    assert.match(readFileSync(join(installed, 'NOTICE'), 'utf8'), /data\/mnist\/[\s\S]*CC BY-SA 3\.0/);
    assert.match(readFileSync(join(installed, 'NOTICE'), 'utf8'), /vendor\/onnx\/onnx\.proto[\s\S]*Apache License 2\.0/);
  });

  it('ships source maps that carry their sources', () => {
    const maps = listFiles(join(installed, 'dist')).filter((f) => f.endsWith('.map'));
    assert.ok(maps.length > 0);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(installed, 'dist', m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(map.sourcesContent?.length, map.sources.length, `${m} carries its sources`);
      assert.ok(map.sourcesContent!.every((s) => typeof s === 'string' && s.length > 0), `${m} carries its sources`);
    }
  });

  it("require('nabla') from CommonJS loads silently and trains", () => {
    writeFileSync(join(consumer, 'use.cjs'), `const n = require('nabla');\nconsole.log(${JSON.stringify(MARK)});\n${TRAIN}`);
    const r = run(process.execPath, ['use.cjs'], consumer);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${MARK}\nprediction 8.00\n`);
  });

  it("import 'nabla' and 'nabla/browser' from ESM load silently and train", () => {
    writeFileSync(join(consumer, 'use.mjs'), `import * as n from 'nabla';\nimport * as b from 'nabla/browser';\nconsole.log(${JSON.stringify(MARK)});\n`
      + `console.log(import.meta.resolve('nabla/browser').endsWith('/node_modules/nabla/dist/browser.js'), typeof b.Sequential);\n${TRAIN}\nawait fitted;`);
    const r = run(process.execPath, ['use.mjs'], consumer);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${MARK}\ntrue function\nprediction 8.00\n`);
  });

  it('type declarations compile without @types/node or the DOM lib (skipLibCheck off)', () => {
    writeFileSync(join(consumer, 'use.mts'), CONSUMER_TS);
    writeFileSync(join(consumer, 'use.cts'), "import nabla = require('nabla');\nexport const s: typeof nabla.Sequential = nabla.Sequential;\n");
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [], strict: true, skipLibCheck: false, noEmit: true },
      files: ['use.mts', 'use.cts'],
    }));
    assert.ok(!existsSync(join(consumer, 'node_modules', '@types', 'node')), 'the consumer has no @types/node');
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], consumer);
  });
});
