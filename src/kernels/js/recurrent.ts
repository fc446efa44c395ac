/**
 * Reference kernels of the recurrent layers (Backend.rnnStep*, lstmStep*, gruStep*, and the
 * sequence helpers scatterAddRows, rowMask, scaleRows): one fused pass per time step over a batch
 * of `rows` sequences and `units` units. Activations are the registry's elementwise entries
 * (src/kernels/activation-registry.ts), evaluated in float64; every value a later formula reads is
 * first stored in its output array, so float32 results are rounded exactly where the arrays round.
 * The formulas are documented on the Backend interface (src/kernels/backend.ts).
 */
import { ACTIVATION_DEFS, type ActivationName, type ElementwiseActivation } from '../activation-registry.js';

type Arr = Float32Array | Float64Array;

/** The registry entry of an elementwise activation, with its default alpha. @throws Error for softmax. */
function elementwise(name: ActivationName, who: string): { f: ElementwiseActivation; alpha: number } {
  const d = ACTIVATION_DEFS[name];
  if (!d || d.shape !== 'elementwise') throw new Error(`${who}: activation '${name}' must be elementwise (softmax is not)`);
  return { f: d, alpha: d.alpha?.default ?? 0 };
}

/**
 * The one loop of every cell kernel: body(o, g, on) for each row r < rows and unit j < units, in
 * that order, where o = r units + j indexes the state arrays, g = r blocks units + j indexes the
 * first gate block of z (block b is at g + b units) and `on` is false for a masked row.
 */
function eachUnit(rows: number, units: number, blocks: number, mask: Arr | null, body: (o: number, g: number, on: boolean) => void): void {
  for (let r = 0; r < rows; r++) {
    const on = mask === null || mask[r] !== 0;
    for (let j = 0; j < units; j++) body(r * units + j, r * blocks * units + j, on);
  }
}

/** h = mask ? act(z) : hPrev, per row; z, hPrev, h are rows x units. */
export function rnnStepForward(z: Arr, hPrev: Arr, mask: Arr | null, rows: number, units: number, activation: ActivationName, h: Arr): void {
  const { f, alpha } = elementwise(activation, 'rnnStepForward');
  eachUnit(rows, units, 1, mask, (o, _g, on) => { h[o] = on ? f.forward(z[o]!, alpha) : hPrev[o]!; });
}

/** dh_t = dh + dy; unmasked: dz = act'(z) dh_t, dh = 0; masked: dz = 0, dh = dh_t (carried). */
export function rnnStepBackward(z: Arr, h: Arr, mask: Arr | null, dy: Arr | null, dh: Arr, rows: number, units: number,
                                activation: ActivationName, dz: Arr): void {
  const { f, alpha } = elementwise(activation, 'rnnStepBackward');
  eachUnit(rows, units, 1, mask, (o, _g, on) => {
    dh[o] = dh[o]! + (dy === null ? 0 : dy[o]!);
    if (on) { dz[o] = f.backward(dh[o]!, z[o]!, h[o]!, alpha); dh[o] = 0; } else dz[o] = 0;
  });
}

/** The LSTM cell, one step (Backend.lstmStepForward): gates i, f, c, o in z's column blocks. */
export function lstmStepForward(z: Arr, cPrev: Arr, hPrev: Arr, mask: Arr | null, rows: number, units: number,
                                activation: ActivationName, recurrentActivation: ActivationName, gates: Arr, c: Arr, h: Arr): void {
  const a = elementwise(activation, 'lstmStepForward'), ra = elementwise(recurrentActivation, 'lstmStepForward');
  eachUnit(rows, units, 4, mask, (o, gi, on) => {
    const gf = gi + units, gc = gf + units, go = gc + units;
    gates[gi] = ra.f.forward(z[gi]!, ra.alpha); gates[gf] = ra.f.forward(z[gf]!, ra.alpha);
    gates[gc] = a.f.forward(z[gc]!, a.alpha); gates[go] = ra.f.forward(z[go]!, ra.alpha);
    if (on) {
      c[o] = gates[gf]! * cPrev[o]! + gates[gi]! * gates[gc]!;
      h[o] = gates[go]! * a.f.forward(c[o]!, a.alpha);
    } else { c[o] = cPrev[o]!; h[o] = hPrev[o]!; }
  });
}

