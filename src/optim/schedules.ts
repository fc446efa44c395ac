/**
 * Learning-rate schedules: the learning rate as a function of the optimiser step, as Keras's
 * `keras.optimizers.schedules` computes them. An optimiser whose `learningRate` is a schedule
 * asks it for `at(iterations)` before each update, so the first update uses step 0 (Keras
 * passes `optimizer.iterations`, the number of updates already made).
 *
 * Configs use Keras's class names ('ExponentialDecay', 'PiecewiseConstantDecay', 'CosineDecay')
 * with camelCase fields, and {@link scheduleFromConfig} rebuilds a schedule from one.
 */
import type { LearningRateSchedule } from './optimizer.js';
import {
  boolean, checkOptionKeys, classFromConfig, closedUnitInterval, describe, nonNegativeFinite, positiveFinite, withDefault,
} from './validate.js';

function checkStep(owner: string, step: number): void {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0)
    throw new RangeError(`${owner}.at: step must be a finite number >= 0, got ${describe(step)}`);
}

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The learning rate at step 0; finite, > 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once; finite, > 0. */
  decaySteps: number;
  /** The factor per `decaySteps` steps; finite, > 0 (> 1 grows the rate). */
  decayRate: number;
  /** Decay in whole periods (a staircase) instead of continuously. Default false. */
  staircase?: boolean;
}

/**
 * lr(step) = initialLearningRate * decayRate ^ (step / decaySteps), with the exponent floored
 * when `staircase` is true (Keras `ExponentialDecay`).
 */
