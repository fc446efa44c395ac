/**
 * Scalar float64 special functions for the reference kernels and the activation registry:
 * the logistic sigmoid, softplus, and the error function (erf, erfc, the normal CDF Phi).
 * JavaScript's Math has no erf, so it is computed here (W. J. Cody's rational approximations).
 */

/** sigma(z) = 1 / (1 + e^-z), evaluated without overflow for either sign of z. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** softplus(x) = log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
// 631-637, as in his CALERF routine (netlib specfun, 1990): near-minimax rational functions
// good to at least 18 significant digits, so in float64 erf/erfc are correct to a few ulp
// (checked against C's erf/erfc in test/kernels/scalar-math.test.ts, relative error < 1e-15).
const A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const C = [5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2,
  8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8];
const D = [1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3];
const P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2];
const Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
const SQRT_PI_INV = 0.56418958354775628695; // 1 / sqrt(pi)

/** erf(x) for |x| <= 0.46875 (Cody's first interval). */
function erfSmall(x: number): number {
  const ysq = x * x;
  let num = A[4]! * ysq, den = ysq;
  for (let i = 0; i < 3; i++) { num = (num + A[i]!) * ysq; den = (den + B[i]!) * ysq; }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** erfc(y) for y > 0.46875 (Cody's second and third intervals); e^{-y^2} split to keep its accuracy. */
function erfcLarge(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = C[8]! * y, den = y;
    for (let i = 0; i < 7; i++) { num = (num + C[i]!) * y; den = (den + D[i]!) * y; }
    r = (num + C[7]!) / (den + D[7]!);
  } else {
    if (y >= 26.543) return 0; // erfc underflows (Cody's XBIG for IEEE double)
    const ysq = 1 / (y * y);
    let num = P[5]! * ysq, den = ysq;
    for (let i = 0; i < 4; i++) { num = (num + P[i]!) * ysq; den = (den + Q[i]!) * ysq; }
    r = (SQRT_PI_INV - (ysq * (num + P[4]!)) / (den + Q[4]!)) / y;
  }
  // e^{-y^2} = e^{-s^2} e^{-(y - s)(y + s)} with s = y rounded down to 1/16: s^2 is exact.
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * r;
}

/** The error function erf(x) = (2 / sqrt(pi)) int_0^x e^{-t^2} dt (Cody 1969). NaN gives NaN. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = (0.5 - erfcLarge(y)) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in relative terms for large x (Cody 1969). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (Number.isNaN(x)) return x;
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

/** The standard normal CDF Phi(x) = erfc(-x / sqrt(2)) / 2 (no cancellation in the lower tail). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** The standard normal density phi(x) = e^{-x^2 / 2} / sqrt(2 pi). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) * 0.3989422804014327;
}
