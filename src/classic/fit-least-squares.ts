/**
 * Nonlinear least squares for any model written with ops: `fitLeastSquares(f, p0, x, y)` finds
 * the parameters p minimising sum_i (f(p, x)_i - y_i)^2 by Levenberg–Marquardt
 * (src/optim/levenberg-marquardt.ts: Levenberg 1944, Marquardt 1963, MATLAB `trainlm`'s damping
 * schedule), with the residuals' Jacobian from reverse-mode autodiff (`jacobian`, src/autograd/),
 * one backward pass per residual. As scipy's `least_squares(method='lm')` or MATLAB's
 * `lsqcurvefit`.
 */
import { jacobian } from '../autograd/gradients.js';
import { levenbergMarquardtSteps, type LevenbergMarquardtOptions, type StopReason } from '../optim/levenberg-marquardt.js';
import { dispose, tidy } from '../tensor/scopes.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A model written with ops: parameters p (any shape, float64) and inputs x to predictions shaped as y. */
export type LeastSquaresModel = (p: Tensor, x: Tensor) => Tensor;

/** What {@link fitLeastSquares} returns. */
export interface LeastSquaresFit {
  /** The fitted parameters, float64, shaped as p0. */
  params: Tensor;
  /** The cost sum_i (f(params, x)_i - y_i)^2 at the fitted parameters (scipy's `cost` is half of it). */
  cost: number;
  /** Levenberg–Marquardt iterations (Jacobian evaluations). */
  iterations: number;
  /** Why the run ended ('minGrad', 'muMax' when no damping could lower the cost further, 'epochs', 'goal'). */
  stopReason: StopReason;
}

function values(who: string, what: string, v: Tensor | ArrayLike<number>): { data: Float64Array; shape: number[] } {
  if (v instanceof Tensor) return { data: Float64Array.from(v.data), shape: [...v.shape] };
  if (v && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') {
    const data = Float64Array.from(v as ArrayLike<number>);
    return { data, shape: [data.length] };
  }
  throw new TypeError(`${who}: ${what} must be a Tensor or an array of numbers`);
}

/**
 * Fits `f(p, x) ~ y` in the least-squares sense by Levenberg–Marquardt, from p0.
 * Residuals e = f(p, x) - y (flattened; f's output must have y's size); cost = sum e^2.
 * Options: mu (0.001), muDec (0.1), muInc (10), muMax (1e10), epochs (most iterations, 1000),
 * goal (0), minGrad (1e-7, on |J^T e|_2); MATLAB `trainlm`'s names and defaults.
 * @param f differentiable in p (written with ops); called with a float64 p shaped as p0.
 * @param p0 initial parameters (tensor or numbers).
 * @param x the inputs, passed to f as is.
 * @param y the targets (tensor or numbers), as many values as f(p0, x) has.
 * @throws TypeError on a non-tensor argument; RangeError when y's size differs from f's output
 * TypeError / RangeError on a bad option; Error when the residuals at p0 are not finite, or f does not depend on p.
 */
export function fitLeastSquares(f: LeastSquaresModel, p0: Tensor | ArrayLike<number>, x: Tensor, y: Tensor | ArrayLike<number>,
                                options: LevenbergMarquardtOptions = {}): LeastSquaresFit {
  const who = 'fitLeastSquares';
  if (typeof f !== 'function') throw new TypeError(`${who}: f must be a function (p, x) -> Tensor`);
  const start = values(who, 'p0', p0), target = values(who, 'y', y);
  const n = start.data.length, r = target.data.length;
  const asTensor = (p: Float64Array) => new Tensor(p, start.shape);
  const output = (p: Tensor): Tensor => {
    const out = f(p, x);
    if (!(out instanceof Tensor)) throw new TypeError(`${who}: f must return a Tensor`);
    if (out.size !== r) throw new RangeError(`${who}: f(p, x) has shape ${formatShape(out.shape)} (${out.size} values) but y has ${r}`);
    return out;
  };
  const residualsOf = (data: ArrayLike<number>) => {
    const e = new Float64Array(r);
    for (let i = 0; i < r; i++) e[i] = data[i]! - target.data[i]!;
    return e;
  };
  const problem = {
    n,
    residuals: (p: Float64Array) => tidy(() => residualsOf(output(asTensor(p)).data)),
    residualsAndJacobian: (p: Float64Array) => {
      const e = tidy(() => residualsOf(output(asTensor(p)).data));
      const jt = jacobian(output, asTensor(p));
      const J = Float64Array.from(jt.data);
      dispose(jt);
      return { e, J };
    },
  };
  const steps = levenbergMarquardtSteps(problem, start.data, options, who);
  let step = steps.next();
  while (!step.done) step = steps.next();
  const result = step.value;
  return { params: new Tensor(result.params, start.shape), cost: result.cost, iterations: result.iterations, stopReason: result.stopReason };
}
