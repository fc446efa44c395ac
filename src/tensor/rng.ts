/**
 * The one source of randomness in nabla: xoshiro128** (Blackman & Vigna, 2018), a small,
 * well-tested 32-bit generator, seeded through SplitMix32-style mixing.
 *
 * Streams are derived from (seed, purpose, epoch) — e.g. `Rng.derive(42, 'shuffle', 3)` — so a
 * resumed run reshuffles exactly as an uninterrupted one (docs/design.md, "Determinism"). Library code
 * never calls `Math.random`.
 */

/** Mixes a 32-bit value (the finaliser of MurmurHash3 / SplitMix32). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, 32 bits. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The serialisable state of an {@link Rng}: four 32-bit words, plus a cached normal deviate. */
export interface RngState { s: [number, number, number, number]; spare: number | null }

/** A seeded pseudo-random generator (xoshiro128**). */
export class Rng {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed any finite number; its integer part (and sign) selects the stream.
   * @throws RangeError when `seed` is not a finite number.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    const lo = (Math.trunc(seed) >>> 0), hi = Math.floor(Math.trunc(seed) / 4294967296) >>> 0;
    let x = mix32(lo ^ mix32(hi ^ 0x9e3779b9));
    const next = () => { x = (x + 0x9e3779b9) >>> 0; return mix32(x); };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator for one purpose ('init:dense_1', 'shuffle', 'dropout:dropout_1') and epoch. */
  static derive(seed: number, purpose: string, epoch = 0): Rng {
    const base = new Rng(seed);
    const key = (base.nextUint32() ^ mix32(hashString(purpose) + Math.imul(epoch + 1, 0x27d4eb2f))) >>> 0;
    return new Rng(key * 4294967296 + base.nextUint32());
  }

  /** A fresh seed from the platform's cryptographic source, for when the user gives none. */
  static randomSeed(): number {
    const a = new Uint32Array(1);
    globalThis.crypto.getRandomValues(a);
    return a[0]!;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t; this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5, lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). @throws RangeError unless n is a positive integer <= 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    // Lemire-style rejection to avoid modulo bias.
    const limit = 4294967296 - (4294967296 % n);
    let r: number;
    do r = this.nextUint32(); while (r >= limit);
    return r % n;
  }

  /** Standard normal deviate N(0, 1) by the Box-Muller transform. */
  normal(): number {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return v; }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u)), t = 2 * Math.PI * v;
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** N(0, 1) truncated to [-2, 2] by resampling (as TensorFlow's truncated_normal). */
  truncatedNormal(): number {
    for (;;) { const z = this.normal(); if (z >= -2 && z <= 2) return z; }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) { const j = this.int(i + 1); const t = p[i]!; p[i] = p[j]!; p[j] = t; }
    return p;
  }

  /** The generator's full state, for checkpoints. */
  getState(): RngState { return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare }; }

  /** Restores a state from {@link getState}. @throws TypeError on a malformed state. */
  setState(state: RngState): void {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4 || !state.s.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296))
      throw new TypeError('Rng.setState: state.s must be four unsigned 32-bit integers');
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spare = state.spare ?? null;
  }
}

function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }
