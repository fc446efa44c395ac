#!/usr/bin/env node
// Makes the playground's "draw a digit" model with nabla's own command line and ships it with the
// page: trains a small MLP on the embedded MNIST, copies model.json and weights.safetensors into
// playground/model/ and writes playground/model/README.md saying how it was made.
//
//   npm run playground:model          (builds dist/ first when it is missing; about 20 s)
//
// The command it runs (a 784-64-10 ReLU network, Adam with cosine decay, 3 epochs, seed 1):
//   node dist/cli/main.js train --epochs 3 --hidden 64 --seed 1 --out <tmp> --overwrite
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './build-playground.js';

export const TRAIN_ARGS = ['train', '--epochs', '3', '--hidden', '64', '--seed', '1'];

const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.log('dist/ is missing: npm run build');
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const out = await mkdtemp(join(tmpdir(), 'nabla-playground-model-'));
try {
  const args = [...TRAIN_ARGS, '--out', out, '--overwrite'];
  console.log(`node dist/cli/main.js ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0) process.exit(r.status ?? 1);
  const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { results?: { accuracy?: number; loss?: number } };
  const dest = join(root, 'playground', 'model');
  await mkdir(dest, { recursive: true });
  const rows: string[] = [];
  for (const f of ['model.json', 'weights.safetensors']) {
    await copyFile(join(out, 'model', f), join(dest, f));
    const bytes = await readFile(join(dest, f));
    rows.push(`| ${f} | ${bytes.length} | ${createHash('sha256').update(bytes).digest('hex')} |`);
  }
  const acc = run.results?.accuracy, loss = run.results?.loss;
  const readme = `# The playground's digit model

A small MNIST classifier for the playground's "draw a digit" panel, made by nabla's own command
line and loaded in the page with \`loadModel(new URL('model/', location.href).href)\`.

How it was made (\`npm run playground:model\`, scripts/make-playground-model.ts, about 20 s on 2 cores):

    node dist/cli/main.js ${[...TRAIN_ARGS, '--out', 'DIR'].join(' ')}

that is, the default \`nabla train\` MLP on the embedded MNIST (60,000 training images): Flatten,
Dense(64, relu), Dense(10, softmax); sparse categorical cross-entropy; Adam, learning rate 0.002
with cosine decay; batch size 64; 3 epochs; seed 1. The script copies DIR/model/model.json and
DIR/model/weights.safetensors here.

Result on the 10,000 MNIST test images: accuracy ${acc !== undefined ? acc.toFixed(4) : '?'}, loss ${loss !== undefined ? loss.toFixed(4) : '?'}.

| file | bytes | sha256 |
|---|---:|---|
${rows.join('\n')}

The page preprocesses a drawing as \`nabla predict\` preprocesses a PNG (src/data/digit-preprocess.ts):
grayscale, inverted when the background is light, cropped to the ink, scaled so the longer side
is 20 pixels and centred by its centre of mass in 28x28.
`;
  await writeFile(join(dest, 'README.md'), readme);
  console.log(`wrote playground/model/ (model.json, weights.safetensors, README.md); test accuracy ${acc}`);
} finally {
  await rm(out, { recursive: true, force: true });
}
