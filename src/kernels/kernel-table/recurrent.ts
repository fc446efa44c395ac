/**
 * The kernel table's rows for the recurrent layers (src/kernels/kernel-table.ts
 * describes a row and assembles the table).
 */
import { buf, u32buf, count, num, activation, ROWS_COLS, type KernelSection } from '../kernel-row.js';

/**
 * A recurrent cell's activations as wasm ids (undefined, so js, for softmax), and the one alpha the
 * wasm cell takes (the registry default of whichever activation has one: leakyRelu 0.3, elu 1). A
 * cell whose two activations both take an alpha, with different defaults (leakyRelu with elu),
 * runs on the js reference, which gives each its own.
 */
const RNN_ACT = "act = ACTIVATION_DEFS[activation].shape === 'elementwise' ? ACTIVATION_KIND[activation] : undefined";
const RNN_RACT = "ract = ACTIVATION_DEFS[recurrentActivation].shape === 'elementwise' ? ACTIVATION_KIND[recurrentActivation] : undefined";
const RNN_RALPHA = 'alpha = ACTIVATION_DEFS[recurrentActivation].alpha?.default ?? 0';
const RNN_ALPHA1 = 'alpha = ACTIVATION_DEFS[activation].alpha?.default ?? 0';
const RNN_ALPHA2 = 'alpha = ACTIVATION_DEFS[activation].alpha?.default ?? ACTIVATION_DEFS[recurrentActivation].alpha?.default ?? 0';
const RNN_ONE_ALPHA = 'oneAlpha = (ACTIVATION_DEFS[activation].alpha ?? ACTIVATION_DEFS[recurrentActivation].alpha)?.default === (ACTIVATION_DEFS[recurrentActivation].alpha ?? ACTIVATION_DEFS[activation].alpha)?.default';
const RNN_LET2 = ['n = rows * units', RNN_ACT, RNN_RACT, RNN_ALPHA2, RNN_ONE_ALPHA];
const RNN_JS2 = 'act === undefined || ract === undefined || !oneAlpha';
// n = rows units; G u columns per gate block
/** The recurrent cells (SimpleRNN, LSTM, GRU) and the sequence helpers. */
export const RECURRENT: KernelSection = { title: 'recurrent layers: one fused pass per time step (rows = batch, u = units)', notes: [
  "Masks hold 1 (step present) or 0 (padding) per row; a null mask means every row is present.",
  "A masked row carries its state unchanged (h = hPrev, c = cPrev) and gets no gradient (its dz",
  "rows are 0; the incoming dh passes through to the previous step), as Keras's `mask` argument.",
], rows: [
  { name: 'rnnStepForward', file: 'recurrent',
    doc: `
      SimpleRNN's step: h = act(z) where z = x W + b + hPrev U (rows x u, computed by gemms).
      \`h\` is overwritten; it may not alias z or hPrev.`,
    args: [buf('z', 'n'), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }), count('rows'), count('units'), activation('activation'), buf('h', 'n', 'out')],
    wasm: { let: ['n = rows * units', RNN_ACT, RNN_ALPHA1], jsIf: 'act === undefined', call: ['z', 'hPrev', 'mask', 'rows', 'units', 'act', 'alpha', 'h'] } },
  { name: 'rnnStepBackward', file: 'recurrent',
    doc: `
      SimpleRNN's step gradient. dh_t = dh + dy (dy may be null: no output gradient at this step);
      present rows: dz = act'(z) dh_t and dh = 0 (the caller then adds dz U^T); masked rows: dz = 0
      and dh = dh_t. \`dh\` is updated in place; \`dz\` overwritten.`,
    args: [buf('z', 'n'), buf('h', 'n'), buf('mask', 'rows', 'in', { nullable: true }), buf('dy', 'n', 'in', { nullable: true }), buf('dh', 'n', 'inout'),
      count('rows'), count('units'), activation('activation'), buf('dz', 'n', 'out')],
    wasm: { let: ['n = rows * units', RNN_ACT, RNN_ALPHA1], jsIf: 'act === undefined', call: ['z', 'h', 'mask', 'dy', 'dh', 'rows', 'units', 'act', 'alpha', 'dz'] } },
  { name: 'lstmStepForward', file: 'recurrent',
    doc: `
      The LSTM cell (Hochreiter & Schmidhuber 1997 with the forget gate of Gers et al. 2000), Keras
      layout: z = x W + b + hPrev U is rows x 4u with column blocks i, f, c, o. With sigma the
      recurrent activation and act the activation:
        i = sigma(z_i), f = sigma(z_f), g = act(z_c), o = sigma(z_o) -> \`gates\` (same layout as z);
        c = f cPrev + i g,  h = o act(c) -> \`c\`, \`h\` (rows x u).
      Outputs are overwritten and may not alias inputs.`,
    args: [buf('z', '4 * n'), buf('cPrev', 'n'), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }), count('rows'), count('units'),
      activation('activation'), activation('recurrentActivation'), buf('gates', '4 * n', 'out'), buf('c', 'n', 'out'), buf('h', 'n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['z', 'cPrev', 'hPrev', 'mask', 'rows', 'units', 'act', 'ract', 'alpha', 'gates', 'c', 'h'] } },
  { name: 'lstmStepBackward', file: 'recurrent',
    doc: `
      The LSTM cell's gradient, given z, gates, cPrev and c from the forward step. With
      dh_t = dh + dy (dy may be null) and dc the gradient reaching c from the next step:
        dc_t = dc + act'(c) o dh_t;  dz_i = sigma'(z_i) dc_t g,  dz_f = sigma'(z_f) dc_t cPrev,
        dz_c = act'(z_c) dc_t i,  dz_o = sigma'(z_o) dh_t act(c);  dc = dc_t f,  dh = 0
      (the caller then adds dz U^T to dh). \`dh\`, \`dc\` are updated in place; \`dz\` (rows x 4u) overwritten.`,
    args: [buf('z', '4 * n'), buf('gates', '4 * n'), buf('cPrev', 'n'), buf('c', 'n'), buf('mask', 'rows', 'in', { nullable: true }), buf('dy', 'n', 'in', { nullable: true }),
      buf('dh', 'n', 'inout'), buf('dc', 'n', 'inout'), count('rows'), count('units'), activation('activation'), activation('recurrentActivation'), buf('dz', '4 * n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['z', 'gates', 'cPrev', 'c', 'mask', 'dy', 'dh', 'dc', 'rows', 'units', 'act', 'ract', 'alpha', 'dz'] } },
  // hzh given (forward) / hz null (backward): the reset-before GRU, with gruResetGate / gruResetGateBackward.
  { name: 'gruStepForward', file: 'recurrent',
    doc: `
      The GRU cell (Cho et al. 2014), column blocks z, r, h, with xz = x W + b_in and
      hz = hPrev U + b_rec (rows x 3u each). With \`hzh\` null the reset gate acts after the recurrent
      product (Keras 2 \`resetAfter: true\`, cuDNN, PyTorch):
        z = sigma(xz_z + hz_z), r = sigma(xz_r + hz_r), hh = act(xz_h + r hz_h);
      with \`hzh\` given (Keras \`resetAfter: false\`), its h block holds (r hPrev) U_h (see
      gruResetGate) and hh = act(xz_h + hzh_h). Then h = z hPrev + (1 - z) hh. The gates (z, r, hh)
      go to \`gates\`, their pre-activations to \`pre\`.`,
    args: [buf('xz', '3 * n'), buf('hz', '3 * n'), buf('hzh', '3 * n', 'in', { nullable: true }), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }),
      count('rows'), count('units'), activation('activation'), activation('recurrentActivation'), buf('pre', '3 * n', 'out'), buf('gates', '3 * n', 'out'), buf('h', 'n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['xz', 'hz', 'hzh', 'hPrev', 'mask', 'rows', 'units', 'act', 'ract', 'alpha', 'pre', 'gates', 'h'] } },
  { name: 'gruResetGate', file: 'recurrent',
    doc: `rh = sigma(xz_r + hz_r) hPrev (rows x u), the reset-before GRU's r hPrev; \`rh\` overwritten.`,
    args: [buf('xz', 'rows * units * 3'), buf('hz', 'rows * units * 3'), buf('hPrev', 'rows * units'), count('rows'), count('units'), activation('recurrentActivation'), buf('rh', 'rows * units', 'out')],
    wasm: { let: [RNN_RACT, RNN_RALPHA], jsIf: 'ract === undefined', call: ['xz', 'hz', 'hPrev', 'rows', 'units', 'ract', 'alpha', 'rh'] } },
  { name: 'gruStepBackward', file: 'recurrent',
    doc: `
      The GRU cell's gradient. With dh_t = dh + dy: dpre_h = act'(pre_h) dh_t (1 - z),
      dpre_z = sigma'(pre_z) dh_t (hPrev - hh), dh = dh_t z (then the caller adds dhz U^T).
      Reset after (\`hz\` given): dpre_r = sigma'(pre_r) dpre_h hz_h, dxz = (dpre_z, dpre_r, dpre_h),
      dhz = (dpre_z, dpre_r, dpre_h r). Reset before (\`hz\` null): dxz = (dpre_z, 0, dpre_h) and
      dhz = (0, 0, dpre_h); gruResetGateBackward completes them. \`dh\` updated in place; \`dxz\`,
      \`dhz\` (rows x 3u) overwritten.`,
    args: [buf('pre', '3 * n'), buf('gates', '3 * n'), buf('hz', '3 * n', 'in', { nullable: true }), buf('hPrev', 'n'), buf('mask', 'rows', 'in', { nullable: true }),
      buf('dy', 'n', 'in', { nullable: true }), buf('dh', 'n', 'inout'), count('rows'), count('units'), activation('activation'), activation('recurrentActivation'),
      buf('dxz', '3 * n', 'out'), buf('dhz', '3 * n', 'out')],
    wasm: { let: RNN_LET2, jsIf: RNN_JS2,
      call: ['pre', 'gates', 'hz', 'hPrev', 'mask', 'dy', 'dh', 'rows', 'units', 'act', 'ract', 'alpha', 'dxz', 'dhz'] } },
  { name: 'gruResetGateBackward', file: 'recurrent',
    doc: `
      The reset-before GRU's second backward pass, given drh = dC/d(r hPrev) = (0, 0, dpre_h) U^T:
      dpre_r = sigma'(pre_r) drh hPrev (written into dxz's r block), dh += drh r, and
      dhzr = (dpre_z, dpre_r, 0) (rows x 3u, overwritten; 0 on masked rows).`,
    args: [buf('pre', 'rows * units * 3'), buf('gates', 'rows * units * 3'), buf('hPrev', 'rows * units'), buf('mask', 'rows', 'in', { nullable: true }), buf('drh', 'rows * units'),
      count('rows'), count('units'), activation('recurrentActivation'), buf('dxz', 'rows * units * 3', 'inout'), buf('dh', 'rows * units', 'inout'), buf('dhzr', 'rows * units * 3', 'out')],
    wasm: { let: [RNN_RACT, RNN_RALPHA], jsIf: 'ract === undefined', call: ['pre', 'gates', 'hPrev', 'mask', 'drh', 'rows', 'units', 'ract', 'alpha', 'dxz', 'dh', 'dhzr'] } },
  { name: 'scatterAddRows', file: 'recurrent',
    doc: `dst row indices[j] += src row j for j < count (rows of \`cols\` numbers): gatherRows' adjoint (Embedding's gradient).`,
    args: [buf('src', 'count * cols'), count('cols'), u32buf('indices', 'count'), count('count'), buf('dst', 'dst.length', 'inout')],
    wasm: { let: ['dstLength = dst.length'], call: ['src', 'cols', 'indices', 'count', 'dst', 'dstLength'] } },
  { name: 'rowMask', file: 'recurrent',
    doc: `mask[r] = 1 when some x[r, c] != value, else 0 (Keras Masking). \`mask\` has \`rows\` numbers.`,
    args: [buf('x', 'rows * cols'), ...ROWS_COLS, num('value'), buf('mask', 'rows', 'out')], wasm: { call: ['x', 'rows', 'cols', 'value', 'mask'] } },
  { name: 'scaleRows', file: 'recurrent',
    doc: `out[r, c] = x[r, c] s[r] for a rows x cols x; out may alias x.`,
    args: [buf('x', 'rows * cols'), buf('s', 'rows'), ...ROWS_COLS, buf('out', 'rows * cols', 'out')], wasm: { call: ['x', 's', 'rows', 'cols', 'out'] } },
] };
