/**
 * Feature scaling fitted on training data and applied unchanged to test data (as
 * scikit-learn's StandardScaler / MinMaxScaler): fit the statistics on the training inputs only,
 * so no information from the test set leaks into the model.
 */
import { Tensor, allocArray } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';

function columns(x: Tensor, what: string): [number, number] {
  if (x.rank !== 2) throw new TypeError(`${what}: expected inputs [n, features], got ${formatShape(x.shape)}`);
  return x.shape as [number, number];
}

/** Applies (x - offset[c]) / scale[c] column by column, in float64, into x's dtype. */
function affine(x: Tensor, offset: readonly number[], scale: readonly number[], what: string, inverse = false): Tensor {
  const [n, f] = columns(x, what);
  if (f !== offset.length) throw new RangeError(`${what}: fitted on ${offset.length} features, got inputs ${formatShape(x.shape)}`);
  const out = allocArray(x.dtype, n * f);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < f; c++) {
      const v = x.data[r * f + c]!;
      out[r * f + c] = inverse ? v * scale[c]! + offset[c]! : (v - offset[c]!) / scale[c]!;
    }
  return new Tensor(out, [n, f]);
}

/** The configuration of a fitted {@link StandardScaler}: enough to rebuild it. */
export interface StandardScalerConfig { className: 'StandardScaler'; mean: number[]; scale: number[] }

/**
 * Standardization: x' = (x - mean) / std per column, with the mean and the population standard
 * deviation (divisor n, as scikit-learn) of the training data. A constant column gets scale 1
 * (it becomes 0, never NaN).
 *
 * ```ts
 * const scaler = StandardScaler.fit(xTrain);
 * const xTrainS = scaler.transform(xTrain), xTestS = scaler.transform(xTest);
 * ```
 */
export class StandardScaler {
  /** Per-column means (empty until fitted). */
  mean: number[] = [];
  /** Per-column standard deviations (1 for constant columns). */
  scale: number[] = [];

  /** A scaler fitted to `x` `[n, features]`. @throws TypeError unless x is `[n, f]` with n >= 1. */
  static fit(x: Tensor): StandardScaler { return new StandardScaler().fit(x); }

  /** Rebuilds a scaler from {@link getConfig}. @throws TypeError on a malformed config. */
  static fromConfig(config: StandardScalerConfig): StandardScaler {
    if (!config || !Array.isArray(config.mean) || !Array.isArray(config.scale) || config.mean.length !== config.scale.length)
      throw new TypeError('StandardScaler.fromConfig: expected { mean: number[], scale: number[] } of equal length');
    const s = new StandardScaler();
    s.mean = [...config.mean]; s.scale = [...config.scale];
    return s;
  }

  /** Fits the means and standard deviations of x's columns (float64 sums). @returns this. */
  fit(x: Tensor): this {
    const [n, f] = columns(x, 'StandardScaler.fit');
    if (n === 0) throw new TypeError('StandardScaler.fit: needs at least one row');
    const mean = new Array<number>(f).fill(0), ss = new Array<number>(f).fill(0);
    for (let r = 0; r < n; r++) for (let c = 0; c < f; c++) mean[c]! += x.data[r * f + c]!;
    for (let c = 0; c < f; c++) mean[c]! /= n;
    for (let r = 0; r < n; r++) for (let c = 0; c < f; c++) ss[c]! += (x.data[r * f + c]! - mean[c]!) ** 2;
    this.mean = mean;
    this.scale = ss.map((s) => { const sd = Math.sqrt(s / n); return sd > 0 ? sd : 1; });
    return this;
  }

  /** (x - mean) / scale, a new tensor of x's dtype. @throws Error before fit; RangeError on a feature-count mismatch. */
  transform(x: Tensor): Tensor {
    if (this.mean.length === 0) throw new Error('StandardScaler.transform: not fitted (call fit first)');
    return affine(x, this.mean, this.scale, 'StandardScaler.transform');
  }

  /** Fits to x and returns x transformed. */
  fitTransform(x: Tensor): Tensor { return this.fit(x).transform(x); }

  /** x * scale + mean: undoes {@link transform}. */
  inverseTransform(x: Tensor): Tensor {
    if (this.mean.length === 0) throw new Error('StandardScaler.inverseTransform: not fitted (call fit first)');
    return affine(x, this.mean, this.scale, 'StandardScaler.inverseTransform', true);
  }

  /** The fitted statistics as plain JSON. */
  getConfig(): StandardScalerConfig { return { className: 'StandardScaler', mean: [...this.mean], scale: [...this.scale] }; }
}

