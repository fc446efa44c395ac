// The activation and loss registries: the generated wasm ids are current, every derived list
// follows the registry, and no file in models/ or train/ names a loss.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACTIVATION_NAMES, Activation, Dense, LOSS_NAMES, LSTM, getActivation, type ActivationAlias, type ActivationIdentifier, type ActivationName } from '../../src/index.js';
import { ACTIVATION_DEFS } from '../../src/kernels/activation-registry.js';
import { ACTIVATION_IDS } from '../../src/kernels/wasm/activation-ids.generated.js';
import { FUSED_LOSSES, LOSS_KIND, SPARSE_LOSS } from '../../src/kernels/wasm/loss-ids.js';
import { ACTIVATIONS as PLAYGROUND_ACTIVATIONS } from '../../playground/src/state.js';
// @ts-expect-error: a plain .mjs build script without types
import { idFiles, lossIdFiles } from '../../scripts/activation-ids.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('activation registry', () => {
  it('the committed id files are what the generator writes from the registry', () => {
    const { as, ts } = idFiles([...ACTIVATION_NAMES], ACTIVATION_DEFS) as { as: string; ts: string };
    assert.equal(readFileSync(join(root, 'assembly', 'activation-ids.generated.ts'), 'utf8'), as, 'assembly ids stale: npm run build');
    assert.equal(readFileSync(join(root, 'src', 'kernels', 'wasm', 'activation-ids.generated.ts'), 'utf8'), ts, 'src ids stale: npm run build');
    assert.match(as, /^\/\/ GENERATED/);
    assert.match(as, /export const LEAKY_RELU: i32 = 5;/);
    assert.deepEqual(Object.keys(ACTIVATION_IDS), [...ACTIVATION_NAMES]);
    assert.deepEqual(Object.values(ACTIVATION_IDS), ACTIVATION_NAMES.map((_, i) => i));
  });

  it('names: the original seven keep their names; unknown names are refused with the list', () => {
    for (const n of ['linear', 'step', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax']) assert.ok(ACTIVATION_NAMES.includes(n as never), n);
    assert.throws(() => getActivation('mish', 'Dense'), /Dense: unknown activation "mish"; valid names: linear, step/);
    assert.throws(() => getActivation(3), /unknown activation 3/);
    assert.throws(() => getActivation('constructor'), /unknown activation "constructor"/);
  });

  it('aliases are in the option type (ActivationIdentifier) and resolve to their canonical entry', () => {
    const silu: ActivationIdentifier = 'silu', geluNew: ActivationAlias = 'gelu_new';
    assert.equal(new Dense({ units: 2, activation: silu, inputShape: [3] }).activation, 'swish');
    assert.equal(new Activation({ activation: geluNew }).activation, 'geluTanh');
    assert.equal(new LSTM({ units: 2, recurrentActivation: 'silu' }).recurrentActivation, 'swish');
    // @ts-expect-error: not a name or an alias of the registry
    assert.throws(() => new Dense({ units: 2, activation: 'mish' }), /unknown activation "mish"/);
    // @ts-expect-error: an alias is not a canonical name (ActivationName keys the registry)
    const canonical: ActivationName = 'silu';
    assert.equal(canonical, 'silu');
  });

  it('the playground offers exactly the elementwise entries', () => {
    assert.deepEqual([...PLAYGROUND_ACTIVATIONS], ACTIVATION_NAMES.filter((n) => n !== 'softmax'));
    for (const n of ACTIVATION_NAMES) assert.ok(ACTIVATION_DEFS[n].label.length > 0 && ACTIVATION_DEFS[n].citation.length > 0, n);
  });
});

describe('loss registry', () => {
  it('the committed loss-id files are what the generator writes; the wasm sets follow the entries', () => {
    const { as, ts } = lossIdFiles([...LOSS_NAMES]) as { as: string; ts: string };
    assert.equal(readFileSync(join(root, 'assembly', 'loss-ids.generated.ts'), 'utf8'), as, 'assembly loss ids stale: npm run build');
    assert.equal(readFileSync(join(root, 'src', 'kernels', 'wasm', 'loss-ids.generated.ts'), 'utf8'), ts, 'src loss ids stale: npm run build');
    // The numbers assembly/losses.ts has always used (ids are positions: appending a loss keeps them).
    assert.match(as, /export const SPARSE_CATEGORICAL_CROSSENTROPY: i32 = 3;/);
    assert.deepEqual(LOSS_KIND, { meanSquaredError: 0, quadratic: 1, categoricalCrossentropy: 2, sparseCategoricalCrossentropy: 3, binaryCrossentropy: 4, hinge: 5, squaredHinge: 6 });
    assert.equal(SPARSE_LOSS, 3);
    assert.deepEqual([...FUSED_LOSSES].sort(), ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']);
  });

  it('src/models and src/train name no loss (the registry decides fusion, scale, labels)', () => {
    for (const dir of ['models', 'train']) {
      for (const f of readdirSync(join(root, 'src', dir), { recursive: true }) as string[]) {
        if (!f.endsWith('.ts')) continue;
        const text = readFileSync(join(root, 'src', dir, f), 'utf8');
        for (const name of LOSS_NAMES) assert.ok(!text.includes(`'${name}'`), `src/${dir}/${f} names '${name}'`);
      }
    }
  });
});
