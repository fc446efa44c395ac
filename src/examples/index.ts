/**
 * The course's worked examples, each a small program with a plot (`nabla example NAME`): the
 * registry the command line reads, and each example's `run` function for use from code.
 *
 * Examples live beside the library, not in it: they are not exported from the package root, so
 * `import { ... } from 'nabla'` never loads the charting libraries.
 */
import { charRnn } from './char-rnn.js';
import { backprop } from './backprop.js';
import { addingProblem } from './adding-problem.js';
import { classificationAsRegression } from './classification-as-regression.js';
import { gaussianClassifier } from './gaussian-classifier.js';
import { higham } from './higham.js';
import { learningSlowdown } from './learning-slowdown.js';
import { lwr } from './lwr.js';
import { nielsenCh1 } from './nielsen-ch1.js';
import { overfitting } from './overfitting.js';
import { pokemonCp } from './pokemon-cp.js';
import { rungeExample } from './runge.js';
import { sigmoidNeurons } from './sigmoid-neurons.js';

import { sineForecast } from './sine-forecast.js';
import { tanhConstruction } from './tanh-construction.js';
import type { Example } from './types.js';
import { xorGates } from './xor-gates.js';

export type { CommonOptions, Comparison, Example, ExampleCliOption, ExampleResult } from './types.js';
export { runXorGates, type XorGatesOptions } from './xor-gates.js';
export { runHigham, highamNetwork, type HighamOptions } from './higham.js';
export { runRunge, runge, barycentric, equispacedInterpolant, chebyshevInterpolant, type RungeOptions } from './runge.js';
export { runTanhConstruction, identityNetwork, cubeNetwork, TANH_THIRD_DERIVATIVE_AT_0, type TanhConstructionOptions } from './tanh-construction.js';
export { runPokemonCp, PUBLISHED as POKEMON_DEMO_PUBLISHED, type PokemonCpOptions } from './pokemon-cp.js';
export { runLwr, type LwrOptions } from './lwr.js';
export { runGaussianClassifier, type GaussianClassifierOptions } from './gaussian-classifier.js';
export { runHighamLm, type HighamLmOptions } from './higham-lm.js';
export { runClassificationAsRegression, makeClassificationData, type ClassificationAsRegressionOptions } from './classification-as-regression.js';
export { runCharRnn, resumeCharRnn, CHAR_RNN_FILE, type CharRnnOptions } from './char-rnn.js';
export { runNielsenCh1, nielsenChart, NIELSEN_BEST, NIELSEN_BOUND, type NielsenCh1Options } from './nielsen-ch1.js';
export { runSigmoidNeurons, sigmoidNeuron, SIGMOID_SCALES, type SigmoidNeuronsOptions } from './sigmoid-neurons.js';
export { runLearningSlowdown, trainNeuron, slowdownCost, SLOWDOWN_STARTS, type LearningSlowdownOptions } from './learning-slowdown.js';
export { runBackprop, backpropByHand, type BackpropOptions } from './backprop.js';
export { runOverfitting, nielsenCrossEntropy, OVERFITTING_PUBLISHED, type OverfittingOptions } from './overfitting.js';
export { runAddingProblem, addingBatch, ADDING_BASELINE, type AddingProblemOptions } from './adding-problem.js';
export { runSineForecast, sineSignal, noisySeries, SINE, type SineForecastOptions } from './sine-forecast.js';

/** Every example, in the order `nabla example --list` shows them. */
export const EXAMPLES: readonly Example[] = Object.freeze([
  xorGates, higham, rungeExample, tanhConstruction, pokemonCp, lwr, gaussianClassifier, nielsenCh1, classificationAsRegression,
  sigmoidNeurons, learningSlowdown, backprop, overfitting,
  addingProblem, sineForecast, charRnn,
]);

/** The example named `name`, or undefined. */
export function getExample(name: string): Example | undefined {
  return EXAMPLES.find((e) => e.name === name);
}
