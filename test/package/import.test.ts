// The built package: `import { ... } from 'nabla'` resolves to dist/index.js (npm test builds first).
import assert from 'node:assert/strict';
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
