/**
 * Shared by the interop tests: seeded random inputs, randomised weights (so BatchNormalization's
 * moving statistics and biases are not their trivial initial values), the models every exporter
 * is checked on, and one Python process per test file for the tools of Debian's python3-onnx /
 * python3-torch (skipped with a message where `/usr/bin/python3` lacks the module).
 */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import {
  Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, ELU, Flatten, LeakyReLU, MaxPooling2D, Sequential, tensor,
} from '../../src/index.js';
import type { Layer, Tensor } from '../../src/index.js';
import { ACTIVATION_NAMES } from '../../src/kernels/activation-registry.js';
import { Rng } from '../../src/tensor/rng.js';

/** A [n, ...shape] float32 tensor of uniform numbers in [-2, 2) from a seeded stream. */
export function randomInput(shape: readonly number[], n: number, seed: number): Tensor {
  const rng = new Rng(seed), size = n * shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = 4 * rng.uniform() - 2;
  return tensor(data, [n, ...shape]);
}

/** Replaces every weight by seeded numbers (variances positive), so no weight keeps its initial value. */
export function randomizeWeights(model: Sequential, seed: number): void {
  const rng = new Rng(seed), names = model.weightNames();
  model.setWeights(model.getWeights().map((w, i) => {
    const variance = names[i]!.endsWith('moving_variance');
    const data = new Float32Array(w.size).map(() => (variance ? 0.5 + rng.uniform() : rng.uniform() - 0.5));
    return tensor(data, w.shape);
  }));
}

/** The largest absolute difference of two equal-length arrays. @throws when the lengths differ. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** One small model per case: every layer type, every activation, an MLP and a LeNet CNN. */
export function interopModels(options: { activations?: readonly string[] } = {}): { name: string; model: Sequential }[] {
  const acts = (options.activations ?? ACTIVATION_NAMES) as readonly (typeof ACTIVATION_NAMES)[number][];
  const cases: { name: string; layers: Layer[] }[] = [
    ...acts.map((a) => ({ name: `Dense ${a}`, layers: [new Dense({ units: 5, activation: a, inputShape: [4] })] })),
    { name: 'Dense without bias', layers: [new Dense({ units: 3, useBias: false, inputShape: [4] })] },
    { name: 'Conv2D valid, rectangular kernel', layers: [new Conv2D({ filters: 3, kernelSize: [3, 2], activation: 'relu', inputShape: [6, 5, 2] })] },
    { name: "Conv2D 'same' stride 2 (asymmetric pads)", layers: [new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', inputShape: [6, 6, 3] })] },
    { name: "MaxPooling2D 'same' (asymmetric pads)", layers: [new MaxPooling2D({ poolSize: 2, padding: 'same', inputShape: [5, 5, 2] })] },
    { name: "AveragePooling2D 'same' (padding left out of the mean)", layers: [new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same', inputShape: [6, 6, 2] })] },
    { name: 'BatchNormalization rank 2', layers: [new BatchNormalization({ epsilon: 0.01, inputShape: [5] })] },
    { name: 'BatchNormalization on images, no scale', layers: [new Conv2D({ filters: 3, kernelSize: 1, inputShape: [4, 4, 2] }), new BatchNormalization({ scale: false })] },
    { name: 'softmax over channels, LeakyReLU, Dropout, Flatten', layers: [new Conv2D({ filters: 3, kernelSize: 2, inputShape: [4, 4, 1] }), new Activation({ activation: 'softmax' }),
      new LeakyReLU({ alpha: 0.1 }), new Dropout({ rate: 0.5 }), new Flatten(), new Dense({ units: 2 })] },
    { name: 'ELU with alpha 0.5', layers: [new Dense({ units: 4, inputShape: [3] }), new ELU({ alpha: 0.5 }), new Dense({ units: 2 })] },
    { name: 'MLP', layers: [new Dense({ units: 16, activation: 'relu', inputShape: [20] }), new Dropout({ rate: 0.2 }), new Dense({ units: 8, activation: 'tanh' }), new Dense({ units: 3, activation: 'softmax' })] },
    { name: 'LeNet CNN', layers: [
      new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu' }), new BatchNormalization(), new AveragePooling2D({ poolSize: 2 }), new Flatten(),
      new Dense({ units: 32, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })] },
  ];
  return cases.map((c, i) => {
    const model = new Sequential(c.layers, { seed: 100 + i });
    model.build();
    randomizeWeights(model, 200 + i);
    return { name: c.name, model };
  });
}

/** Why Python tests are skipped (false when `/usr/bin/python3 -c 'import MODULE'` works). */
export function pythonSkip(module: string, debianPackage: string): string | false {
  const r = spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0 ? false : `needs ${debianPackage} (/usr/bin/python3 -c 'import ${module}' failed; apt-get install -y ${debianPackage})`;
}

/**
 * Runs a Python script once and returns its stdout.
 * @throws AssertionError with the script's stderr when it exits non-zero.
 */
export function runPython(script: string, args: readonly string[] = [], cwd?: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `python failed:\n${r.stderr}`);
  return r.stdout;
}
