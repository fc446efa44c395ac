/**
 * The catalogue of the course's worked examples: for each command-line name, what `nabla example
 * --list` shows (a title, the source it follows, how long it runs), in the order it shows them.
 * One table for all of them (the examples' own files hold their options and their run);
 * {@link defineExample} reads an example's row by its name.
 */

/** One example's catalogue row. */
export interface ExampleAbout {
  /** What it shows, in one line. */
  readonly title: string;
  /** The course notes, paper or lecture it follows. */
  readonly source: string;
  /** How long `nabla example NAME` runs with its defaults. */
  readonly duration: string;
}

/** Every example's row, in `nabla example --list` order. */
export const EXAMPLE_CATALOG: Readonly<Record<string, ExampleAbout>> = Object.freeze({
  'xor-gates': {
    title: 'perceptrons computing NAND, AND, OR, NOT; XOR needs a hidden layer',
    source: 'Nielsen ch. 1; Rosenblatt / CS229 notes 1',
    duration: '2 s',
  },
  'higham': {
    title: 'a 2-2-3-2 sigmoid network classifies 10 points by stochastic gradient, 10^6 steps',
    source: 'Higham & Higham, SIAM Review 2019 (netbp.m)',
    duration: '15 s',
  },
  'runge': {
    title: 'a tanh network learns 1/(1+25x^2); equispaced interpolation diverges (Runge)',
    source: 'Runge 1901; Hung-yi Lee\'s course',
    duration: '5 s',
  },
  'tanh-construction': {
    title: 'tanh units approximating x and x^3 with O(h^2) error (float64)',
    source: 'the course notes\' approximation construction',
    duration: '1 s',
  },
  'pokemon-cp': {
    title: 'Pokémon CP regression: the 10-point demo, Adagrad, degrees 1-5, ridge',
    source: 'Hung-yi Lee, ML lecture "Regression"; OpenIntro data',
    duration: '2 s',
  },
  'lwr': {
    title: 'locally weighted regression of diabetes progression on BMI for several tau',
    source: 'CS229 notes 1 section 4; Efron et al. 2004 data',
    duration: '3 s',
  },
  'gaussian-classifier': {
    title: 'Gaussian generative classifiers (shared / per-class covariance) vs logistic regression',
    source: 'CS229 notes 2; Hung-yi Lee, "Classification"',
    duration: '3 s',
  },
  'nielsen-ch1': {
    title: 'MNIST with a 784-30-10 sigmoid network, quadratic cost, SGD eta 3.0 (the book\'s 95.42%)',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 1',
    duration: '3.5 min on the js backend, several times less on wasm; --hidden 100: 8 min on js',
  },
  'classification-as-regression': {
    title: 'least squares on +1/-1 targets against logistic regression, the perceptron and the generative classifier: the 0/1 loss',
    source: 'Hung-yi Lee, ML 2017, "Classification" (Classification as Regression?)',
    duration: '2 s',
  },
  'sigmoid-neurons': {
    title: 'Sigmoid neurons as smoothed perceptrons: sigmoid(c z) tends to the step as the weights scale',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 1',
    duration: 'under a second',
  },
  'learning-slowdown': {
    title: 'One sigmoid neuron, quadratic cost against cross-entropy: the slow start from w = 2, b = 2',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 3',
    duration: 'under a second',
  },
  'backprop': {
    title: 'BP1-BP4 by hand, the backward pass, J_theta^T e and finite differences on Higham & Higham\'s network',
    source: 'Nielsen ch. 2; Higham & Higham 2019, §5; CMU 10-707 (the Jacobian)',
    duration: 'under a second',
  },
  'overfitting': {
    title: 'Overfitting on 1,000 MNIST images: no regularisation, L2 (lambda 0.1) and dropout (the book\'s 82.27%)',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 3',
    duration: 'about 10 min on wasm for 400 epochs (3 runs)',
  },
  'adding-problem': {
    title: 'The adding problem: SimpleRNN against LSTM on sequences of growing length (the vanishing gradient)',
    source: 'Hochreiter & Schmidhuber, Long short-term memory (1997); Nielsen ch. 5',
    duration: '2.5 min on wasm on an idle 2-core machine, 9 min on a busy one (NABLA_QUICK=1: seconds)',
  },
  'sine-forecast': {
    title: 'A GRU forecasting a noisy periodic series, against "repeat the last period"',
    source: 'Cho et al. (2014); Hyndman & Athanasopoulos, Forecasting: Principles and Practice, 5.2',
    duration: '35 s on wasm (NABLA_QUICK=1: seconds)',
  },
  'char-rnn': {
    title: 'A character LSTM writes Shakespeare (Tiny Shakespeare, val nats/char)',
    source: 'Karpathy 2015, char-rnn',
    duration: '10 min (NABLA_QUICK=1: seconds)',
  },
});
