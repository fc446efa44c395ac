/**
 * The "Moving to another engine" guide's commands, run as written in a temporary folder: each
 * block marked `<!-- interop-snippet: NAME -->` is read out of docs/guides/moving-to-another-engine.md
 * (so the guide and this test cannot drift). `nabla` runs dist/cli/main.js (npm test builds first); the JavaScript blocks
 * run with `'nabla'` as the package root and `onnxruntime-node`; the Python blocks run with
 * /usr/bin/python3 where Debian's python3-onnx / python3-torch are installed (skipped otherwise).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import * as nabla from '../../src/index.js';
import { pythonSkip } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guidePath = 'docs/guides/moving-to-another-engine.md';
const readme = readFileSync(join(root, guidePath), 'utf8');
const cli = join(root, 'dist', 'cli', 'main.js');
const cwd = mkdtempSync(join(tmpdir(), 'nabla-readme-interop-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

/** The code of the block marked NAME. */
function snippet(name: string): string {
  const m = new RegExp(`<!-- interop-snippet: ${name} -->\\s*(?:<!-- doc-test:[^>]*-->\\s*)?\`\`\`(?:sh|js)\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`${guidePath} has no block marked interop-snippet: ${name}`);
  return m[1]!;
}

/** Runs a shell block with `nabla` and `python3` as this checkout's CLI and Debian's Python. */
function sh(name: string): string {
  const script = `nabla() { node ${JSON.stringify(cli)} "$@"; }\npython3() { /usr/bin/python3 "$@"; }\nset -e\n${snippet(name)}`;
  return execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
}

/** Runs a JavaScript block (its imports of 'nabla' and 'onnxruntime-node' bound here) in cwd, returning what it logged. */
async function js(name: string): Promise<string[]> {
  const code = snippet(name)
    .replace(/import\s*\{([^}]*)\}\s*from\s*'nabla';/g, 'const {$1} = nabla;')
    .replace(/import \* as ort from 'onnxruntime-node';/, '');
  const logged: string[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...a: string[]) => (...v: unknown[]) => Promise<void>;
  const before = process.cwd();
  process.chdir(cwd);
  try { await new AsyncFunction('nabla', 'ort', 'console', code)(nabla, ort, { log: (...a: unknown[]) => logged.push(a.map(String).join(' ')) }); }
  finally { process.chdir(before); }
  return logged;
}

describe("guide: Moving to another engine", { skip: existsSync(cli) ? false : 'needs dist/ (npm run build)' }, () => {
  it('trains, exports in three formats and serves the ONNX file with ONNX Runtime', async () => {
    sh('export');
    for (const f of ['iris.onnx', 'iris-torch/model.py', 'iris-torch/model.safetensors', 'iris-tfjs/model.json']) assert.ok(existsSync(join(cwd, f)), f);
    const [line] = await js('onnxruntime');
    const probs = line!.split(' ').slice(1).join(' ').split(',').map(Number);
    assert.match(line!, /^1,3 /);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 2e-3, `softmax outputs sum to 1: ${line}`);
  });

  it('the ONNX checker accepts the file', { skip: pythonSkip('onnx', 'python3-onnx') }, () => {
    assert.equal(sh('onnx-check').trim(), 'ok');
  });

  it('trains on in PyTorch and comes back', { skip: pythonSkip('torch', 'python3-torch') }, async () => {
    assert.match(sh('torch-train'), /^loss \d/);
    const before = (await nabla.loadModel(join(cwd, 'runs/iris/model'))).predict([[0.5, -0.2, 1.1, 0.9]]).toArray();
    const [after] = await js('import-torch');
    assert.notEqual(after, String(before), 'the PyTorch-trained weights change the prediction');
  });
});
