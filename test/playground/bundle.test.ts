// nabla's browser build (src/browser.ts bundled by esbuild for the platform 'browser'): no
// Node-only module reaches it, the check really refuses one, and the bundle trains a model.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { browserOnlyPlugin, buildNablaBrowser, GUARDED_DYNAMIC_IMPORTS, root } from '../../scripts/build-playground.js';

describe("nabla's browser build", () => {
  let bundle = '';

  it('bundles src/browser.ts for the browser with no Node-only module', async () => {
    const { result, stubbed } = await buildNablaBrowser({ write: false });
    bundle = result.outputFiles!.find((f) => f.path.endsWith('nabla.js'))!.text;
    assert.ok(bundle.length > 50_000, 'the bundle holds nabla');
    assert.doesNotMatch(bundle, /\bfrom\s*["']node:|import\s*\(\s*["']node:/, 'no import of a Node built-in is left in the bundle');
    const inputs = Object.keys(result.metafile.inputs);
    for (const [file, info] of Object.entries(result.metafile.inputs))
      for (const imp of info.imports) assert.ok(!imp.external, `${file} imports ${imp.path}, left outside the bundle`);
    for (const nodeOnly of ['src/data/files.ts', 'src/io/files.ts', 'src/data/mnist.ts', 'src/plots/render.ts'])
      assert.ok(!inputs.includes(nodeOnly), `${nodeOnly} is not in the bundle`);
    // Every stubbed import is one of the guarded ones (and nothing else was let through).
    const allowed = Object.entries(GUARDED_DYNAMIC_IMPORTS).flatMap(([f, list]) => list.map((m) => `${f}: import('${m}')`));
    for (const s of stubbed) assert.ok(allowed.includes(s), `stubbed import ${s} is a guarded one`);
  });

  it('refuses a Node-only import: bundling the Node entry (src/index.ts) fails, naming the module and the file', async () => {
    await assert.rejects(
      build({ entryPoints: [join(root, 'src', 'index.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent', plugins: [browserOnlyPlugin()] }),
      (e: { errors?: { text: string }[] }) => {
        const texts = (e.errors ?? []).map((x) => x.text).join('\n');
        assert.match(texts, /Node-only module 'node:[a-z/]+' is imported by src\/data\/files\.ts/);
        return true;
      });
  });

  it('the bundle runs: it trains XOR (imported as an ES module)', async () => {
    assert.ok(bundle, 'built by the first test');
    const dir = await mkdtemp(join(tmpdir(), 'nabla-browser-'));
    try {
      const file = join(dir, 'nabla.mjs');
      await writeFile(file, bundle);
      const nabla = await import(pathToFileURL(file).href) as typeof import('../../src/browser.js');
      const x = nabla.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y = nabla.tensor([[0], [1], [1], [0]]);
      const model = new nabla.Sequential([
        new nabla.Dense({ units: 8, activation: 'tanh', inputShape: [2] }),
        new nabla.Dense({ units: 1, activation: 'sigmoid' }),
      ], { seed: 3 });
      model.compile({ optimizer: new nabla.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
      await model.fit(x, y, { epochs: 300, batchSize: 4, seed: 1 });
      const p = model.predict(x).data;
      assert.deepEqual(Array.from(p, (v) => (v > 0.5 ? 1 : 0)), [0, 1, 1, 0]);
      // Loading a model from bytes works without files.
      const files = nabla.encodeModel(toSaved(model));
      const again = await nabla.loadModel({ modelJson: files['model.json'], weights: files['weights.safetensors'] });
      assert.deepEqual(Array.from(again.predict(x).data), Array.from(p));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The saved parts of a model, through the public API (as persistence's toSaved makes them). */
function toSaved(model: import('../../src/browser.js').Sequential): import('../../src/browser.js').SavedModel {
  return {
    name: model.name, seed: model.resolvedSeed, inputShape: model.inputShape!,
    layers: model.layers.map((l) => { const { className, ...config } = l.getConfig(); return { className, config }; }),
    compile: null, history: [],
    weights: model.getWeights().map((tensor, i) => ({ name: model.weightNames()[i]!, tensor })),
  };
}
