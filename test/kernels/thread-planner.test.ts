// The thread pool's per-shape choice (src/kernels/wasm/split-planner.ts): it follows measured
// costs, and whichever split it runs (alone, column bands, row bands; shared im2col/col2im),
// training gives the same bits as on one thread.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adam, Conv2D, Dense, Flatten, MaxPooling2D, Rng, SGD, Sequential, Tensor, getBackendInfo, getNumThreads, setBackend, setNumThreads,
} from '../../src/index.js';
import { BURST, EXPLORE_EVERY, FAR_BEHIND, MAX_EXPLORE_EVERY, MIN_SAMPLES, SplitPlanner, type Split } from '../../src/kernels/wasm/split-planner.js';
import { oneThenTwoThreads, randF32, w } from './helpers.js';

describe('split planner: the choice follows measured costs', () => {
  /** Runs `calls` choices, charging each split the cost `cost(split, call)`; returns the splits chosen. */
  function drive(p: SplitPlanner, calls: number, cost: (s: Split, call: number) => number): Split[] {
    const out: Split[] = [];
    for (let i = 0; i < calls; i++) {
      const s = p.choose('k', ['alone', 'cols', 'rows'], 1e7, 2);
      out.push(s);
      p.record('k', s, cost(s, i));
    }
    return out;
  }

  it('tries every split first, then runs the cheapest, revisiting the others less and less often', () => {
    const p = new SplitPlanner();
    const costs: Partial<Record<Split, number>> = { alone: 1, cols: 0.5, rows: 2 };
    const chosen = drive(p, 200, (s) => costs[s]!);
    // each split in turn, MIN_SAMPLES + 1 calls in a row (the first after a change is not counted)
    const tried = 3 * (MIN_SAMPLES + 1);
    assert.deepEqual(chosen.slice(0, tried), (['alone', 'cols', 'rows'] as const).flatMap((s) => Array<Split>(MIN_SAMPLES + 1).fill(s)));
    const later = chosen.slice(tried);
    const others = later.filter((c) => c !== 'cols').length;
    assert.ok(others >= 2 * BURST && others <= BURST * (Math.ceil(later.length / EXPLORE_EVERY) + 1), `the others were revisited ${others} times in ${later.length} calls`);
    const more = drive(p, 4000, (s) => costs[s]!).filter((c) => c !== 'cols').length;
    assert.ok(more <= BURST * 2 * (Math.ceil(4000 / MAX_EXPLORE_EVERY) + 6), `losing splits tried ${more} times in 4000 more calls (backed off)`);
    assert.deepEqual(p.summary(), { shapes: 1, shared: 1 });
  });

  it('retries a split far behind the cheapest only every MAX_EXPLORE_EVERY calls, a close one at doubling intervals', () => {
    const p = new SplitPlanner();
    // alone wins; cols is close (0.9 x 1.15 = 1.035), rows far behind (3x: FAR_BEHIND is 1.5)
    const calls = 2 * MAX_EXPLORE_EVERY + 100;
    const chosen = drive(p, 3 * (MIN_SAMPLES + 1) + calls, (s) => (s === 'alone' ? 1 : s === 'cols' ? 0.9 : 3)).slice(3 * (MIN_SAMPLES + 1));
    const bursts = (split: Split) => chosen.filter((c, i) => c === split && chosen[i - 1] !== split).length;
    assert.ok(FAR_BEHIND < 3 && FAR_BEHIND > 1.035);
    // rows: once EXPLORE_EVERY calls after the choice, then every MAX_EXPLORE_EVERY calls
    assert.ok(bursts('rows') >= 2 && bursts('rows') <= 3, `rows tried in ${bursts('rows')} bursts in ${calls} calls`);
    // cols: after 64, 128, 256, 512, 1024 more calls
    assert.ok(bursts('cols') >= 5, `cols tried in ${bursts('cols')} bursts in ${calls} calls`);
  });

  it('switches when the machine changes (a split that became slow is left), and one outlier does not flip it', () => {
    const p = new SplitPlanner();
    // sharing pays for 100 calls, then costs 4x (another process took the second core)
    const chosen = drive(p, 600, (s, i) => (s === 'alone' ? 1 : i < 100 ? 0.5 : 4));
    assert.equal(chosen[99], 'cols');
    assert.ok(chosen.slice(-100).filter((s) => s === 'alone').length >= 90, 'ends on the calling thread alone');
    const q = new SplitPlanner();
    drive(q, 50, (s) => (s === 'cols' ? 0.5 : 1));
    q.record('k', 'cols', 1000); // one descheduled run
    assert.equal(q.choose('k', ['alone', 'cols', 'rows'], 1e7, 2), 'cols');
  });

  it('a forced split is run wherever it is a candidate', () => {
    const p = new SplitPlanner();
    p.force = 'rows';
    assert.equal(p.choose('k', ['alone', 'cols', 'rows'], 1e7, 2), 'rows');
    assert.equal(p.choose('j', ['alone', 'cols'], 1e7, 2), 'alone');
  });
});

