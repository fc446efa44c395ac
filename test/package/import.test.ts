// The built package: `import { ... } from 'nabla'` resolves to dist/index.js (npm test builds first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

describe("the package root 'nabla'", () => {
  it('resolves to the built dist/ with type declarations and trains a model', async () => {
    const url = import.meta.resolve('nabla');
    assert.match(url, /\/dist\/index\.js$/);
    assert.ok(existsSync(new URL('index.d.ts', url)), 'dist/index.d.ts exists');
    const nabla = await import('nabla');
    const model = new nabla.Sequential([new nabla.Dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })], { seed: 1 });
    model.compile({ optimizer: new nabla.SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const x = nabla.tensor([[1], [2], [3]]), y = nabla.tensor([[2], [4], [6]]);
    await model.fit(x, y, { epochs: 200, batchSize: 3 });
    assert.ok(Math.abs(model.predict(nabla.tensor([[4]])).data[0]! - 8) < 0.05);
  });
});

describe('importing the built package is quiet', () => {
  it('prints nothing, compiles no WebAssembly, starts no worker and lets the process exit', () => {
    const root = new URL('../../', import.meta.url);
    // Counts WebAssembly compiles and worker threads started while dist/index.js loads; the child
    // ends by itself (no process.exit): a live worker or timer would keep it running until the
    // timeout, and would be listed among the active resources (beside the child's stdio pipes).
    const code = `
      let compiles = 0;
      const { Module, compile, instantiate } = WebAssembly;
      WebAssembly.Module = function (...a) { compiles++; return new Module(...a); };
      WebAssembly.compile = (...a) => { compiles++; return compile(...a); };
      WebAssembly.instantiate = (...a) => { compiles++; return instantiate(...a); };
      const n = await import(${JSON.stringify(new URL('dist/index.js', root).href)});
      process.stdout.write(JSON.stringify({ compiles, exports: typeof n.ready, active: process.getActiveResourcesInfo().filter((r) => !['TTYWrap', 'PipeWrap', 'CloseReq'].includes(r)) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NABLA_BACKEND: '' } });
    assert.equal(r.signal, null, 'the child exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(JSON.parse(r.stdout), { compiles: 0, exports: 'function', active: [] });
  });
});
