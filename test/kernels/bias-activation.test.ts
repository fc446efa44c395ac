// Backend.biasActivation (the output step of Dense and Conv2D in one pass: z += bias, out = f(z))
// gives exactly the bits of biasAdd followed by activationForward, on each backend, for every
// activation of the registry: with and without a bias, with `out` aliasing z, with shapes that cut
// the wasm kernel's row blocks (16 KiB) and SIMD vectors anywhere, from inside and outside wasm
// memory, and with NaN, infinities and -0 in z.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/index.js';
import { ACTIVATION_DEFS, type ActivationName } from '../../src/kernels/activation-registry.js';
import { jsBackend } from '../../src/kernels/js/index.js';
import type { Backend } from '../../src/kernels/backend.js';
import { place, randF32, w } from './helpers.js';

const NAMES = Object.keys(ACTIVATION_DEFS) as ActivationName[];
const SHAPES: [number, number][] = [[1, 1], [3, 5], [7, 13], [33, 128], [300, 10], [41, 1000], [2, 4099]];
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
/** Bits with every NaN as one value: the js reference's NaN sign depends on V8's tier (interpreted or optimised code). */
const canonical = (b: number[]) => b.map((u) => ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0 ? 0x7fc00000 : u));

/** z with a few special values: NaN, +-infinity, -0, large magnitudes. */
function input(rng: Rng, n: number): Float32Array {
  const z = randF32(rng, n, 3);
  const specials = [NaN, Infinity, -Infinity, -0, 0, 90, -90];
  for (let i = 0; i < n; i += 37) z[i] = specials[(i / 37) % specials.length]!;
  return z;
}

/** [z after, out] of the fused kernel and of the two kernels, on backend k. */
function both(k: Backend, name: ActivationName, z0: Float32Array, bias: Float32Array | null, rows: number, cols: number, alias: boolean, inside: boolean) {
  const alpha = name === 'leakyRelu' ? 0.1 : 0.3; // 0.1 is not an f32: a rounded alpha would show
  const zf = place(z0, inside), outF = alias ? zf : place(new Float32Array(z0.length), inside);
  k.biasActivation(zf, bias, name, outF, rows, cols, alpha);
  const zs = place(z0, inside), outS = alias ? zs : place(new Float32Array(z0.length), inside);
  if (bias) k.biasAdd(zs, bias, rows, cols);
  k.activationForward(name, zs, outS, rows, cols, alpha);
  return { fused: [bits(zf), bits(outF)], separate: [bits(zs), bits(outS)] };
}

describe('biasActivation', () => {
  for (const [label, k] of [['wasm', w], ['js', jsBackend]] as const) {
    it(`${label}: the bits of biasAdd then activationForward, every activation`, () => {
      const rng = new Rng(5);
      for (const name of NAMES) for (const [rows, cols] of SHAPES) {
        const z0 = input(rng, rows * cols), bias = randF32(rng, cols);
        for (const [b, alias, inside] of [[bias, false, true], [null, false, true], [bias, true, false], [bias, false, false]] as const) {
          const { fused, separate } = both(k, name, z0, b, rows, cols, alias, inside);
          const what = `${name} ${rows}x${cols} bias=${b !== null} alias=${alias} inside=${inside}`;
          const c = label === 'js' ? canonical : (b: number[]) => b;
          assert.deepEqual(c(fused[0]!), c(separate[0]!), `${what}: z`);
          assert.deepEqual(c(fused[1]!), c(separate[1]!), `${what}: out`);
        }
      }
    });
  }

  it('wasm: the bias really is added and the activation applied (against float64 arithmetic)', () => {
    const z = new Float32Array([-1, 0.5, 2, -3]), bias = new Float32Array([0.75, -1]);
    const out = new Float32Array(4);
    w.biasActivation(z, bias, 'relu', out, 2, 2, 0);
    assert.deepEqual(Array.from(z), [-0.25, -0.5, 2.75, -4]);
    assert.deepEqual(Array.from(out), [0, 0, 2.75, 0]);
  });

  it('wasm: lengths are checked before WebAssembly runs', () => {
    assert.throws(() => w.biasActivation(new Float32Array(5), null, 'relu', new Float32Array(6), 2, 3, 0), /biasActivation: z has 5 elements but 6/);
    assert.throws(() => w.biasActivation(new Float32Array(6), new Float32Array(2), 'relu', new Float32Array(6), 2, 3, 0), /biasActivation: bias has 2 elements but 3/);
  });
});
