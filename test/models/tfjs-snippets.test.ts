/**
 * The "Coming from TensorFlow.js" guide's snippets, run as written: each nabla code block marked
 * `<!-- tfjs-snippet: NAME -->` is read out of docs/guides/coming-from-tensorflowjs.md (so the guide
 * and this test cannot drift), its `import { ... } from 'nabla'` becomes a destructuring of the package root, and it
 * runs as an async function with a console that records its lines. The asserts check what each
 * snippet prints against what the TF.js version gives.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nabla from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guidePath = 'docs/guides/coming-from-tensorflowjs.md';
const readme = readFileSync(join(root, guidePath), 'utf8');
const dataDir = join(root, 'data');
const needsData = { skip: existsSync(join(dataDir, 'mnist')) ? false : 'needs the embedded data/ folder' } as const;

/** The code of the block marked NAME. @throws when the marker or its block is missing. */
function snippet(name: string): string {
  const m = new RegExp(`<!-- tfjs-snippet: ${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`${guidePath} has no block marked tfjs-snippet: ${name}`);
  return m[1]!;
}

/** Runs a snippet in `cwd` (a fresh temp dir), returning the lines it logged. */
async function run(name: string): Promise<string[]> {
  const code = snippet(name).replace(/import\s*\{([^}]*)\}\s*from\s*'nabla';/g, (_m, names: string) => `const {${names.replace(/\s+as\s+/g, ': ')}} = nabla;`);
  assert.doesNotMatch(code, /\bimport\b/, `${name}: only imports from 'nabla' are supported`);
  const lines: string[] = [];
  const fakeConsole = { log: (...a: unknown[]) => lines.push(a.map(String).join(' ')), warn: (...a: unknown[]) => lines.push(`WARN ${a.map(String).join(' ')}`) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'nabla-tfjs-snippet-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await new AsyncFunction('nabla', 'console', code)(nabla, fakeConsole);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** The numbers in a logged line. */
const numbers = (line: string): number[] => [...line.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)].map((m) => Number(m[0]));

describe('guide: Coming from TensorFlow.js', () => {
  it('1. linear regression y = 2x - 1 (sgd, meanSquaredError) predicts about 19 for x = 10', async () => {
    const lines = await run('linear');
    const prediction = numbers(lines.at(-1)!)[0]!;
    assert.ok(Math.abs(prediction - 19) < 0.6, `predicted ${prediction} for x = 10 (y = 2x - 1 gives 19)`);
  });

  it('2. iris with validationData and a callback object logs val_acc every epoch', needsData, async () => {
    const lines = await run('iris');
    const epochs = lines.filter((l) => l.startsWith('epoch '));
    assert.equal(epochs.length, 40, lines.join('\n'));
    const lastValAcc = numbers(epochs.at(-1)!).at(-1)!;
    assert.ok(lastValAcc >= 0.85 && lastValAcc <= 1, `final val_acc ${lastValAcc}`);
  });

  it('3. the tfjs-examples mnist CNN trains on 600 digits and beats chance by far on 500 test digits', needsData, async () => {
    const lines = await run('mnist');
    assert.ok(lines.some((l) => /^Total params: 33,194$/.test(l)), `summary printed: ${lines.join('\n')}`);
    const acc = numbers(lines.find((l) => l.startsWith('test accuracy'))!)[0]!;
    assert.ok(acc > 0.5 && acc <= 1, `test accuracy ${acc} (chance is 0.1)`);
  });

  it('4. a Callback subclass stops training through this.model; earlyStopping watches val_acc', needsData, async () => {
    const lines = await run('callback-class');
    const stopped = lines.find((l) => l.startsWith('stopped after'));
    assert.ok(stopped, lines.join('\n'));
    const [epochsRun] = numbers(stopped);
    assert.ok(epochsRun! >= 1 && epochsRun! < 100, `ran ${epochsRun} of 100 epochs`);
    assert.ok(!lines.some((l) => l.startsWith('WARN')), `no warning: ${lines.join('\n')}`);
  });

  it('5. save / load and copying weights into a fresh model give the same predictions', async () => {
    const lines = await run('save-load');
    const [original, loaded, copied] = lines.map((l) => numbers(l)[0]!);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(Number.isFinite(original!));
    assert.equal(loaded, original);
    assert.equal(copied, original);
  });
});
