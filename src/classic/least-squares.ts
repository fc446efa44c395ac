/**
 * The (weighted, ridge-penalised) linear least-squares solve behind {@link LinearRegression} and
 * {@link LocallyWeightedRegression}, through ml-matrix's SVD and QR decompositions. Internal to
 * `classic/` apart from {@link SingularSystemError} and {@link rankTolerance}.
 *
 * The problem, for rows x_i in R^p, targets y_i, weights c_i >= 0 (1 unless given), and lambda >= 0:
 *
 *   minimise  J(w, b) = sum_i c_i (y_i - w . x_i - b)^2 + lambda ||w||^2
 *
 * (b = 0 when there is no intercept). Setting dJ/db = 0 gives b = ybar - xbar . w with the
 * c-weighted means xbar, ybar, so the intercept is never penalised and w solves the centred
 * problem. That problem is written as ONE ordinary least-squares system and handed to a
 * decomposition, never through the normal equations X^T X w = X^T y, which would square the
 * condition number:
 *
 *   [ sqrt(C) (X - 1 xbar^T) D^-1 ]  v  ~=  [ sqrt(C) (y - ybar 1) ]      w = D^-1 v
 *   [ sqrt(lambda) D^-1           ]       [ 0                     ]
 *
 * D = diag of the centred columns' norms (1 for a zero column) equilibrates the columns, so the
 * rank decision below does not depend on the units of each feature. The ridge rows make the
 * system's normal equations (X~^T C X~ + lambda I) w = X~^T C y~, the closed form of CS229
 * lecture notes 1 with a penalty.
 */
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';

/**
 * Thrown when a least-squares or covariance system is singular or rank-deficient, so its
 * solution is not unique (or does not exist): the message says what was singular and suggests
 * the remedy (a ridge penalty, regularisation, dropping dependent columns).
 */
export class SingularSystemError extends Error {
  override readonly name = 'SingularSystemError';
  /** The numerical rank found (number of singular values above the tolerance). */
  readonly rank: number;
  /** The number of columns (unknowns) of the system. */
  readonly columns: number;

  /** @param message what was singular and the remedy; @param rank the numerical rank; @param columns the unknowns. */
  constructor(message: string, rank: number, columns: number) {
    super(message);
    this.rank = rank;
    this.columns = columns;
  }
}

/**
 * The rank tolerance nabla's classic models use: a singular value sigma_i counts as zero when
 * sigma_i <= sigma_max * max(rows, columns) * Number.EPSILON (2.22e-16). This is NumPy's
 * `matrix_rank` default and the cut-off of `numpy.linalg.lstsq` (rcond = eps max(M, N)).
 */
export function rankTolerance(sigmaMax: number, rows: number, columns: number): number {
  return sigmaMax * Math.max(rows, columns) * Number.EPSILON;
}

/** A least-squares problem (see the module comment for the objective). */
export interface LeastSquaresProblem {
  /** Who asks, for error messages ('LinearRegression.fit'). */
  owner: string;
  /** Inputs, row-major `[n, p]`. */
  x: Float64Array;
  n: number;
  p: number;
  /** Targets `[n]`. */
  y: Float64Array;
  /** Row weights c_i >= 0 (default all 1). */
  weights?: Float64Array;
  fitIntercept: boolean;
  /** lambda >= 0. */
  l2: number;
  solver: 'svd' | 'qr';
  /** Column names, for the rank-deficiency message. */
  featureNames?: readonly string[];
  /** What else would help (added to the rank-deficiency message). */
  hint?: string;
}

/** The minimiser of {@link LeastSquaresProblem}. */
export interface LeastSquaresSolution {
  coefficients: Float64Array;
  intercept: number;
  /** Singular values of the equilibrated (and ridge-augmented) system, descending. */
  singularValues: number[];
}

/**
 * Solves a {@link LeastSquaresProblem}.
 * @throws SingularSystemError when the equilibrated system's rank (by {@link rankTolerance}) is
 *   below p: a column is constant (with an intercept), repeats or combines others, or there are
 *   fewer (weighted) rows than unknowns. The message names the columns involved and suggests ridge.
 */