/** The LSTM cell's gradient, one step (Backend.lstmStepBackward). dh and dc are updated in place. */
export function lstmStepBackward(z: Arr, gates: Arr, cPrev: Arr, c: Arr, mask: Arr | null, dy: Arr | null, dh: Arr, dc: Arr,
                                 rows: number, units: number, activation: ActivationName, recurrentActivation: ActivationName, dz: Arr): void {
  const a = elementwise(activation, 'lstmStepBackward'), ra = elementwise(recurrentActivation, 'lstmStepBackward');
  eachUnit(rows, units, 4, mask, (o, gi, on) => {
    const gf = gi + units, gc = gf + units, go = gc + units;
    const dht = dh[o]! + (dy === null ? 0 : dy[o]!);
    if (!on) { dz[gi] = 0; dz[gf] = 0; dz[gc] = 0; dz[go] = 0; dh[o] = dht; return; }
    const i = gates[gi]!, f = gates[gf]!, g = gates[gc]!, og = gates[go]!, cv = c[o]!;
    const ac = a.f.forward(cv, a.alpha);
    const dct = dc[o]! + a.f.backward(dht * og, cv, ac, a.alpha);
    dz[gi] = ra.f.backward(dct * g, z[gi]!, i, ra.alpha);
    dz[gf] = ra.f.backward(dct * cPrev[o]!, z[gf]!, f, ra.alpha);
    dz[gc] = a.f.backward(dct * i, z[gc]!, g, a.alpha);
    dz[go] = ra.f.backward(dht * ac, z[go]!, og, ra.alpha);
    dc[o] = dct * f;
    dh[o] = 0;
  });
}

/**
 * The GRU cell, one step (Backend.gruStepForward): reset after the recurrent product when `hzh` is
 * null, else before it (`hzh`'s h block holds (r hPrev) U_h, added as it is).
 */
export function gruStepForward(xz: Arr, hz: Arr, hzh: Arr | null, hPrev: Arr, mask: Arr | null, rows: number, units: number,
                               activation: ActivationName, recurrentActivation: ActivationName, pre: Arr, gates: Arr, h: Arr): void {
  const a = elementwise(activation, 'gruStepForward'), ra = elementwise(recurrentActivation, 'gruStepForward');
  eachUnit(rows, units, 3, mask, (o, gz, on) => {
    const gr = gz + units, gh = gr + units;
    pre[gz] = xz[gz]! + hz[gz]!; pre[gr] = xz[gr]! + hz[gr]!;
    gates[gz] = ra.f.forward(pre[gz]!, ra.alpha); gates[gr] = ra.f.forward(pre[gr]!, ra.alpha);
    pre[gh] = hzh === null ? xz[gh]! + gates[gr]! * hz[gh]! : xz[gh]! + hzh[gh]!;
    gates[gh] = a.f.forward(pre[gh]!, a.alpha);
    h[o] = on ? gates[gz]! * hPrev[o]! + (1 - gates[gz]!) * gates[gh]! : hPrev[o]!;
  });
}

/** rh = sigma(xz_r + hz_r) hPrev (rows x u): the reset-before GRU's input to its candidate's product (Backend.gruResetGate). */
export function gruResetGate(xz: Arr, hz: Arr, hPrev: Arr, rows: number, units: number, recurrentActivation: ActivationName, rh: Arr): void {
  const ra = elementwise(recurrentActivation, 'gruResetGate');
  eachUnit(rows, units, 3, null, (o, gz) => { rh[o] = ra.f.forward(xz[gz + units]! + hz[gz + units]!, ra.alpha) * hPrev[o]!; });
}

/**
 * The GRU cell's gradient, one step (Backend.gruStepBackward). dh is updated in place. With
 * `hz` null (reset before), dxz's r block and the r-dependent terms are left to gruResetGateBackward
 * and dhz receives (0, 0, dpre_h).
 */
