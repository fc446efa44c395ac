/**
 * gradCheck: backpropagation's gradients against central finite differences,
 *   dC/dw_i ~ (C(w + eps e_i) - C(w - eps e_i)) / (2 eps),
 * on a float64 copy of the model (its config and weights rebuilt with the js backend), as CS231n and
 * Nielsen ch. 2 ("the backpropagation algorithm ... check it numerically") recommend.
 *
 * Passes run in training mode (batch statistics for BatchNormalization); non-trainable state such as
 * the moving statistics is saved before and restored after every pass, so it stays frozen.
 *
 * relative error = |a - b| / max(|a| + |b|, floor) (floor 1e-8 unless given). Kinks are not hidden: relu at 0 and max-pool
 * ties give large errors, so test data must avoid them. Dropout in training mode (random) and 'step'
 * activations (zero gradient) are refused. The relative error means little for gradient entries near
 * 1e-7 and below, where the central difference's roundoff (about 1e-16 C / epsilon) is comparable
 * to the entry itself: `analytic` and `numeric` are returned so a reader can judge.
 */
import { withBackend, jsBackend } from '../kernels/index.js';
import { Rng } from '../tensor/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { Sequential } from './sequential.js';
import { lossSpecOf } from './custom-loss.js';
import { customLayerFromConfig, type CustomObjects, type LayerClass } from './custom-objects.js';
import { CustomLayer } from '../nn/custom-layer.js';
import { layerFromConfig } from '../nn/registry.js';

/** Options of the finite-difference gradient check ({@link gradCheck}). */
export interface GradCheckArgs {
  /** Finite-difference step. Default 1e-5. */
  epsilon?: number;
  /** Check at most this many entries per parameter tensor, chosen by a seeded draw. Default: all. */
  maxChecksPerParam?: number;
  /** Seed for choosing the entries. Default 0. */
  seed?: number;
  /**
   * The floor of the relative error's denominator: entries with |a| + |b| below it are compared
   * absolutely, error = |a - b| / floor. Default 1e-8. A deep or recurrent network has entries near
   * 1e-8 whose central difference is dominated by roundoff (about 1e-16 C / epsilon); a floor such
   * as 1e-4 checks those to 1e-10 absolute and every larger entry relatively.
   */
  floor?: number;
}

/** What the finite-difference gradient check returns. */
export interface GradCheckResult {
  /** The largest relative error over every checked entry. */
  maxRelativeError: number;
  /** Where it occurred: "dense_1/kernel[3]" (flat row-major index). */
  where: string;
  /** Backpropagation's and the finite difference's values there. */
  analytic: number;
  numeric: number;
  /** Number of entries checked. */
  checked: number;
  /** The largest error per parameter tensor. */
  perParam: Record<string, number>;
}

/**
 * Compares backprop's gradients with central differences on (x, y).
 * @throws Error when the model is not compiled, or has a layer that is `stochastic` (Dropout with rate > 0)
 *   or `blocksGradient` (a 'step' activation): the Layer's declared capabilities.
 */
export function gradCheck(model: Sequential, x: Tensor, y: Tensor, args: GradCheckArgs = {}): GradCheckResult {
  const epsilon = args.epsilon ?? 1e-5;
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new RangeError(`gradCheck: epsilon must be a finite positive number, got ${String(args.epsilon)}`);
  const floor = args.floor ?? 1e-8;
  if (!(floor > 0 && Number.isFinite(floor))) throw new RangeError(`gradCheck: floor must be a finite positive number, got ${String(args.floor)}`);
  if (!model.loss) throw new Error('gradCheck: compile the model first (the loss is part of what is checked)');
  for (const layer of model.layers) {
    if (layer.stochastic)
      throw new Error(`gradCheck: ${layer.describe()} draws random numbers in training mode (Dropout: random units dropped), so the loss is not a function of the weights; remove it (or set Dropout's rate to 0) to check gradients`);
    if (layer.blocksGradient) throw new Error(`gradCheck: ${layer.describe()} blocks the gradient (a 'step' activation: derivative 0 almost everywhere); there is no gradient to check`);
  }
  model.build(x.shape.slice(1));
  const weights = model.getWeights();
  const loss = lossSpecOf(model.loss);
  return withBackend(jsBackend, () => {
    const copy = float64Copy(model);
    copy.build(x.shape.slice(1));
    copy.setWeights(weights.map((w) => w.cast('float64')));
    copy.compile({ optimizer: 'sgd', loss });
    const x64 = x.cast('float64'), y64 = y.cast('float64');
    copy.prepareFit(x64, y64);
    // Non-trainable state (BatchNormalization's moving statistics) stays frozen: every pass in
    // training mode updates it, so it is restored to the model's values after each pass, and every
    // pass (and the copy's final state) sees exactly the model's state (docs/design.md).
    const state = copy.layers.flatMap((l) => l.stateTensors().map((s) => s.value.data));
    const frozen = state.map((d) => d.slice());
    const restoreState = (): void => { state.forEach((d, i) => d.set(frozen[i]!)); };
    copy.computeGradients(x64, y64);
    restoreState();
    const rng = new Rng(args.seed ?? 0);
    const result: GradCheckResult = { maxRelativeError: 0, where: '', analytic: 0, numeric: 0, checked: 0, perParam: {} };
    for (const p of copy.trainableParams()) {
      const analytic = p.grad.data.slice(), w = p.value.data;
      const n = w.length, limit = args.maxChecksPerParam ?? n;
      const indices = limit >= n ? Array.from({ length: n }, (_, i) => i) : Array.from(rng.permutation(n).subarray(0, limit));
      let worst = 0;
      for (const i of indices) {
        const saved = w[i]!;
        w[i] = saved + epsilon; const plus = copy.computeLoss(x64, y64, true); restoreState();
        w[i] = saved - epsilon; const minus = copy.computeLoss(x64, y64, true); restoreState();
        w[i] = saved;
        const numeric = (plus - minus) / (2 * epsilon), a = analytic[i]!;
        const rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
        worst = Math.max(worst, rel);
        result.checked++;
        if (rel > result.maxRelativeError || result.where === '') Object.assign(result, { maxRelativeError: rel, where: `${p.name}[${i}]`, analytic: a, numeric });
      }
      result.perParam[p.name] = worst;
    }
    copy.dispose();
    return result;
  });
}

/**
 * The model rebuilt from its config in float64. A CustomLayer is rebuilt from its own class
 * (its constructor called with its getConfig() options, as loadModel's customObjects does), so
 * gradCheck needs no registerLayer; other layers come from the registry.
 */
function float64Copy(model: Sequential): Sequential {
  const own: CustomObjects = {};
  for (const l of model.layers) if (l instanceof CustomLayer) own[l.className] = l.constructor as LayerClass;
  const config = model.getConfig();
  const layers = config.layers.map((c) => {
    const c64 = { ...c, dtype: 'float64' as const };
    return customLayerFromConfig(c64, own) ?? layerFromConfig(c64);
  });
  return new Sequential(layers, { name: config.name, seed: config.seed });
}
