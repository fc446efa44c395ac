// The relaxed-SIMD build (fused multiply-add in the gemm micro-kernels) is the default wherever
// relaxed SIMD validates; Node 20 has it behind --experimental-wasm-relaxed-simd, which the
// backend now sets itself (src/kernels/relaxed-simd.ts). Child processes started WITHOUT flags
// must report fma and round gemm as ONE fused operation (a product whose unfused rounding loses a
// bit shows it); NABLA_FMA=0 must keep the plain build, and since the ordinary run of the wasm
// kernel and backend suites now runs fused, they run again here on the plain build (every kernel
// against the js reference, 1 vs 2 threads bit-identical, training on both backends).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getBackendInfo } from '../../src/index.js';
import { enableRelaxedSimd, fmaDisabled } from '../../src/kernels/relaxed-simd.js';
import { fmaWanted, relaxedSimdSupported } from '../../src/kernels/wasm/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * This machine runs relaxed SIMD at all (with the flag set here if this Node needs it): where it
 * does not even then, a plain `node` cannot be expected to fuse.
 */
const relaxedHere = enableRelaxedSimd({}) && relaxedSimdSupported();
const NO_RELAXED = relaxedHere ? false : `this runtime does not validate relaxed SIMD even with --experimental-wasm-relaxed-simd (${process.version})`;

/** A child `node --import tsx ...args` WITHOUT V8 flags (NABLA_FMA cleared unless `env` sets it). */
function node(args: string[], env: Record<string, string> = {}) {
  // Without NODE_TEST_CONTEXT (set by this test runner), a child `node --test` reports as TAP on stdout.
  const { NODE_TEST_CONTEXT: _, NODE_OPTIONS: __, ...inherited } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args],
    { cwd: root, env: { ...inherited, NABLA_FMA: '', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

// In the child: one gemm whose exact result needs the fused rounding. C = A B with a row of A
// (1, 1 + 2^-12) and a column of B (-1, 1 + 2^-12): exactly -1 + (1 + 2^-11 + 2^-24) = 2^-11 + 2^-24.
// Unfused, the product rounds to 1 + 2^-11 (the 2^-24 is half an ulp there: ties to even), giving 2^-11.
const PROBE = `
import { getBackendInfo, getKernels, setNumThreads } from './src/index.ts';
const k = getKernels();
const m = 8, n = 16, kk = 2, e = 2 ** -12;
const a = k.alloc('float32', m * kk), b = k.alloc('float32', kk * n), c = k.alloc('float32', m * n);
for (let i = 0; i < m; i++) { a[i * kk] = 1; a[i * kk + 1] = 1 + e; }
for (let j = 0; j < n; j++) { b[j] = -1; b[n + j] = 1 + e; }
k.gemm(false, false, m, n, kk, 1, a, b, 0, c);
console.log(JSON.stringify({ info: getBackendInfo(), values: [...new Set(Array.from(c))] }));
`;

describe('relaxed SIMD: fused multiply-add behind feature detection', () => {
  it('this process uses FMA exactly when the runtime validates the relaxed build (and NABLA_FMA allows it)', () => {
    const info = getBackendInfo();
    if (info.name !== 'wasm') return; // NABLA_BACKEND=js
    assert.equal(info.fma, fmaWanted());
    assert.equal(fmaWanted({ NABLA_FMA: '0' }), false);
    assert.equal(fmaWanted({ NABLA_FMA: 'off' }), false);
    assert.equal(fmaWanted({}), relaxedSimdSupported());
    assert.equal(enableRelaxedSimd({ NABLA_FMA: 'false' }), false, 'NABLA_FMA=false: nothing enabled');
    assert.deepEqual(['0', 'OFF', 'false', '1', '', 'on'].map((v) => fmaDisabled({ NABLA_FMA: v })), [true, true, true, false, false, false]);
  });

  it('a plain `node` (no flags) fuses: gemm rounds each multiply-add once; NABLA_FMA=0 keeps two roundings', { skip: NO_RELAXED }, () => {
    const exactSum = 2 ** -11 + 2 ** -24, unfused = 2 ** -11;
    const fused = node(['--input-type=module', '-e', PROBE], { NABLA_BACKEND: 'wasm' });
    assert.equal(fused.status, 0, fused.err);
    const f = JSON.parse(fused.out.trim().split('\n').pop()!) as { info: { fma: boolean }; values: number[] };
    assert.equal(f.info.fma, true, `the relaxed build is the default without flags (${process.version})`);
    assert.deepEqual(f.values, [exactSum], 'fused: the exact sum, in every element of C');

    const plain = node(['--input-type=module', '-e', PROBE], { NABLA_BACKEND: 'wasm', NABLA_FMA: '0' });
    assert.equal(plain.status, 0, plain.err);
    const p = JSON.parse(plain.out.trim().split('\n').pop()!) as { info: { fma: boolean }; values: number[] };
    assert.equal(p.info.fma, false);
    assert.deepEqual(p.values, [unfused], 'unfused: the product rounded before the add');
  });

  it('the whole wasm kernel and backend suites pass on the plain build too (NABLA_FMA=0)', () => {
    const r = node(['--test', '--test-reporter=tap', 'test/kernels/wasm.test.ts', 'test/kernels/wasm-backend.test.ts'], { NABLA_FMA: '0', NABLA_EXPECT_FMA: '0' });
    const summary = (name: string) => Number(/^# (\w+) (\d+)$/m.exec(r.out.split('\n').filter((l) => l.startsWith(`# ${name} `)).pop() ?? '')?.[2] ?? NaN);
    assert.equal(r.status, 0, `the suite failed on the plain build:\n${r.out.split('\n').filter((l) => /not ok|error|expected|actual/.test(l)).slice(0, 40).join('\n')}\n${r.err}`);
    assert.ok(summary('pass') >= 22, `the suites ran (${summary('pass')} passed)`);
    assert.equal(summary('fail'), 0);
  });
});
