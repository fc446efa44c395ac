/**
 * Training a small Sequential network by Levenberg–Marquardt (src/optim/levenberg-marquardt.ts:
 * Levenberg 1944, Marquardt 1963, MATLAB `trainlm`'s damping schedule), as Higham & Higham
 * (2019, §2, `nlsrun.m`) fit their 10 points with MATLAB's `lsqnonlin` before turning to
 * stochastic gradient.
 *
 * The residuals are e_(i,j) = F(x_i)_j - y_(i,j) over the m samples and k outputs (r = m k), the
 * cost sum e^2. Their Jacobian with respect to the n trainable parameters is built one row at a
 * time with the layers' own backward pass: the sample x_i forward (inference mode), then the
 * one-hot dy = e_j at the output backward (BP2-BP4), which leaves row (i, j) in the parameters'
 * gradients. That is r forward and backward passes of one sample per iteration and an r x n
 * Jacobian: for networks of up to a few hundred parameters and a few thousand residuals.
 */
import { getKernels } from '../kernels/index.js';
import { LOSS_DEFS, LOSS_NAMES, MSE_METRIC_LOSS } from '../kernels/loss-registry.js';
import type { Layer } from '../nn/layer.js';
import type { Param } from '../nn/param.js';
import { levenbergMarquardtSteps, resolveLevenbergMarquardtOptions, type LeastSquaresProblem, type LevenbergMarquardtOptions, type StopReason } from '../optim/levenberg-marquardt.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { callbackList, type Callback, type Logs } from '../train/callback.js';
import { History } from '../train/history.js';
import { backwardPass } from './backprop.js';
import { checkFinite } from './checks.js';
import { toTensor, type TensorLike } from './inputs.js';
import type { Sequential } from './sequential.js';

/** Options of {@link trainLevenbergMarquardt}: `trainlm`'s (mu, muDec, muInc, muMax, epochs, goal, minGrad) and callbacks. */
export interface TrainLevenbergMarquardtOptions extends LevenbergMarquardtOptions {
  /**
   * Hooks as fit takes them; an epoch is one Levenberg–Marquardt iteration (`model.stopTraining =
   * true` ends the run). onEpochBegin runs before each iteration is tried, so after the last
   * iteration it may run once for an epoch the converged run does not take.
   */
  callbacks?: Callback | Callback[];
}

/** The layers whose inference-mode forward and backward give the exact derivative. */
const SUPPORTED = new Set(['Dense', 'Activation', 'Flatten']);

/** The stop reason of the last {@link trainLevenbergMarquardt} run on a model. */
const lastStop = new WeakMap<Sequential, StopReason>();
/** Why the last trainLevenbergMarquardt run on `model` ended ('minGrad', 'muMax', 'epochs', 'goal', 'stopped'), or undefined. */
export function levenbergMarquardtStopReason(model: Sequential): StopReason | undefined { return lastStop.get(model); }

function checkModel(model: Sequential, who: string): void {
  for (const layer of model.layers) {
    if (!SUPPORTED.has(layer.className)) throw new Error(`${who}: ${layer.describe()} is not supported; Levenberg–Marquardt trains Dense, Activation and Flatten layers`);
    if ((layer as Layer & { kernelRegularizer?: unknown }).kernelRegularizer) throw new Error(`${who}: ${layer.describe()} has a kernelRegularizer; Levenberg–Marquardt minimises the squared error alone`);
  }
  if (model.loss && !model.loss.info.sumOfSquaresScale) {
    const squared = LOSS_NAMES.filter((n) => LOSS_DEFS[n].sumOfSquaresScale).map((n) => `'${n}'`).join(', ');
    throw new Error(`${who}: the model is compiled with '${model.loss.info.name}'; Levenberg–Marquardt needs a squared-error loss (${squared})`);
  }
}

