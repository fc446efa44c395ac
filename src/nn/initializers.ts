/**
 * Weight initialisers, as Keras defines them (docs/design.md, "Optimisers, initialisers and layers").
 * All randomness comes from the seeded {@link Rng}. Fans: a Dense kernel [in, out] has
 * fanIn = in, fanOut = out; a Conv2D kernel [kh, kw, cin, cout] has fanIn = kh kw cin and
 * fanOut = kh kw cout.
 */
import type { FloatArray } from '../tensor/tensor.js';
import type { Rng } from '../tensor/rng.js';

/** The initialisers by name (Keras's), as a layer's kernelInitializer / biasInitializer accept them. */
export type InitializerName = 'zeros' | 'ones' | 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'leCunNormal' | 'leCunUniform' | 'orthogonal';
/** Every {@link InitializerName}. */
export const INITIALIZER_NAMES: readonly InitializerName[] = ['zeros', 'ones', 'glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform', 'orthogonal'];

/** A serialisable initialiser: fills a buffer given the parameter's shape and a seeded generator. */
export interface Initializer {
  readonly className: string;
  fill(out: FloatArray, shape: readonly number[], rng: Rng): void;
  getConfig(): { className: string; [k: string]: unknown };
}

/** The stddev of N(0,1) truncated to [-2, 2] is 0.87962566103423978; Keras divides by it. */
const TRUNCATED_STDDEV = 0.87962566103423978;

/** fanIn and fanOut of a kernel shape (Keras `_compute_fans`). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 1) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}

class Constant implements Initializer {
  readonly className = 'constant';
  constructor(readonly value: number) {}
  fill(out: FloatArray): void { out.fill(this.value); }
  getConfig() { return { className: this.className, value: this.value }; }
}

/** Keras VarianceScaling: variance scale / n with n = fanIn, fanOut or their mean. */
class VarianceScaling implements Initializer {
  constructor(readonly className: string, readonly scale: number, readonly mode: 'fanIn' | 'fanOut' | 'fanAvg',
              readonly distribution: 'uniform' | 'truncatedNormal') {}
  fill(out: FloatArray, shape: readonly number[], rng: Rng): void {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * limit;
    } else {
      const stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
      for (let i = 0; i < out.length; i++) out[i] = rng.truncatedNormal() * stddev;
    }
  }
  getConfig() { return { className: this.className }; }
}

/** Draws from N(mean, stddev^2), untruncated: Nielsen's N(0, 1), Higham's 0.5 N(0, 1). */
class RandomNormal implements Initializer {
  readonly className = 'randomNormal';
  constructor(readonly mean: number, readonly stddev: number) {}
  fill(out: FloatArray, _shape: readonly number[], rng: Rng): void {
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * rng.normal();
  }
  getConfig() { return { className: this.className, mean: this.mean, stddev: this.stddev }; }
}

/** Draws from U(minval, maxval). */
class RandomUniform implements Initializer {
  readonly className = 'randomUniform';
  constructor(readonly minval: number, readonly maxval: number) {}
  fill(out: FloatArray, _shape: readonly number[], rng: Rng): void {
    for (let i = 0; i < out.length; i++) out[i] = this.minval + (this.maxval - this.minval) * rng.uniform();
  }
  getConfig() { return { className: this.className, minval: this.minval, maxval: this.maxval }; }
}

/**
 * Keras Orthogonal (Saxe, McClelland & Ganguli 2014; the recurrent layers' recurrentInitializer):
 * the kernel viewed as rows = prod(shape[:-1]) x cols = shape[-1] gets the Q factor of a
 * max x min standard-normal matrix (QR with a positive diagonal of R, here by modified
 * Gram-Schmidt in float64), transposed when rows < cols, times `gain`.
 */
