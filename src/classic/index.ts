/**
 * nabla's classic models, in float64 with linear algebra from ml-matrix: least squares and ridge
 * (CS229 lecture notes 1), polynomial features, locally weighted regression, Gaussian generative
 * classifiers (CS229 notes 2; Hung-yi Lee), logistic regression, the perceptron and a linear SVM.
 */
export { LinearRegression, rSquared } from './linear-regression.js';
export type { LinearRegressionOptions, LinearRegressionSolver } from './linear-regression.js';
export { PolynomialFeatures } from './polynomial-features.js';
export type { PolynomialFeaturesOptions } from './polynomial-features.js';
export { SingularSystemError, rankTolerance } from './least-squares.js';
export { LocallyWeightedRegression } from './locally-weighted-regression.js';
export type { LocallyWeightedRegressionOptions } from './locally-weighted-regression.js';
export { GaussianGenerativeClassifier } from './gaussian-generative-classifier.js';
export type { GaussianGenerativeClassifierOptions } from './gaussian-generative-classifier.js';
export { LogisticRegression } from './logistic-regression.js';
export type { LogisticRegressionOptions } from './logistic-regression.js';
export { Perceptron } from './perceptron.js';
export type { PerceptronOptions } from './perceptron.js';
export { LinearSVM } from './linear-svm.js';
export type { LinearSVMOptions } from './linear-svm.js';
export { fitLeastSquares } from './fit-least-squares.js';
export type { LeastSquaresModel, LeastSquaresFit } from './fit-least-squares.js';