/** The configuration of a fitted {@link MinMaxScaler}: enough to rebuild it. */
export interface MinMaxScalerConfig { className: 'MinMaxScaler'; featureRange: [number, number]; dataMin: number[]; dataMax: number[] }

/**
 * Min-max scaling: x' = lo + (x - min) (hi - lo) / (max - min) per column, with the training
 * data's min and max, so the training data spans `featureRange` (default [0, 1]); test data may
 * fall outside it. A constant column maps to lo (never NaN).
 */
export class MinMaxScaler {
  /** The target interval [lo, hi]. */
  readonly featureRange: [number, number];
  /** Per-column minima and maxima of the training data (empty until fitted). */
  dataMin: number[] = [];
  dataMax: number[] = [];

  /** @throws RangeError unless featureRange is finite with lo < hi. */
  constructor(options: { featureRange?: [number, number] } = {}) {
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi))
      throw new RangeError(`MinMaxScaler: featureRange must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
    this.featureRange = [lo, hi];
  }

  /** A scaler fitted to `x` `[n, features]`. */
  static fit(x: Tensor, options: { featureRange?: [number, number] } = {}): MinMaxScaler { return new MinMaxScaler(options).fit(x); }

  /** Rebuilds a scaler from {@link getConfig}. @throws TypeError on a malformed config. */
  static fromConfig(config: MinMaxScalerConfig): MinMaxScaler {
    if (!config || !Array.isArray(config.dataMin) || !Array.isArray(config.dataMax) || config.dataMin.length !== config.dataMax.length)
      throw new TypeError('MinMaxScaler.fromConfig: expected { featureRange, dataMin: number[], dataMax: number[] } of equal length');
    const s = new MinMaxScaler({ featureRange: config.featureRange });
    s.dataMin = [...config.dataMin]; s.dataMax = [...config.dataMax];
    return s;
  }

  /** Fits each column's min and max. @returns this. @throws TypeError unless x is `[n, f]` with n >= 1. */
  fit(x: Tensor): this {
    const [n, f] = columns(x, 'MinMaxScaler.fit');
    if (n === 0) throw new TypeError('MinMaxScaler.fit: needs at least one row');
    const lo = new Array<number>(f).fill(Infinity), hi = new Array<number>(f).fill(-Infinity);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < f; c++) { const v = x.data[r * f + c]!; if (v < lo[c]!) lo[c] = v; if (v > hi[c]!) hi[c] = v; }
    this.dataMin = lo; this.dataMax = hi;
    return this;
  }

  private affineParams(): { offset: number[]; scale: number[] } {
    const [lo, hi] = this.featureRange;
    // x' = (x - offset) / scale with scale = range / (hi - lo), offset = min - lo * scale.
    const scale = this.dataMin.map((m, c) => { const r = this.dataMax[c]! - m; return (r > 0 ? r : 1) / (hi - lo); });
    return { scale, offset: this.dataMin.map((m, c) => m - lo * scale[c]!) };
  }

  /** Scales x with the fitted min and max, a new tensor of x's dtype. @throws Error before fit; RangeError on a feature-count mismatch. */
  transform(x: Tensor): Tensor {
    if (this.dataMin.length === 0) throw new Error('MinMaxScaler.transform: not fitted (call fit first)');
    const { offset, scale } = this.affineParams();
    return affine(x, offset, scale, 'MinMaxScaler.transform');
  }

  /** Fits to x and returns x transformed. */
  fitTransform(x: Tensor): Tensor { return this.fit(x).transform(x); }

  /** Undoes {@link transform}. */
  inverseTransform(x: Tensor): Tensor {
    if (this.dataMin.length === 0) throw new Error('MinMaxScaler.inverseTransform: not fitted (call fit first)');
    const { offset, scale } = this.affineParams();
    return affine(x, offset, scale, 'MinMaxScaler.inverseTransform', true);
  }

  /** The fitted statistics as plain JSON. */
  getConfig(): MinMaxScalerConfig {
    return { className: 'MinMaxScaler', featureRange: [...this.featureRange], dataMin: [...this.dataMin], dataMax: [...this.dataMax] };
  }
}

/** Standardizes x's columns with x's own statistics: `StandardScaler.fit(x).transform(x)`. */
export function standardize(x: Tensor): Tensor { return new StandardScaler().fitTransform(x); }

/** Scales x's columns to `featureRange` (default [0, 1]) with x's own min and max. */
export function minMaxScale(x: Tensor, featureRange: [number, number] = [0, 1]): Tensor {
  return new MinMaxScaler({ featureRange }).fitTransform(x);
}