class Orthogonal implements Initializer {
  readonly className = 'orthogonal';
  constructor(readonly gain: number) {}
  fill(out: FloatArray, shape: readonly number[], rng: Rng): void {
    const cols = shape.length === 0 ? 1 : shape[shape.length - 1]!, rows = out.length / Math.max(1, cols);
    const big = Math.max(rows, cols), small = Math.min(rows, cols);
    const a = new Float64Array(big * small); // column j at a[j * big ...]
    for (let i = 0; i < big; i++) for (let j = 0; j < small; j++) a[j * big + i] = rng.normal();
    for (let j = 0; j < small; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < big; i++) dot += a[p * big + i]! * a[j * big + i]!;
        for (let i = 0; i < big; i++) a[j * big + i]! -= dot * a[p * big + i]!;
      }
      let norm = 0;
      for (let i = 0; i < big; i++) norm += a[j * big + i]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < big; i++) a[j * big + i]! /= norm;
    }
    // Q is big x small with Q[i, j] = a[j big + i]; the kernel is Q (rows >= cols) or Q^T.
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++)
      out[r * cols + c] = this.gain * (rows >= cols ? a[c * big + r]! : a[r * big + c]!);
  }
  getConfig() { return { className: this.className, gain: this.gain }; }
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what} must be a finite number, got ${String(v)}`);
  return v;
}

/** zeros. */ export const zeros = (): Initializer => new Constant(0);
/** ones. */ export const ones = (): Initializer => new Constant(1);
/** Every weight = value. */ export const constant = (value: number): Initializer => new Constant(finite(value, 'constant: value'));
/** U(-l, l), l = sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010); the Dense/Conv2D default. */
export const glorotUniform = (): Initializer => new VarianceScaling('glorotUniform', 1, 'fanAvg', 'uniform');
/** Truncated normal, stddev sqrt(2 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export const glorotNormal = (): Initializer => new VarianceScaling('glorotNormal', 1, 'fanAvg', 'truncatedNormal');
/** Truncated normal, stddev sqrt(2 / fanIn) (He et al. 2015). */
export const heNormal = (): Initializer => new VarianceScaling('heNormal', 2, 'fanIn', 'truncatedNormal');
/** U(-l, l), l = sqrt(6 / fanIn) (He et al. 2015). */
export const heUniform = (): Initializer => new VarianceScaling('heUniform', 2, 'fanIn', 'uniform');
/** Truncated normal, stddev sqrt(1 / fanIn) (LeCun et al. 1998). */
export const leCunNormal = (): Initializer => new VarianceScaling('leCunNormal', 1, 'fanIn', 'truncatedNormal');
/** U(-l, l), l = sqrt(3 / fanIn). */
export const leCunUniform = (): Initializer => new VarianceScaling('leCunUniform', 1, 'fanIn', 'uniform');
/** Orthogonal rows or columns times `gain` (Keras Orthogonal). @throws RangeError unless gain is finite. */
export const orthogonal = ({ gain = 1 }: { gain?: number } = {}): Initializer => new Orthogonal(finite(gain, 'orthogonal: gain'));
/** N(mean, stddev^2). @throws RangeError unless mean is finite and stddev finite and >= 0. */
export function randomNormal({ mean = 0, stddev = 1 }: { mean?: number; stddev?: number } = {}): Initializer {
  if (finite(stddev, 'randomNormal: stddev') < 0) throw new RangeError(`randomNormal: stddev must be >= 0, got ${stddev}`);
  return new RandomNormal(finite(mean, 'randomNormal: mean'), stddev);
}
/** U(minval, maxval). @throws RangeError unless minval <= maxval, both finite. */
export function randomUniform({ minval = -0.05, maxval = 0.05 }: { minval?: number; maxval?: number } = {}): Initializer {
  if (finite(minval, 'randomUniform: minval') > finite(maxval, 'randomUniform: maxval')) throw new RangeError(`randomUniform: minval ${minval} > maxval ${maxval}`);
  return new RandomUniform(minval, maxval);
}

const BY_NAME: Record<InitializerName, () => Initializer> = { zeros, ones, glorotUniform, glorotNormal, heNormal, heUniform, leCunNormal, leCunUniform, orthogonal: () => orthogonal() };

/**
 * An initialiser from a name, an Initializer, or a config ({ className, ...options }).
 * @throws Error naming the bad value and listing the valid names.
 */
export function getInitializer(spec: unknown, where = 'initializer'): Initializer {
  if (typeof spec === 'string' && Object.hasOwn(BY_NAME, spec)) return BY_NAME[spec as InitializerName]();
  if (spec && typeof spec === 'object' && typeof (spec as Initializer).fill === 'function') return spec as Initializer;
  if (spec && typeof spec === 'object' && typeof (spec as { className?: unknown }).className === 'string') {
    const c = spec as { className: string; [k: string]: unknown };
    if (c.className === 'constant') return constant(c.value as number);
    if (c.className === 'randomNormal') return randomNormal(c as { mean?: number; stddev?: number });
    if (c.className === 'randomUniform') return randomUniform(c as { minval?: number; maxval?: number });
    if (c.className === 'orthogonal') return orthogonal(c as { gain?: number });
    if (Object.hasOwn(BY_NAME, c.className)) return BY_NAME[c.className as InitializerName]();
  }
  const shown = typeof spec === 'object' ? JSON.stringify(spec) : String(spec);
  throw new Error(`${where}: unknown initializer ${shown}; valid names: ${INITIALIZER_NAMES.join(', ')}, or randomNormal({ mean, stddev }), randomUniform({ minval, maxval }), constant(value)`);
}