/** The residual problem of the model on (x, y): parameters read from and written to the model's trainable params. */
function networkProblem(model: Sequential, params: Param[], x: Tensor, y: Tensor): LeastSquaresProblem {
  const m = x.shape[0]!, d = x.size / m, k = y.size / m, n = params.reduce((s, p) => s + p.value.size, 0);
  const load = (p: Float64Array) => { let o = 0; for (const q of params) { const v = q.value.data; for (let i = 0; i < v.length; i++) v[i] = p[o++]!; } };
  const forward = (input: Tensor) => { let a = input; for (const layer of model.layers) a = layer.forward(a, false); return a; };
  const residuals = (p: Float64Array) => {
    load(p);
    const out = forward(x), e = new Float64Array(m * k);
    if (out.size !== e.length) throw new Error(`trainLevenbergMarquardt: the model's output ${formatShape(out.shape)} does not match y ${formatShape(y.shape)}`);
    for (let i = 0; i < e.length; i++) e[i] = out.data[i]! - y.data[i]!;
    return e;
  };
  const xi = new Tensor(new (x.data.constructor as Float64ArrayConstructor)(d), [1, ...x.shape.slice(1)]);
  const seed = new Tensor(new (x.data.constructor as Float64ArrayConstructor)(k), [1, k]);
  return {
    n, residuals,
    residualsAndJacobian: (p: Float64Array) => {
      const e = residuals(p), J = new Float64Array(m * k * n);
      for (let i = 0; i < m; i++) {
        xi.data.set(x.data.subarray(i * d, (i + 1) * d));
        for (let j = 0; j < k; j++) {
          forward(xi);
          seed.data.fill(0); seed.data[j] = 1;
          backwardPass(model.layers, seed);
          let o = (i * k + j) * n;
          for (const q of params) { const g = q.grad.data; for (let t = 0; t < g.length; t++) J[o++] = g[t]!; }
        }
      }
      return { e, J };
    },
  };
}

/**
 * Trains `model` on (x, y) by Levenberg–Marquardt: minimises sum over samples and outputs of
 * (F(x) - y)^2 with (J^T J + mu I) dp = -J^T e and `trainlm`'s damping schedule (mu 0.001,
 * x0.1 on success, x10 on failure, stop past muMax 1e10). One epoch is one iteration (one
 * Jacobian); the History logs per epoch `loss` (the compiled loss; mean squared error when the
 * model is not compiled), `sse` (the cost sum e^2, Higham & Higham's figure) and `mu`, and is
 * appended to `model.histories`. The model's parameters hold the result.
 * @param xIn inputs x, [m, ...features].
 * @param yIn targets y, [m, k] (the model's output shape).
 * @throws Error for a layer other than Dense/Activation/Flatten, a kernel regulariser, a
 * non-squared compiled loss, mismatched sample counts, non-finite data; TypeError / RangeError on a bad option.
 */
export async function trainLevenbergMarquardt(model: Sequential, xIn: TensorLike, yIn: TensorLike, options: TrainLevenbergMarquardtOptions = {}): Promise<History> {
  const who = 'trainLevenbergMarquardt';
  const o = resolveLevenbergMarquardtOptions(options, who, ['callbacks']);
  const cbArg = options?.callbacks;
  checkModel(model, who);
  const x = toTensor(xIn, `${who}: x`, model.dtype), y = toTensor(yIn, `${who}: y`, model.dtype);
  if (x.rank < 2) throw new Error(`${who}: x must have shape [samples, ...features], got ${formatShape(x.shape)}`);
  if (x.shape[0] !== y.shape[0]) throw new Error(`${who}: x has ${x.shape[0]} samples but y has ${y.shape[0]}; they must match`);
  if (!model.built) model.build(x.shape.slice(1));
  checkFinite(getKernels(), x, 'x');
  checkFinite(getKernels(), y, 'y');
  const params = model.trainableParams();
  const p0 = new Float64Array(params.reduce((s, p) => s + p.value.size, 0));
  let off = 0;
  for (const q of params) { p0.set(q.value.data, off); off += q.value.size; }
  const problem = networkProblem(model, params, x, y);
  const m = x.shape[0]!, k = y.size / m;
  const scale = (model.loss?.info ?? LOSS_DEFS[MSE_METRIC_LOSS]).sumOfSquaresScale!(m, k);
  const lossOf = (sse: number) => sse * scale;
  const callbacks = callbackList(cbArg);
  const history = new History();
  model.stopTraining = false;
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({ epochs: o.epochs, initialEpoch: 0, samples: m, steps: 1, batchSize: m, verbose: 0, doValidation: false, metrics: ['loss', 'sse', 'mu'] });
  }
  for (const cb of callbacks) await cb.onTrainBegin?.({});
  const steps = levenbergMarquardtSteps(problem, p0, o, who);
  let epoch = 0;
  for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
  let step = steps.next();
  while (!step.done) {
    const { info } = step.value;
    const logs: Logs = { loss: lossOf(info.cost), sse: info.cost, mu: info.mu };
    history.record(epoch, logs);
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs);
    epoch++;
    if (!model.stopTraining) for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
    step = steps.next(model.stopTraining);
  }
  problem.residuals(step.value.params); // leave the model at the result
  lastStop.set(model, step.value.stopReason);
  for (const cb of callbacks) await cb.onTrainEnd?.(history.epoch.length ? { loss: history.history.loss.at(-1)! } : {});
  model.histories.push(history);
  return history;
}
