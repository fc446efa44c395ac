/**
 * The Levenberg–Marquardt method for nonlinear least squares: minimise the cost
 * C(p) = sum_i e_i(p)^2 over the parameters p (n of them) of the residuals e (r of them).
 *
 * Each iteration linearises e around p (e(p + dp) ~ e + J dp, J = de/dp, r x n) and solves the
 * damped normal equations
 *
 *     (J^T J + mu I) dp = -J^T e
 *
 * (Levenberg 1944, "A method for the solution of certain non-linear problems in least squares",
 * Q. Appl. Math. 2(2); Marquardt 1963, "An algorithm for least-squares estimation of nonlinear
 * parameters", J. SIAM 11(2)). A small mu gives the Gauss–Newton step, a large one a short
 * gradient-descent step of length ~ |J^T e| / mu. The damping schedule is MATLAB's `trainlm`
 * (Deep Learning Toolbox): mu starts at 0.001; a step that lowers the cost is taken and mu is
 * multiplied by muDec = 0.1; one that does not is refused and mu is multiplied by muInc = 10 and
 * the system solved again, until mu exceeds muMax = 1e10, which ends the run. Higham & Higham
 * (2019), "Deep Learning: An Introduction for Applied Mathematicians", SIAM Review 61(4), §2
 * (`nlsrun.m`, Fig. 4), fit their 10-point example with MATLAB's nonlinear least-squares solver
 * `lsqnonlin` (whose algorithms are trust-region-reflective, the default, and this one) before
 * turning to stochastic gradient in §4.
 *
 * Everything is float64; the n x n system is solved by Cholesky (ml-matrix), falling back to LU
 * when J^T J + mu I is not numerically positive definite. Memory is O(r n + n^2): for small
 * problems (a few hundred parameters), not for deep networks.
 */
import { CholeskyDecomposition, LuDecomposition, Matrix } from 'ml-matrix';
import { checkOptionKeys, describe, integerAtLeast, nonNegativeFinite, positiveFinite, withDefault } from '../validate.js';

/** The options of {@link levenbergMarquardt} (MATLAB `trainlm`'s names and defaults). */
export interface LevenbergMarquardtOptions {
  /** The initial damping mu (> 0). Default 0.001. */
  mu?: number;
  /** The factor mu is multiplied by after a step that lowers the cost (0 < muDec < 1). Default 0.1. */
  muDec?: number;
  /** The factor mu is multiplied by after a refused step (> 1). Default 10. */
  muInc?: number;
  /** The run stops when mu exceeds this. Default 1e10. */
  muMax?: number;
  /** The most iterations (Jacobian evaluations). Default 1000. */
  epochs?: number;
  /** Stop once the cost sum e^2 is at most this. Default 0. */
  goal?: number;
  /** Stop once the gradient's norm |J^T e|_2 is below this. Default 1e-7 (`trainlm`'s min_grad). */
  minGrad?: number;
}

/** The problem: the residuals and their Jacobian at a parameter vector. */
export interface LeastSquaresProblem {
  /** Number of parameters n. */
  readonly n: number;
  /** The residuals e(p), length r (the same r every call). */
  residuals(p: Float64Array): Float64Array;
  /** The residuals and their Jacobian J[i * n + j] = d e_i / d p_j (row-major r x n). */
  residualsAndJacobian(p: Float64Array): { e: Float64Array; J: Float64Array };
}

/** Why a run ended. */
export type StopReason = 'epochs' | 'goal' | 'minGrad' | 'muMax' | 'stopped';

/** What one iteration reports to {@link levenbergMarquardt}'s `onIteration`. */
export interface IterationInfo {
  /** 1-based iteration count. */
  iteration: number;
  /** The cost sum e^2 after the iteration. */
  cost: number;
  /** mu after the iteration. */
  mu: number;
  /** |J^T e|_2 at the start of the iteration. */
  gradNorm: number;
  /** Whether a step was taken (false when mu passed muMax first). */
  accepted: boolean;
}

/** The result of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtResult {
  /** The final parameters (a new array). */
  params: Float64Array;
  /** The cost sum_i e_i^2 at `params`. */
  cost: number;
  /** Iterations run (Jacobian evaluations after the first). */
  iterations: number;
  /** The damping at the end. */
  mu: number;
  /** Why the run ended. */
  stopReason: StopReason;
}

const DEFAULTS = { mu: 0.001, muDec: 0.1, muInc: 10, muMax: 1e10, epochs: 1000, goal: 0, minGrad: 1e-7 };

const OPTION_KEYS = Object.keys(DEFAULTS);

/**
 * The options with defaults (`extraKeys`: further keys the caller handles, e.g. callbacks).
 * @throws TypeError for an unknown key or a non-number; RangeError naming the option out of range.
 */
export function resolveLevenbergMarquardtOptions(options: unknown, who: string, extraKeys: readonly string[] = []): Required<LevenbergMarquardtOptions> {
  const given = checkOptionKeys(who, options, [...OPTION_KEYS, ...extraKeys]);
  const get = <T>(key: keyof typeof DEFAULTS) => withDefault(given, key, DEFAULTS[key]) as T;
  const mu = positiveFinite(who, 'mu', get('mu'));
  const muDec = positiveFinite(who, 'muDec', get('muDec'));
  if (muDec >= 1) throw new RangeError(`${who}: muDec must be in (0, 1), got ${describe(muDec)}`);
  const muInc = positiveFinite(who, 'muInc', get('muInc'));
  if (muInc <= 1) throw new RangeError(`${who}: muInc must be a finite number > 1, got ${describe(muInc)}`);
  const muMax = positiveFinite(who, 'muMax', get('muMax'));
  if (muMax < mu) throw new RangeError(`${who}: muMax must be at least mu (${mu}), got ${describe(muMax)}`);
  return {
    mu, muDec, muInc, muMax, epochs: integerAtLeast(who, 'epochs', get('epochs'), 0),
    goal: nonNegativeFinite(who, 'goal', get('goal')), minGrad: nonNegativeFinite(who, 'minGrad', get('minGrad')),
  };
}