describe('thread pool: every split gives the one-thread bits', () => {
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  /** W1's network (784-128 relu - 10 softmax, SGD, batch 64: its gemms are big enough to share) and a small CNN. */
  async function train(): Promise<number[][]> {
    const r = new Rng(3), out: number[][] = [];
    const x = new Tensor(randF32(r, 256 * 784), [256, 784]), y = new Tensor(Float32Array.from({ length: 256 }, () => r.int(10)), [256]);
    const mlp = new Sequential([new Dense({ units: 128, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })], { seed: 1 });
    mlp.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    await mlp.fit(x, y, { epochs: 2, batchSize: 64, seed: 1 });
    for (const t of mlp.getWeights()) out.push(bits(t.data as Float32Array));
    mlp.dispose();
    const xc = new Tensor(randF32(r, 64 * 784), [64, 28, 28, 1]), yc = new Tensor(Float32Array.from({ length: 64 }, () => r.int(10)), [64]);
    const cnn = new Sequential([new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
      new Flatten(), new Dense({ units: 10, activation: 'softmax' })], { seed: 2 });
    cnn.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy' });
    await cnn.fit(xc, yc, { epochs: 2, batchSize: 32, seed: 1 });
    for (const t of cnn.getWeights()) out.push(bits(t.data as Float32Array));
    cnn.dispose();
    return out;
  }

  it('a weight-gradient gemm (A^T B) split over its KC-blocks of k gives the one-thread bits (beta, alpha, ragged last block)', async () => {
    const cases = [[25, 8, 36864 + 17, 1, 0], [150, 16, 6400, 0.5, 0.25], [40, 40, 513, 1, 1]] as const;
    const products = () => cases.map(([m, n, k, alpha, beta]) => {
      const rr = new Rng(m + n + k);
      const a = w.alloc('float32', m * k) as Float32Array, b = w.alloc('float32', k * n) as Float32Array, c = w.alloc('float32', m * n) as Float32Array;
      a.set(randF32(rr, m * k)); b.set(randF32(rr, k * n)); c.set(randF32(rr, m * n));
      w.gemm(true, false, m, n, k, alpha, a, b, beta, c);
      const out = bits(c);
      w.free(a); w.free(b); w.free(c);
      return out;
    });
    const { one, two } = await oneThenTwoThreads({ force: 'k' }, () => {
      const a = w.alloc('float32', 64 * 784), b = w.alloc('float32', 784 * 128), c = w.alloc('float32', 64 * 128);
      w.gemm(false, false, 64, 128, 784, 1, a.fill(0.5), b.fill(0.5), 0, c); // the pool calibrates on its first shared gemm
      w.free(a); w.free(b); w.free(c);
      const jobs = w.pool?.jobs ?? 0, out = products();
      return { out, shared: (w.pool?.jobs ?? 0) - jobs };
    });
    assert.equal(two.shared, cases.length, 'each product was shared as a k-split');
    two.out.forEach((c, i) => assert.deepEqual(c, one.out[i], `product ${i}: the k-split differs from one thread`));
  });

  it('a convolution\'s kernel gradient split over its KC-blocks of output pixels gives the one-thread bits (padded, valid, strided; ragged blocks)', async () => {
    // [batch, height, width, channels, kernel, stride, pad, filters]: LeNet's two convolutions, a
    // strided one whose blocks straddle images, one image smaller than a block, a ragged last block
    const cases = [[64, 28, 28, 1, 5, 1, 2, 6], [64, 14, 14, 6, 5, 1, 0, 16], [7, 13, 11, 3, 3, 2, 1, 9], [40, 6, 5, 2, 3, 1, 1, 4], [3, 30, 29, 1, 4, 1, 0, 8]] as const;
    const { one, two, jobs } = await oneThenTwoThreads({ force: 'k', windowParallelSize: 0 }, () => cases.map(([batch, height, width, channels, k, stride, pad, F]) => {
      const outH = Math.floor((height + 2 * pad - k) / stride) + 1, outW = Math.floor((width + 2 * pad - k) / stride) + 1;
      const g = { batch, height, width, channels, kernelH: k, kernelW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, outH, outW };
      const rr = new Rng(batch + height + F);
      const x = w.alloc('float32', batch * height * width * channels) as Float32Array, delta = w.alloc('float32', batch * outH * outW * F) as Float32Array;
      const dw = w.alloc('float32', k * k * channels * F) as Float32Array;
      x.set(randF32(rr, x.length)); delta.set(randF32(rr, delta.length)); dw.fill(9);
      w.convKernelGrad(x, g, delta, F, dw);
      const out = bits(dw);
      w.free(x); w.free(delta); w.free(dw);
      return out;
    }));
    assert.equal(jobs, cases.length, 'each gradient was shared as a split of its blocks');
    two.forEach((d, i) => assert.deepEqual(d, one[i], `case ${i}: the split differs from one thread`));
  });

  it('1 thread, and 2 threads alone / by columns / by rows / by k-blocks / as the planner chooses, train W1 and a CNN to the same bits', async () => {
    const before = getNumThreads();
    setNumThreads(1);
    await setBackend('wasm');
    const one = await train();
    setNumThreads(2);
    await setBackend('wasm'); // starts and waits for the worker
    const pool = w.pool!;
    const windows = pool.windowParallelSize;
    pool.windowParallelSize = 1 << 14; // share the CNN's im2col / col2im too
    try {
      for (const force of ['alone', 'cols', 'rows', 'k', null] as const) {
        pool.planner.force = force;
        const jobs = pool.jobs;
        const two = await train();
        if (force === 'cols' || force === 'rows' || force === 'k') assert.ok(pool.jobs > jobs, `${force}: jobs were shared`);
        assert.equal(two.length, one.length);
        two.forEach((t, i) => assert.deepEqual(t, one[i], `${force ?? 'planner'}: weights[${i}] differ from one thread's`));
      }
    } finally {
      pool.planner.force = null;
      pool.windowParallelSize = windows;
    }
    const info = getBackendInfo();
    assert.ok(info.threadCalibration !== null && info.threadCalibration.threads === 2 && info.threadCalibration.gflopsOneThread > 0
      && info.threadCalibration.shareOverheadUs >= 0, `calibration recorded: ${JSON.stringify(info.threadCalibration)}`);
    assert.ok(info.threadPlans.shapes >= 2, `shapes planned: ${JSON.stringify(info.threadPlans)}`);
    setNumThreads(before);
  });
});
