/**
 * Generating text with a trained language model (Karpathy's char-rnn sampling loop): a twin of
 * the model whose recurrent layers are stateful and whose input is one token [1, 1] carries the
 * state from step to step, so each new token costs one step of each layer, not a pass over the
 * whole text so far. The twin shares nothing with the model: it is rebuilt from the config and
 * takes a copy of the weights; `resetStates()` starts every call from zero states.
 *
 * Expects a Sequential [batch, T] ids -> [batch, T, V] probabilities (Embedding first,
 * `returnSequences: true` recurrent layers, a softmax Dense), as `nabla example char-rnn` builds.
 */
import { sampleIndex, type SampleOptions } from '../data/text/sample.js';
import type { TextVectorization } from '../data/text/vocabulary.js';
import type { LayerConfig } from '../nn/layer.js';
import { RecurrentLayer } from '../nn/layers/recurrent-base.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { Sequential } from './sequential.js';

/** Options of {@link generateText}. */
export interface GenerateTextOptions extends SampleOptions {
  /** Tokens to generate. */
  length: number;
  /** Text the model reads first (its tokens are not repeated in the output). Default: '\n'. */
  prime?: string;
  /** Seed of the draws (Rng.derive(seed, 'sample')). Default 1. */
  seed?: number;
}

/**
 * A stateful one-step copy of `model` ([1, 1] ids in, [1, 1, V] out) with the model's weights.
 * @throws Error when the model is not built.
 */
export function statefulTwin(model: Sequential): Sequential {
  if (!model.built) throw new Error('statefulTwin: build or train the model first');
  const config = model.getConfig();
  const layers = config.layers.map((c, i): LayerConfig => {
    const out: LayerConfig = { ...c };
    if (i === 0) { delete out['inputLength']; out['inputShape'] = [1]; }
    if (model.layers[i] instanceof RecurrentLayer) out['stateful'] = true;
    return out;
  });
  const twin = Sequential.fromConfig({ ...config, layers });
  twin.build([1]);
  twin.setWeights(model.getWeights());
  return twin;
}

/** Zeroes the states of every stateful recurrent layer of `model`. */
export function resetModelStates(model: Sequential): void {
  for (const l of model.layers) if (l instanceof RecurrentLayer) l.resetStates();
}

/**
 * Generates `length` tokens after `prime`, one step at a time, drawing each with
 * {@link sampleIndex} (temperature, topK) from a seeded Rng; the same seed gives the same text.
 * Padding (id 0) and OOV (id 1) are never drawn.
 * @param twin a model from {@link statefulTwin} (its states are reset first).
 * @returns the generated text (without the prime).
 * @throws RangeError for a bad length or sampling option.
 */
export function generateText(twin: Sequential, vocab: TextVectorization, options: GenerateTextOptions): string {
  if (!Number.isInteger(options.length) || options.length < 0) throw new RangeError(`generateText: length must be a non-negative integer, got ${options.length}`);
  const rng = Rng.derive(options.seed ?? 1, 'sample');
  resetModelStates(twin);
  const x = new Tensor(new Float32Array(1), [1, 1]);
  const step = (id: number): Float32Array | Float64Array => { x.data[0] = id; return twin.predict(x).data as Float32Array | Float64Array; };
  const prime = vocab.encode(options.prime ?? '\n');
  let p = step(prime.length > 0 ? prime[0]! : 1);
  for (let i = 1; i < prime.length; i++) p = step(prime[i]!);
  const ids: number[] = [];
  for (let i = 0; i < options.length; i++) {
    const probs = Array.from(p);
    probs[0] = 0; if (probs.length > 1) probs[1] = 0; // never padding or OOV
    const id = sampleIndex(probs, rng, options);
    ids.push(id);
    if (i + 1 < options.length) p = step(id);
  }
  return vocab.decode(ids);
}
