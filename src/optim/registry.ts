/**
 * Optimisers by name and from configs: what `model.compile({ optimizer: 'adam' })` and the
 * checkpoint loader call.
 */
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { isLearningRateSchedule, scheduleFromConfig } from './schedules.js';
import { SGD } from './sgd.js';
import { classFromConfig, describe } from './validate.js';

/** The names {@link getOptimizer} accepts. */
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
/** The names {@link getOptimizer} accepts, in a fixed order. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze(['sgd', 'adam', 'rmsprop', 'adagrad'] as const);

const BY_NAME: Record<OptimizerName, () => Optimizer> = {
  sgd: () => new SGD(),
  adam: () => new Adam(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
};

const BY_CLASS_NAME: Record<string, (options: Record<string, unknown>) => Optimizer> = {
  SGD: (o) => new SGD(o),
  Adam: (o) => new Adam(o),
  RMSprop: (o) => new RMSprop(o),
  Adagrad: (o) => new Adagrad(o),
};

/** The class names {@link optimizerFromConfig} accepts. */
export const OPTIMIZER_CLASS_NAMES: readonly string[] = Object.freeze(Object.keys(BY_CLASS_NAME));

function isOptimizer(value: unknown): value is Optimizer {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return typeof o['applyGradients'] === 'function' && typeof o['getConfig'] === 'function'
    && typeof o['getSlots'] === 'function' && typeof o['setSlots'] === 'function';
}

/**
 * A new optimiser with its default options for a name ('sgd': SGD lr 0.01; 'adam': Adam lr 0.001;
 * 'rmsprop', 'adagrad': lr 0.001), or the given optimiser itself (not copied).
 * @throws Error for an unknown name, listing the valid names; TypeError for anything that is
 * neither a string nor an optimiser.
 */
export function getOptimizer(nameOrOptimizer: OptimizerName | Optimizer): Optimizer {
  if (typeof nameOrOptimizer === 'string') {
    const make = Object.hasOwn(BY_NAME, nameOrOptimizer) ? BY_NAME[nameOrOptimizer] : undefined;
    if (make === undefined)
      throw new Error(`getOptimizer: unknown optimizer '${nameOrOptimizer}'; valid names: ${OPTIMIZER_NAMES.join(', ')}`);
    return make();
  }
  if (isOptimizer(nameOrOptimizer)) return nameOrOptimizer;
  throw new TypeError(`getOptimizer: expected one of ${OPTIMIZER_NAMES.join(', ')} or an Optimizer, got ${describe(nameOrOptimizer)}`);
}

/**
 * Rebuilds an optimiser from its getConfig() (as a checkpoint stores it). The fields are the
 * constructor's options, validated by the constructor; a `learningRate` object is rebuilt with
 * {@link scheduleFromConfig}. Slots and `iterations` are restored separately.
 * @throws TypeError when config is not an object or className not a string; Error for an unknown
 * className (the valid ones are listed); the constructor's TypeError / RangeError for an unknown
 * or invalid field, each message prefixed with `optimizerFromConfig:`.
 */
export function optimizerFromConfig(config: unknown): Optimizer {
  const { make, options } = classFromConfig('optimizerFromConfig', config, BY_CLASS_NAME, 'optimizer class');
  try {
    const lr = options['learningRate'];
    if (lr !== null && typeof lr === 'object' && !isLearningRateSchedule(lr)) options['learningRate'] = scheduleFromConfig(lr);
    return make(options);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const Ctor = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
    throw new Ctor(`optimizerFromConfig: ${e.message}`, { cause: e });
  }
}
