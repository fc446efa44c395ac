/** Finite-difference checks of nabla's gradients (float64, central differences). */
import assert from 'node:assert/strict';
import { grads, Rng, Tensor, tidy } from '../../src/index.js';

export const H = 1e-5;
export const TOL = 1e-6;

/** A float64 tensor of `shape` with values drawn by `draw`. */
export function randomTensor(shape: readonly number[], draw: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = draw();
  return new Tensor(d, shape);
}

/** Value draws for an op's domain. */
export type Domain = 'any' | 'positive' | 'awayFromZero';
export function drawer(rng: Rng, domain: Domain): () => number {
  if (domain === 'positive') return () => 0.5 + 1.5 * rng.uniform();
  if (domain === 'awayFromZero') return () => (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + 1.7 * rng.uniform());
  return () => 4 * rng.uniform() - 2;
}

/** Central-difference gradient of the scalar function L at xs (each a float64 tensor). */
function numericGrads(L: (xs: Tensor[]) => number, xs: Tensor[]): Float64Array[] {
  return xs.map((x, i) => {
    const g = new Float64Array(x.size);
    for (let j = 0; j < x.size; j++) {
      const plus = xs.map((t) => new Tensor(t.data.slice(), t.shape)), minus = xs.map((t) => new Tensor(t.data.slice(), t.shape));
      plus[i]!.data[j]! += H;
      minus[i]!.data[j]! -= H;
      g[j] = (L(plus) - L(minus)) / (2 * H);
    }
    return g;
  });
}

function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let j = 0; j < got.length; j++) {
    const a = got[j]!, b = want[j]!;
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    assert.ok(Math.abs(a - b) <= TOL * scale, `${what}: element ${j}: autodiff ${a} vs finite differences ${b}`);
  }
}

/** The gradients of f's scalar L, or zeros when L does not depend on the inputs (a constant). */
function gradsOrZeros(L: (...xs: Tensor[]) => Tensor, xs: Tensor[]): Float64Array[] {
  try {
    return grads(L)(xs).map((g) => Float64Array.from(g.data));
  } catch (e) {
    if (!/does not depend/.test(String(e))) throw e;
    return xs.map((x) => new Float64Array(x.size));
  }
}

/**
 * Checks the gradient of L(xs) = sum(w * f(xs)) (w random, fixed) against central differences,
 * and, with `second`, the Hessian-vector product grad(sum(v * grad L)) likewise.
 */
export function checkGradients(what: string, f: (xs: Tensor[]) => Tensor, xs: Tensor[], rng: Rng, second = true): void {
  tidy(() => {
    const y0 = f(xs);
    const w = randomTensor(y0.shape, () => rng.uniform() * 2 - 1);
    const L = (...ts: Tensor[]): Tensor => f(ts).mul(w).sum();
    const value = (ts: Tensor[]): number => tidy(() => L(...ts).data[0]!);
    const auto = gradsOrZeros(L, xs);
    const fd = numericGrads(value, xs);
    auto.forEach((g, i) => close(`${what}: d/dx${i}`, g, fd[i]!));
    if (!second) return;
    const vs = xs.map((x) => randomTensor(x.shape, () => rng.uniform() * 2 - 1));
    const Hv = (...ts: Tensor[]): Tensor => {
      let gs: Tensor[];
      try { gs = grads(L)(ts); } catch (e) { if (/does not depend/.test(String(e))) return ts[0]!.mul(0).sum(); throw e; }
      return gs.map((g, i) => g.mul(vs[i]!).sum()).reduce((a, b) => a.add(b));
    };
    const auto2 = gradsOrZeros(Hv, xs);
    const fd2 = numericGrads((ts) => tidy(() => Hv(...ts).data[0]!), xs);
    auto2.forEach((g, i) => close(`${what}: second derivative (Hessian-vector product) wrt x${i}`, g, fd2[i]!));
  });
}