/** sum e_i^2. */
export function sumOfSquares(e: Float64Array): number {
  let s = 0;
  for (let i = 0; i < e.length; i++) s += e[i]! * e[i]!;
  return s;
}

/** J^T J (n x n, as an ml-matrix) and J^T e for a row-major r x n Jacobian. */
function normalEquations(J: Float64Array, e: Float64Array, n: number): { jtj: Matrix; jte: Float64Array } {
  const r = e.length, jtj = Matrix.zeros(n, n), jte = new Float64Array(n);
  for (let i = 0; i < r; i++) {
    const row = i * n, ei = e[i]!;
    for (let a = 0; a < n; a++) {
      const ja = J[row + a]!;
      if (ja === 0) continue;
      jte[a] += ja * ei;
      for (let b = a; b < n; b++) jtj.set(a, b, jtj.get(a, b) + ja * J[row + b]!);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) jtj.set(a, b, jtj.get(b, a));
  return { jtj, jte };
}

/** Solves (A + mu I) x = -g by Cholesky, or LU when the matrix is not positive definite; null when singular. */
function dampedStep(jtj: Matrix, g: Float64Array, mu: number): Float64Array | null {
  const n = g.length, a = jtj.clone();
  for (let i = 0; i < n; i++) a.set(i, i, a.get(i, i) + mu);
  const rhs = Matrix.columnVector(Array.from(g, (v) => -v));
  const chol = new CholeskyDecomposition(a);
  let x: Matrix;
  if (chol.isPositiveDefinite()) x = chol.solve(rhs);
  else {
    const lu = new LuDecomposition(a);
    if (lu.isSingular()) return null;
    x = lu.solve(rhs);
  }
  const dp = Float64Array.from(x.getColumn(0));
  return dp.every(Number.isFinite) ? dp : null;
}

/**
 * The iterations of {@link levenbergMarquardt} one at a time: yields after each iteration its
 * {@link IterationInfo} and the current parameters; the value passed to `next(stop)` ends the run
 * when true (stopReason 'stopped'); returns the result. For drivers that await between
 * iterations (training callbacks).
 * @throws as {@link levenbergMarquardt}.
 */
export function* levenbergMarquardtSteps(problem: LeastSquaresProblem, p0: ArrayLike<number>, options: LevenbergMarquardtOptions | Required<LevenbergMarquardtOptions> = {},
                                         who = 'levenbergMarquardt'): Generator<{ info: IterationInfo; params: Float64Array }, LevenbergMarquardtResult, boolean | void> {
  const o = resolveLevenbergMarquardtOptions(options, who);
  const n = problem.n;
  if (p0.length !== n) throw new RangeError(`${who}: p0 has ${p0.length} values, the problem has ${n} parameters`);
  let p = Float64Array.from(p0);
  let cost = sumOfSquares(problem.residuals(p));
  if (!Number.isFinite(cost)) throw new Error(`${who}: the residuals at the initial parameters are not finite (cost ${cost})`);
  let mu = o.mu, iterations = 0;
  let stopReason: StopReason = 'epochs';
  while (true) {
    if (cost <= o.goal) { stopReason = 'goal'; break; }
    if (iterations >= o.epochs) { stopReason = 'epochs'; break; }
    const { e, J } = problem.residualsAndJacobian(p);
    const { jtj, jte } = normalEquations(J, e, n);
    const gradNorm = Math.sqrt(sumOfSquares(jte));
    if (gradNorm < o.minGrad) { stopReason = 'minGrad'; break; }
    iterations++;
    let accepted = false;
    while (mu <= o.muMax) {
      const dp = dampedStep(jtj, jte, mu);
      if (dp) {
        const p2 = new Float64Array(n);
        for (let i = 0; i < n; i++) p2[i] = p[i]! + dp[i]!;
        const cost2 = sumOfSquares(problem.residuals(p2));
        if (cost2 < cost) {
          p = p2; cost = cost2; accepted = true;
          mu = Math.max(mu * o.muDec, 1e-20); // trainlm's floor
          break;
        }
      }
      mu *= o.muInc;
    }
    const stop = yield { info: { iteration: iterations, cost, mu, gradNorm, accepted }, params: p };
    if (!accepted) { stopReason = 'muMax'; break; }
    if (stop === true) { stopReason = 'stopped'; break; }
  }
  return { params: p, cost, iterations, mu, stopReason };
}

/**
 * Minimises sum_i e_i(p)^2 from p0 by Levenberg–Marquardt with `trainlm`'s damping schedule
 * (module comment). Each iteration evaluates the Jacobian once and the residuals once per tried
 * mu. Stops after `epochs` iterations, when the cost reaches `goal`, when |J^T e|_2 < minGrad,
 * when mu passes muMax (no mu lowered the cost), or when `onIteration` returns true.
 * @param p0 the initial parameters (length problem.n; not modified).
 * @throws TypeError / RangeError on a bad option, RangeError for a p0 of the wrong length; Error when the residuals at p0
 * are not finite.
 */
export function levenbergMarquardt(problem: LeastSquaresProblem, p0: ArrayLike<number>, options: LevenbergMarquardtOptions = {},
                                   onIteration?: (info: IterationInfo, params: Float64Array) => boolean | void): LevenbergMarquardtResult {
  const steps = levenbergMarquardtSteps(problem, p0, options);
  let step = steps.next();
  while (!step.done) step = steps.next(onIteration?.(step.value.info, step.value.params) === true);
  return step.value;
}