export class ExponentialDecay implements LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  /**
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
   * @throws RangeError when initialLearningRate, decaySteps or decayRate is not finite and > 0.
   */
  constructor(options: ExponentialDecayOptions) {
    const owner = 'exponentialDecay';
    const o = checkOptionKeys(owner, options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = positiveFinite(owner, 'initialLearningRate', o['initialLearningRate']);
    this.decaySteps = positiveFinite(owner, 'decaySteps', o['decaySteps']);
    this.decayRate = positiveFinite(owner, 'decayRate', o['decayRate']);
    this.staircase = boolean(owner, 'staircase', withDefault(o, 'staircase', false));
  }

  /** @throws RangeError when step is not a finite number >= 0. */
  at(step: number): number {
    checkStep('ExponentialDecay', step);
    const p = step / this.decaySteps;
    return this.initialLearningRate * Math.pow(this.decayRate, this.staircase ? Math.floor(p) : p);
  }

  getConfig(): { className: 'ExponentialDecay'; initialLearningRate: number; decaySteps: number; decayRate: number; staircase: boolean } {
    return { className: 'ExponentialDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

/** Options of {@link piecewiseConstant}. */
export interface PiecewiseConstantOptions {
  /** Step boundaries, finite and strictly increasing (may be empty). */
  boundaries: readonly number[];
  /** One more value than boundaries; each finite and >= 0. */
  values: readonly number[];
}

/**
 * lr(step) = values[0] for step <= boundaries[0]; values[i] for boundaries[i-1] < step <= boundaries[i];
 * values[n] for step > boundaries[n-1] (Keras `PiecewiseConstantDecay`: a boundary step still
 * uses the earlier value).
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  /**
   * @throws TypeError on an unknown option, or when boundaries / values are not arrays of numbers.
   * @throws RangeError when values.length !== boundaries.length + 1, a boundary is not finite or
   * the boundaries do not strictly increase, or a value is not finite and >= 0.
   */
  constructor(options: PiecewiseConstantOptions) {
    const owner = 'piecewiseConstant';
    const o = checkOptionKeys(owner, options, ['boundaries', 'values']);
    const boundaries = o['boundaries'], values = o['values'];
    if (!Array.isArray(boundaries)) throw new TypeError(`${owner}: boundaries must be an array of numbers, got ${describe(boundaries)}`);
    if (!Array.isArray(values)) throw new TypeError(`${owner}: values must be an array of numbers, got ${describe(values)}`);
    boundaries.forEach((b: unknown, i) => {
      if (typeof b !== 'number') throw new TypeError(`${owner}: boundaries[${i}] must be a finite number, got ${describe(b)}`);
      if (!Number.isFinite(b)) throw new RangeError(`${owner}: boundaries[${i}] must be a finite number, got ${describe(b)}`);
      if (i > 0 && !(b > (boundaries[i - 1] as number)))
        throw new RangeError(`${owner}: boundaries must increase strictly, got boundaries[${i - 1}] = ${describe(boundaries[i - 1])} and boundaries[${i}] = ${describe(b)}`);
    });
    if (values.length !== boundaries.length + 1)
      throw new RangeError(`${owner}: values must have one more element than boundaries (${boundaries.length + 1}), got ${values.length}`);
    values.forEach((v: unknown, i) => nonNegativeFinite(owner, `values[${i}]`, v));
    this.boundaries = Object.freeze([...(boundaries as number[])]);
    this.values = Object.freeze([...(values as number[])]);
  }

  /** @throws RangeError when step is not a finite number >= 0. */
  at(step: number): number {
    checkStep('PiecewiseConstantDecay', step);
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]!) i++;
    return this.values[i]!;
  }

  getConfig(): { className: 'PiecewiseConstantDecay'; boundaries: number[]; values: number[] } {
    return { className: 'PiecewiseConstantDecay', boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** The learning rate at step 0; finite, > 0. */
  initialLearningRate: number;
  /** Steps over which the rate falls to alpha * initialLearningRate; finite, > 0. */
  decaySteps: number;
  /** The final rate as a fraction of the initial one, in [0, 1]. Default 0. */
  alpha?: number;
}

/**
 * lr(step) = initialLearningRate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha)
 * (Keras `CosineDecay` without warm-up; SGDR, Loshchilov & Hutter 2017, without restarts).
 * After decaySteps the rate stays at alpha * initialLearningRate.
 */
export class CosineDecay implements LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;

  /**
   * @throws TypeError on an unknown option or a value of the wrong type.
   * @throws RangeError when initialLearningRate or decaySteps is not finite and > 0, or alpha is not in [0, 1].
   */
  constructor(options: CosineDecayOptions) {
    const owner = 'cosineDecay';
    const o = checkOptionKeys(owner, options, ['initialLearningRate', 'decaySteps', 'alpha']);
    this.initialLearningRate = positiveFinite(owner, 'initialLearningRate', o['initialLearningRate']);
    this.decaySteps = positiveFinite(owner, 'decaySteps', o['decaySteps']);
    this.alpha = closedUnitInterval(owner, 'alpha', withDefault(o, 'alpha', 0));
  }

  /** @throws RangeError when step is not a finite number >= 0. */
  at(step: number): number {
    checkStep('CosineDecay', step);
    const fraction = Math.min(step, this.decaySteps) / this.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): { className: 'CosineDecay'; initialLearningRate: number; decaySteps: number; alpha: number } {
    return { className: 'CosineDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha };
  }
}

/** Keras `ExponentialDecay`: see {@link ExponentialDecay} for the formula and errors. */
export function exponentialDecay(options: ExponentialDecayOptions): ExponentialDecay {
  return new ExponentialDecay(options);
}

/** Keras `PiecewiseConstantDecay`: see {@link PiecewiseConstantDecay} for the formula and errors. */
export function piecewiseConstant(options: PiecewiseConstantOptions): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(options);
}

/** Keras `CosineDecay`: see {@link CosineDecay} for the formula and errors. */
export function cosineDecay(options: CosineDecayOptions): CosineDecay {
  return new CosineDecay(options);
}

const SCHEDULES: Record<string, (options: never) => LearningRateSchedule> = {
  ExponentialDecay: exponentialDecay,
  PiecewiseConstantDecay: piecewiseConstant,
  CosineDecay: cosineDecay,
};

/** The class names {@link scheduleFromConfig} accepts. */
export const SCHEDULE_CLASS_NAMES: readonly string[] = Object.freeze(Object.keys(SCHEDULES));

/**
 * Rebuilds a schedule from its `getConfig()`.
 * @throws TypeError when config is not an object or className is not a string; Error when the
 * className is unknown (the valid ones are listed); the schedule's own errors for bad fields.
 */
export function scheduleFromConfig(config: unknown): LearningRateSchedule {
  const { make, options } = classFromConfig('scheduleFromConfig', config, SCHEDULES, 'learning-rate schedule');
  return make(options as never);
}

/** True when value has the {@link LearningRateSchedule} shape (`at` and `getConfig` methods). */
export function isLearningRateSchedule(value: unknown): value is LearningRateSchedule {
  return value !== null && typeof value === 'object'
    && typeof (value as LearningRateSchedule).at === 'function'
    && typeof (value as LearningRateSchedule).getConfig === 'function';
}
