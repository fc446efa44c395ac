// ready(): importing loads no backend; the first synchronous use in Node loads the same wasm
// backend as `await ready()`; where that cannot happen synchronously (a browser, simulated
// through _backendHooks) a synchronous use throws the ready() message and never falls back to js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { _backendHooks, getBackend, getKernels, NOT_READY_MESSAGE, ready } from '../../src/kernels/index.js';
import { wasmSupported } from '../../src/kernels/wasm/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skip = wasmSupported() ? false : 'needs WebAssembly SIMD and shared memory';

/** Runs an ES module snippet under tsx in a child (a fresh module graph), stdout as text. */
function child(code: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: '' }, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// y = 2x fitted by SGD; prints the prediction's float32 bits and the backend.
const TRAIN = `
  const model = new n.Sequential([new n.Dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })], { seed: 1 });
  model.compile({ optimizer: new n.SGD({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  await model.fit(n.tensor([[1], [2], [3]]), n.tensor([[2], [4], [6]]), { epochs: 30, batchSize: 3 });
  const p = model.predict(n.tensor([[4]])).data;
  console.log(n.getBackend(), new Uint32Array(Float32Array.from(p).buffer)[0]);`;

describe('ready() and the first synchronous use', { skip }, () => {
  it('simulated browser: a synchronous use before ready() throws the ready() message; after it, wasm', async () => {
    const saved = _backendHooks.canLoadSync;
    _backendHooks.canLoadSync = () => false;
    try {
      assert.throws(() => getKernels(), (e) => e instanceof Error && e.message === NOT_READY_MESSAGE);
      assert.throws(() => getBackend(), (e) => e instanceof Error && e.message === NOT_READY_MESSAGE);
      assert.match(NOT_READY_MESSAGE, /await ready\(\)/);
      assert.equal(await ready(), 'wasm');
      assert.equal(getKernels().name, 'wasm');
      assert.equal(await ready(), 'wasm', 'ready() resolves again at once');
    } finally {
      _backendHooks.canLoadSync = saved;
    }
  });

  it('Node: the first synchronous use loads wasm, giving the same bits as await ready()', () => {
    const sync = child(`const n = await import('./src/index.ts');${TRAIN}`);
    const awaited = child(`const n = await import('./src/index.ts'); console.error(await n.ready());${TRAIN}`);
    assert.equal(sync.status, 0, sync.stderr);
    assert.equal(awaited.status, 0, awaited.stderr);
    assert.match(sync.stdout, /^wasm \d+\n$/);
    assert.equal(awaited.stderr, 'wasm\n');
    assert.equal(sync.stdout, awaited.stdout);
  });
});
