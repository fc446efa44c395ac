/**
 * exportOnnx against ONNX Runtime (onnxruntime-node, CPU) and the ONNX checker (Debian's
 * python3-onnx 1.12, one Python process for every file; skipped with a message where absent):
 * for every layer type, every activation, an MLP and a LeNet CNN, the runtime's outputs on seeded
 * random inputs equal nabla's predict to 1e-5, and the checker (full_check: shape inference too)
 * accepts the file at opsets 13 and 17.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exportOnnx } from '../../src/index.js';
import { onnxModelType } from '../../src/interop/onnx-export.js';
import { Dense, Sequential } from '../../src/index.js';
import type { Layer } from '../../src/index.js';
import { checkOnnxFiles, runOnnx } from './engines.js';
import { interopModels, maxDiff, pythonSkip, randomInput } from './helpers.js';

const models = interopModels();
const dir = mkdtempSync(join(tmpdir(), 'nabla-onnx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('exportOnnx: ONNX Runtime gives nabla\'s predictions', () => {
  for (const [i, { name, model }] of models.entries()) {
    it(name, async () => {
      const x = randomInput(model.inputShape!, 3, 300 + i);
      const want = model.predict(x);
      const got = (await runOnnx(exportOnnx(model), x)).data;
      assert.ok(maxDiff(got, want.data) <= 1e-5, `max difference ${maxDiff(got, want.data)}`);
    });
  }

  it('keeps the batch size symbolic (the same file runs batches of 1 and 7)', async () => {
    const { model } = models.find((m) => m.name === 'LeNet CNN')!;
    const bytes = exportOnnx(model, { opset: 17 });
    for (const n of [1, 7]) {
      const x = randomInput(model.inputShape!, n, 40 + n);
      assert.ok(maxDiff((await runOnnx(bytes, x)).data, model.predict(x).data) <= 1e-5);
    }
  });

  it('writes no Transpose followed by its inverse, and none at all in an MLP', () => {
    const decode = (m: Sequential) => onnxModelType().toObject(onnxModelType().decode(exportOnnx(m))) as { graph: { node: { op_type: string; input: string[]; output: string[] }[] } };
    const lenet = decode(models.find((m) => m.name === 'LeNet CNN')!.model).graph.node;
    const transposes = lenet.filter((n) => n.op_type === 'Transpose');
    assert.equal(transposes.length, 2, 'one NHWC -> NCHW at the input, one NCHW -> NHWC before Flatten');
    for (const t of transposes) assert.ok(!lenet.some((n) => n.op_type === 'Transpose' && n.input[0] === t.output[0]), 'adjacent transposes');
    assert.equal(decode(models.find((m) => m.name === 'MLP')!.model).graph.node.filter((n) => n.op_type === 'Transpose').length, 0);
  });

  it('refuses an opset outside 13..17 and a layer class it does not know, naming it', () => {
    const { model } = models[0]!;
    assert.throws(() => exportOnnx(model, { opset: 12 }), /opset must be an integer from 13 to 17/);
    assert.throws(() => exportOnnx(model, { opset: 18 }), /opset/);
    class Custom extends Dense { override get className() { return 'MyLayer'; } }
    const custom = new Sequential([new Custom({ units: 2, inputShape: [3] }) as Layer]);
    assert.throws(() => exportOnnx(custom), /unsupported layer MyLayer/);
  });
});

it('the generated schema module is current with vendor/onnx/onnx.proto (scripts/onnx-schema.mjs --check)', () => {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/onnx-schema.mjs', import.meta.url)), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

describe('exportOnnx: the ONNX checker (python3-onnx)', { skip: pythonSkip('onnx', 'python3-onnx') }, () => {
  it('accepts every model at opsets 13 and 17 (full_check, with shape inference)', () => {
    const { files, out } = checkOnnxFiles(models.map(({ model }) => model), dir, 'm');
    assert.equal(out.trim().split('\n').length, files.length);
  });
});