export function gruStepBackward(pre: Arr, gates: Arr, hz: Arr | null, hPrev: Arr, mask: Arr | null, dy: Arr | null, dh: Arr,
                                rows: number, units: number, activation: ActivationName, recurrentActivation: ActivationName,
                                dxz: Arr, dhz: Arr): void {
  const a = elementwise(activation, 'gruStepBackward'), ra = elementwise(recurrentActivation, 'gruStepBackward');
  eachUnit(rows, units, 3, mask, (o, gz, on) => {
    const gr = gz + units, gh = gr + units;
    const dht = dh[o]! + (dy === null ? 0 : dy[o]!);
    if (!on) { dxz[gz] = dhz[gz] = dxz[gr] = dhz[gr] = dxz[gh] = dhz[gh] = 0; dh[o] = dht; return; }
    const zg = gates[gz]!, rg = gates[gr]!, hh = gates[gh]!;
    const dph = a.f.backward(dht * (1 - zg), pre[gh]!, hh, a.alpha);
    const dpz = ra.f.backward(dht * (hPrev[o]! - hh), pre[gz]!, zg, ra.alpha);
    dxz[gz] = dpz; dxz[gh] = dph;
    if (hz === null) { dhz[gz] = 0; dhz[gr] = 0; dhz[gh] = dph; dxz[gr] = 0; }
    else { dhz[gz] = dpz; dxz[gr] = dhz[gr] = ra.f.backward(dph * hz[gh]!, pre[gr]!, rg, ra.alpha); dhz[gh] = dph * rg; }
    dh[o] = dht * zg;
  });
}

/**
 * The reset-before GRU's second backward pass (Backend.gruResetGateBackward), after
 * drh = (0, 0, dpre_h) U^T: dpre_r = sigma'(pre_r) drh hPrev -> dxz's r block; dh += drh r;
 * dhzr = (dpre_z, dpre_r, 0) for the recurrent kernel's z and r blocks. Masked rows: dhzr = 0.
 */
export function gruResetGateBackward(pre: Arr, gates: Arr, hPrev: Arr, mask: Arr | null, drh: Arr, rows: number, units: number,
                                     recurrentActivation: ActivationName, dxz: Arr, dh: Arr, dhzr: Arr): void {
  const ra = elementwise(recurrentActivation, 'gruResetGateBackward');
  eachUnit(rows, units, 3, mask, (o, gz, on) => {
    const gr = gz + units, gh = gr + units;
    if (!on) { dhzr[gz] = dhzr[gr] = dhzr[gh] = 0; return; }
    dxz[gr] = ra.f.backward(drh[o]! * hPrev[o]!, pre[gr]!, gates[gr]!, ra.alpha);
    dh[o] = dh[o]! + drh[o]! * gates[gr]!;
    dhzr[gz] = dxz[gz]!; dhzr[gr] = dxz[gr]!; dhzr[gh] = 0;
  });
}

/** dst row indices[j] += src row j, for j < count (rows of `cols` numbers): the adjoint of gatherRows. */
export function scatterAddRows(src: Arr, cols: number, indices: Uint32Array, count: number, dst: Arr): void {
  for (let j = 0; j < count; j++) {
    const d = indices[j]! * cols, s = j * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = dst[d + c]! + src[s + c]!;
  }
}

/** mask[r] = 1 when some x[r, c] differs from `value`, else 0 (Keras Masking's compute_mask). */
export function rowMask(x: Arr, rows: number, cols: number, value: number, mask: Arr): void {
  for (let r = 0; r < rows; r++) {
    let any = 0;
    for (let c = 0, o = r * cols; c < cols; c++, o++) if (x[o] !== value) { any = 1; break; }
    mask[r] = any;
  }
}

/** out[r, c] = x[r, c] s[r] (rows x cols); out may alias x. */
export function scaleRows(x: Arr, s: Arr, rows: number, cols: number, out: Arr): void {
  for (let r = 0; r < rows; r++) {
    const v = s[r]!;
    for (let c = 0, o = r * cols; c < cols; c++, o++) out[o] = x[o]! * v;
  }
}