export function solveLeastSquares(problem: LeastSquaresProblem): LeastSquaresSolution {
  const { x, n, p, y, weights, fitIntercept, l2, solver } = problem;
  if (p === 0) throw new RangeError(`${problem.owner}: x has no features`);
  // Weighted means (the intercept's optimum b = ybar - xbar . w).
  const xbar = new Float64Array(p);
  let ybar = 0;
  if (fitIntercept) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = weights ? weights[i]! : 1;
      total += c;
      ybar += c * y[i]!;
      for (let j = 0; j < p; j++) xbar[j]! += c * x[i * p + j]!;
    }
    if (!(total > 0)) throw new SingularSystemError(`${problem.owner}: every sample has weight 0, so there is nothing to fit${problem.hint ? `; ${problem.hint}` : ''}`, 0, p);
    ybar /= total;
    for (let j = 0; j < p; j++) xbar[j]! /= total;
  }
  const rows = l2 > 0 ? n + p : n;
  const a = new Matrix(rows, p), b = new Matrix(rows, 1);
  for (let i = 0; i < n; i++) {
    const s = weights ? Math.sqrt(weights[i]!) : 1;
    for (let j = 0; j < p; j++) a.set(i, j, s * (x[i * p + j]! - xbar[j]!));
    b.set(i, 0, s * (y[i]! - ybar));
  }
  // Column equilibration D: unit-norm columns, so that sigma_min / sigma_max is unit-free.
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += a.get(i, j) ** 2;
    scale[j] = ss > 0 ? Math.sqrt(ss) : 1;
    for (let i = 0; i < n; i++) a.set(i, j, a.get(i, j) / scale[j]!);
  }
  if (l2 > 0) for (let j = 0; j < p; j++) a.set(n + j, j, Math.sqrt(l2) / scale[j]!);

  const svd = new SingularValueDecomposition(a, { computeLeftSingularVectors: solver === 'svd', computeRightSingularVectors: true, autoTranspose: true });
  const sigma = svd.diagonal;
  const tol = rankTolerance(sigma[0] ?? 0, rows, p);
  const rank = sigma.filter((s) => s > tol).length;
  if (rank < p) throw rankDeficient(problem, svd, rank, tol, rows);

  const v = solver === 'svd' ? svd.solve(b) : new QrDecomposition(a).solve(b);
  const coefficients = new Float64Array(p);
  let intercept = fitIntercept ? ybar : 0;
  for (let j = 0; j < p; j++) {
    coefficients[j] = v.get(j, 0) / scale[j]!;
    intercept -= xbar[j]! * coefficients[j]!;
  }
  return { coefficients, intercept, singularValues: sigma };
}

/** The error for a rank-deficient system, naming the columns that span its null space. */
function rankDeficient(problem: LeastSquaresProblem, svd: SingularValueDecomposition, rank: number, tol: number, rows: number): SingularSystemError {
  const { p, n, owner, l2 } = problem;
  const name = (j: number) => `'${problem.featureNames?.[j] ?? `x${j}`}'`;
  const v = svd.rightSingularVectors, sigma = svd.diagonal;
  const involved = new Set<number>();
  for (let k = 0; k < p; k++) {
    if ((sigma[k] ?? 0) > tol) continue;
    let big = 0;
    for (let j = 0; j < p; j++) big = Math.max(big, Math.abs(v.get(j, k)));
    for (let j = 0; j < p; j++) if (Math.abs(v.get(j, k)) >= 0.01 * big) involved.add(j);
  }
  const cols = [...involved].sort((i, j) => i - j).map(name).join(', ');
  const why = n < p && l2 === 0
    ? `there are ${n} samples for ${p} coefficients`
    : `columns ${cols} are (nearly) linearly dependent${problem.fitIntercept ? ' (a constant column duplicates the intercept)' : ''}`;
  const remedy = l2 > 0
    ? `l2 = ${l2} is too small to make it solvable at this scale: increase l2`
    : 'its minimiser is not unique: set l2 > 0 (ridge regression), or drop the dependent columns';
  return new SingularSystemError(
    `${owner}: the least-squares system is singular (rank ${rank} of ${p} after equilibration, tolerance sigma_max * max(${rows}, ${p}) * eps): ${why}; ${remedy}${problem.hint ? `; ${problem.hint}` : ''}`,
    rank, p);
}
