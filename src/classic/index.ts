/**
 * nabla's classic models, in float64 with linear algebra from ml-matrix: least squares and ridge
 * (CS229 lecture notes 1), polynomial features, locally weighted regression, Gaussian generative
 * classifiers (CS229 notes 2; Hung-yi Lee), logistic regression, the perceptron and a linear SVM.
 */
export * from './linear-regression.js';
export * from './polynomial-features.js';
export { SingularSystemError, rankTolerance } from './least-squares.js';
export * from './locally-weighted-regression.js';
export * from './gaussian-generative-classifier.js';
export * from './logistic-regression.js';
export * from './perceptron.js';
export * from './linear-svm.js';
export * from './fit-least-squares.js';
